package org.gliomabench.jobs.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Progress of the fan-out per call, across executors: a listener reads the call counters (accumulators) of
 * running tasks from the executors' heartbeats (spark.executor.heartbeatInterval, 10 s by default) and of
 * finished tasks from their end events, so the count moves while a partition is still calling, not only when it
 * ends. Every few seconds it logs "calls done/total, answered/failed, calls per second, ETA". The rate is the
 * count at its latest change over the time it took, so it does not sag between two heartbeats; the ETA counts
 * down from there.
 */
final class CallProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallProgress.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "llm-progress");
    t.setDaemon(true);
    return t;
  });
  private final SparkContext sc;
  private final String what;
  private final long total;
  private final long[] ids;
  /** Latest counter values (done, ok, failed) of running tasks, from heartbeats. */
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  /** Sum over ended tasks. */
  private final long[] ended = new long[3];
  private final long start = System.nanoTime();
  private long lastDone;
  private long lastChange = start;

  CallProgress(SparkContext sc, String what, long total, LongAccumulator done, LongAccumulator ok, LongAccumulator failed,
      long periodSeconds) {
    this.sc = sc;
    this.what = what;
    this.total = total;
    this.ids = new long[] {done.id(), ok.id(), failed.id()};
    sc.addSparkListener(this);
    timer.scheduleAtFixedRate(() -> LOG.info(line()), periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> t
        : JavaConverters.seqAsJavaList(update.accumUpdates())) {
      long[] v = values(t._4());
      if (v != null) {
        running.merge((Long) t._1(), v, (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])});
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long task = end.taskInfo().taskId();
    long[] last = running.remove(task);
    long[] fin = values(end.taskInfo().accumulables());
    // A failed attempt reports no accumulator values, but its calls were made (and journalled): keep its last heartbeat.
    long[] v = fin != null ? fin : last;
    if (v != null) {
      synchronized (ended) {
        for (int i = 0; i < 3; i++) {
          ended[i] += v[i];
        }
      }
    }
  }

  /** The task's values of our three counters, or null when it carries none of them. */
  private long[] values(scala.collection.Seq<AccumulableInfo> infos) {
    long[] v = new long[3];
    boolean any = false;
    for (AccumulableInfo info : JavaConverters.seqAsJavaList(infos)) {
      for (int i = 0; i < 3; i++) {
        if (info.id() == ids[i] && info.update().isDefined()) {
          v[i] = ((Number) info.update().get()).longValue();
          any = true;
        }
      }
    }
    return any ? v : null;
  }

  /** done, ok, failed now. */
  long[] counts() {
    long[] c;
    synchronized (ended) {
      c = ended.clone();
    }
    for (long[] r : running.values()) {
      for (int i = 0; i < 3; i++) {
        c[i] += r[i];
      }
    }
    c[0] = Math.min(c[0], total);
    return c;
  }

  synchronized String line() {
    long[] c = counts();
    long now = System.nanoTime();
    if (c[0] != lastDone) {
      lastDone = c[0];
      lastChange = now;
    }
    double secs = (lastChange - start) / 1e9;
    double rate = secs > 0 ? lastDone / secs : 0;
    String eta = "";
    if (rate > 0 && total > lastDone) {
      eta = String.format(", ETA %.0f s", Math.max(0, (total - lastDone) / rate - (now - lastChange) / 1e9));
    }
    return String.format("%s: %d/%d calls (%.0f %%), %d answered (ok or parse_error) / %d failed, %.1f calls/s%s",
        what, c[0], total, total == 0 ? 100.0 : 100.0 * c[0] / total, c[1], c[2], rate, eta);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(this);
  }
}
