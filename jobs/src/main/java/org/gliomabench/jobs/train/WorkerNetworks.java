package org.gliomabench.jobs.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The idle training networks of this JVM (an executor, or the driver in local mode), kept between parameter
 * averagings so that {@link PooledNetworkWorker} need not build a network for every split.
 *
 * <p>Keyed by the model configuration (without its iteration and epoch counters and its seed: folds trained at once
 * differ only in their seed, and a worker takes its parameters from the broadcast) and the device. A network is
 * held by one worker at a time: taken when its split starts, given back once its result is copied out. At most
 * one idle network per core is kept; networks of another configuration are let go as soon as a new one is asked
 * for, and any network idle for {@link #IDLE_MILLIS} is let go (its memory goes back when it is collected).
 */
final class WorkerNetworks {
  static final long IDLE_MILLIS = 120_000;

  private record Idle(Model model, long since) {}

  private static final Map<String, Deque<Idle>> IDLE = new HashMap<>();
  private static ScheduledExecutorService janitor;

  private WorkerNetworks() {}

  static String key(MultiLayerConfiguration conf) {
    MultiLayerConfiguration c = conf.clone();
    c.setIterationCount(0);
    c.setEpochCount(0);
    c.getConfs().forEach(layer -> layer.setSeed(0));
    return device() + c.toJson();
  }

  static String key(ComputationGraphConfiguration conf) {
    ComputationGraphConfiguration c = conf.clone();
    c.setIterationCount(0);
    c.setEpochCount(0);
    c.getDefaultConfiguration().setSeed(0);
    c.getVertices().values().forEach(v -> {
      if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex layer) {
        layer.getLayerConf().setSeed(0);
      }
    });
    return device() + c.toJson();
  }

  /** An idle network for this configuration, or null; idle networks of other configurations are dropped. */
  static synchronized Model take(String key) {
    IDLE.keySet().removeIf(k -> !k.equals(key));
    Deque<Idle> idle = IDLE.get(key);
    Idle i = idle == null ? null : idle.pollFirst();
    return i == null ? null : i.model();
  }

  /** Gives a network back once its worker is done with it. */
  static synchronized void give(String key, Model model) {
    Deque<Idle> idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (Idle i : idle) {
      if (i.model() == model) {
        return; // already given back: two holders of one network would train it at once
      }
    }
    if (idle.size() < Runtime.getRuntime().availableProcessors()) {
      idle.addFirst(new Idle(model, System.currentTimeMillis()));
      startJanitor();
    }
  }

  static synchronized int idle() {
    return IDLE.values().stream().mapToInt(Deque::size).sum();
  }

  static synchronized void clear() {
    IDLE.clear();
  }

  static synchronized void evictIdleSince(long cutoffMillis) {
    for (Iterator<Deque<Idle>> it = IDLE.values().iterator(); it.hasNext(); ) {
      Deque<Idle> idle = it.next();
      idle.removeIf(i -> i.since() < cutoffMillis);
      if (idle.isEmpty()) {
        it.remove();
      }
    }
  }

  private static void startJanitor() {
    if (janitor == null) {
      janitor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "glioma-bench-worker-networks");
        t.setDaemon(true);
        return t;
      });
      janitor.scheduleWithFixedDelay(() -> evictIdleSince(System.currentTimeMillis() - IDLE_MILLIS),
          IDLE_MILLIS / 2, IDLE_MILLIS / 2, TimeUnit.MILLISECONDS);
    }
  }

  private static String device() {
    Integer d = Nd4j.getAffinityManager().getDeviceForCurrentThread();
    return "device " + d + "\n";
  }
}
