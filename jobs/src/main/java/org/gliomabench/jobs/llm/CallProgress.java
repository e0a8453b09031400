package org.gliomabench.jobs.llm;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs "calls done/total, ok/errors, calls per second, ETA" every few seconds while the fan-out runs. */
final class CallProgress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallProgress.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "llm-progress");
    t.setDaemon(true);
    return t;
  });
  private final String what;
  private final long total;
  private final LongAccumulator done;
  private final LongAccumulator ok;
  private final LongAccumulator failed;
  private final long start = System.nanoTime();

  CallProgress(String what, long total, LongAccumulator done, LongAccumulator ok, LongAccumulator failed, long periodSeconds) {
    this.what = what;
    this.total = total;
    this.done = done;
    this.ok = ok;
    this.failed = failed;
    timer.scheduleAtFixedRate(() -> LOG.info(line()), periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  String line() {
    long d = done.value();
    double secs = (System.nanoTime() - start) / 1e9;
    double rate = secs > 0 ? d / secs : 0;
    String eta = rate > 0 && total > d ? String.format(", ETA %.0f s", (total - d) / rate) : "";
    return String.format("%s: %d/%d calls, %d answered (ok or parse_error) / %d failed, %.1f calls/s%s",
        what, d, total, ok.value(), failed.value(), rate, eta);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
