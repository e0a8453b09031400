package org.gliomabench.jobs.train;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one training worker needs in memory, planned before training instead of discovered by the kernel's
 * out-of-memory killer: the network with its gradient and Adam's two moments, the copies parameter averaging
 * ships (the round's broadcast and the worker's result, parameters and updater state each), the activations of a
 * minibatch (measured: a forward pass of one example at the real shape, times the batch, times
 * {@value #ACTIVATION_FACTOR} for what backpropagation keeps and computes beside them), and the minibatches in
 * flight (prefetched, being loaded, being fitted). Against it: what this JVM may give ND4J (JavaCPP's maxbytes and
 * maxphysicalbytes, the machine's memory less the heap) in local mode, or an executor's memory overhead on a cluster.
 *
 * <p>Folds train in parallel where the workers allow it ({@code train.parallel.folds}): {@code folds} at once, each
 * with {@code workers} of its own; each also holds the driver's copies of its network (in local mode in this JVM,
 * beside the workers; on a cluster the driver's ND4J memory bounds the folds at once).
 *
 * @param workers workers per fold
 * @param folds folds trained at once
 */
public record MemoryPlan(long network, long shipped, long activations, long minibatches, long driver,
    long available, String availableFrom, int slots, int workers, int folds) {

  /** The workers asked for cannot fit: the message names what they need, what there is, and what to change. */
  public static final class DoesNotFit extends org.gliomabench.core.config.ConfigException {
    private static final long serialVersionUID = 1L;

    DoesNotFit(String message) {
      super(message);
    }
  }

  /** Bytes backpropagation needs per byte of forward activations (outputs kept, their gradients, scratch). */
  static final double ACTIVATION_FACTOR = 3.0;

  /** Bytes one worker needs. */
  public long perWorker() {
    return network + shipped + activations + minibatches;
  }

  /** Plans the workers of an arm that trains one fold at a time. */
  public static MemoryPlan of(JavaSparkContext jsc, Model net, int featureLength, int labelLength, int batch,
      int prefetch, int slots, Integer requested, String stage, Map<String, String> keys) {
    return of(jsc, net, featureLength, labelLength, batch, prefetch, slots, requested, 1, 1, stage, keys);
  }

  /**
   * Plans the workers of an arm and how many of its folds train at once.
   *
   * @param net the arm's network (a fresh one: its forward pass is measured)
   * @param featureLength one example's flat features
   * @param labelLength one example's labels
   * @param requested workers per fold the user set (null: as many task slots as fit, shared by the folds)
   * @param foldCount the folds this invocation trains
   * @param parallel at most this many folds at once (0: as many as the workers allow, at least one worker each)
   * @param keys the settings to name in a refusal: batch size, workers
   * @throws DoesNotFit when not even one worker fits, or the requested ones do not
   */
  public static MemoryPlan of(JavaSparkContext jsc, Model net, int featureLength, int labelLength, int batch,
      int prefetch, int slots, Integer requested, int foldCount, int parallel, String stage, Map<String, String> keys) {
    long params = net.numParams();
    long network = params * Float.BYTES * 4; // parameters, gradient, Adam's m and v
    long shipped = params * Float.BYTES * 3 * 2; // broadcast and result: parameters and Adam state each
    long activations = (long) (forwardBytes(net, featureLength) * (double) batch * ACTIVATION_FACTOR);
    long minibatches = (long) (prefetch + 2) * batch * (featureLength + (long) labelLength) * Float.BYTES;
    boolean local = jsc.sc().isLocal();
    // The driver's network, the averaged sums and the broadcast copy, per fold; in local mode in this very JVM.
    long driverCopies = params * Float.BYTES * (4 + 3 + 3);
    long driver = local ? driverCopies : 0;
    long per = network + shipped + activations + minibatches;
    int most = Math.max(1, Math.min(foldCount, parallel > 0 ? parallel : Integer.MAX_VALUE));
    Refusal refusal = new Refusal(stage, per, network, shipped, activations, minibatches, batch, keys);
    long physical = physicalMemory();
    long maxPhysical = Pointer.maxPhysicalBytes() > 0 ? Pointer.maxPhysicalBytes() : physical;
    long heap = Runtime.getRuntime().maxMemory();
    long maxBytes = Pointer.maxBytes() > 0 ? Pointer.maxBytes() : Long.MAX_VALUE;
    long nd4j = Math.min(maxBytes, maxPhysical - heap); // what ND4J may use in this (the driver's) JVM
    if (local) {
      String from = String.format(Locale.ROOT, "this JVM: ND4J may use %s (org.bytedeco.javacpp.maxbytes %s, "
              + "maxphysicalbytes %s less the %s heap; the machine has %s), less %s for the driver's network per fold",
          gb(nd4j), Pointer.maxBytes() > 0 ? gb(Pointer.maxBytes()) : "unset", gb(maxPhysical), gb(heap), gb(physical),
          gb(driver));
      // The most folds at once that each get their workers (the requested ones, else at least one) in memory.
      int folds = most;
      while (folds > 1 && (nd4j - folds * driver) / per < (long) folds * (requested != null ? requested : 1)) {
        folds--;
      }
      folds = Math.min(folds, Math.max(1, slots / (requested != null ? requested : 1))); // each worker a task slot
      long available = nd4j - folds * driver;
      int fit = (int) Math.max(0, Math.min(Integer.MAX_VALUE, available / Math.max(1, per)));
      int workers;
      if (requested != null) {
        if ((long) folds * requested * per > available) {
          throw new DoesNotFit(refusal.text(available, from, folds * requested));
        }
        workers = requested;
      } else {
        if (fit < folds) {
          throw new DoesNotFit(refusal.text(available, from, 1));
        }
        workers = Math.max(1, Math.min(slots, fit) / folds);
      }
      return new MemoryPlan(network, shipped, activations, minibatches, driver, available, from, slots, workers, folds);
    }
    SparkConf conf = jsc.getConf();
    long executorHeap = conf.getSizeAsBytes("spark.executor.memory", "1g");
    long overhead = conf.contains("spark.executor.memoryOverhead")
        ? conf.getSizeAsBytes("spark.executor.memoryOverhead")
        : Math.max(384L << 20, executorHeap / 10);
    int cores = conf.getInt("spark.executor.cores", 1);
    int perJvm = Math.max(1, cores / Math.max(1, conf.getInt("spark.task.cpus", 1)));
    String from = String.format(Locale.ROOT, "an executor: spark.executor.memoryOverhead %s for ND4J's off-heap arrays, "
        + "%d task slot(s) each", gb(overhead), perJvm);
    int fit = (int) Math.max(0, Math.min(Integer.MAX_VALUE, overhead / Math.max(1, per)));
    if (requested != null && (long) Math.min(requested, perJvm) * per > overhead) {
      throw new DoesNotFit(refusal.text(overhead, from, Math.min(requested, perJvm)));
    }
    if (requested == null && fit < perJvm) {
      throw new DoesNotFit(refusal.text(overhead, from, perJvm)); // each executor runs as many workers as slots
    }
    // The driver holds each fold's copies: no more folds at once than its ND4J memory has room for (at least one).
    int driverRoom = (int) Math.max(1, Math.min(Integer.MAX_VALUE, nd4j / Math.max(1, driverCopies)));
    int folds = Math.max(1, Math.min(Math.min(most, driverRoom), requested != null ? slots / requested : slots));
    int workers = requested != null ? requested : Math.max(1, slots / folds);
    if (folds < most && folds == driverRoom) {
      from += String.format(Locale.ROOT, "; the driver's ND4J memory (%s) has room for %d fold(s)' network copies "
          + "(%s each)", gb(nd4j), driverRoom, gb(driverCopies));
    }
    return new MemoryPlan(network, shipped, activations, minibatches, driver, overhead, from, slots, workers, folds);
  }

  /** One line for the log: the estimate per worker against what there is. */
  public String describe(String stage, int batch) {
    return String.format(Locale.ROOT, "%s memory plan per worker: network + Adam %s, shipped copies %s, activations at "
            + "batch %d %s, minibatches in flight %s = %s; %s: %s", stage, gb(network), gb(shipped), batch,
        gb(activations), gb(minibatches), gb(perWorker()), availableFrom,
        folds > 1 ? String.format(Locale.ROOT, "%d folds at once, %d worker(s) each%s", folds, workers,
            folds * workers < slots ? " (" + slots + " task slots)" : "")
            : workers + " worker(s)" + (workers < slots ? " (of " + slots + " task slots: more would not fit)" : ""));
  }

  private record Refusal(String stage, long per, long network, long shipped, long activations, long minibatches,
      int batch, Map<String, String> keys) {
    String text(long available, String from, int workers) {
      return String.format(Locale.ROOT, "%s cannot fit its memory: %d worker(s) need %s each (network + Adam %s, "
              + "shipped copies %s, activations at %s=%d %s, minibatches in flight %s), %s in all, and %s. Lower %s, set "
              + "%s=1, or give ND4J more memory (GLIOMA_BENCH_OFFHEAP, GLIOMA_BENCH_MAXPHYSICAL and GLIOMA_BENCH_HEAP for "
              + "submit/glioma-bench; spark.executor.memoryOverhead on a cluster)", stage, workers, gb(per), gb(network),
          gb(shipped), keys.get("batch"), batch, gb(activations), gb(minibatches), gb(per * workers), from,
          keys.get("batch"), keys.get("workers"));
    }
  }

  /** The bytes of every activation of a forward pass of one example (zeros) at the network's input shape. */
  static long forwardBytes(Model net, int featureLength) {
    INDArray x = Nd4j.zeros(DataType.FLOAT, 1, featureLength);
    long bytes = x.length() * Float.BYTES;
    if (net instanceof MultiLayerNetwork mln) {
      List<INDArray> acts = mln.feedForward(x, false);
      for (INDArray a : acts.subList(1, acts.size())) {
        bytes += a.length() * a.dataType().width();
      }
      mln.clear();
    } else {
      ComputationGraph g = (ComputationGraph) net;
      for (Map.Entry<String, INDArray> a : g.feedForward(new INDArray[] {x}, false).entrySet()) {
        if (!g.getConfiguration().getNetworkInputs().contains(a.getKey())) {
          bytes += a.getValue().length() * a.getValue().dataType().width();
        }
      }
      g.clear();
    }
    return bytes;
  }

  static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Pointer.physicalBytes();
  }

  static String gb(long bytes) {
    return bytes < (1L << 30) ? String.format(Locale.ROOT, "%d MB", bytes >> 20)
        : String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
  }
}
