package org.gliomabench.jobs;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs "what: done/total (rate/s, ETA)" every few seconds from the driver while a Spark job runs;
 * {@code done} usually reads a LongAccumulator that executors add to.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService timer;
  private final String what;
  private final long total;
  private final LongSupplier done;
  private final long start = System.nanoTime();

  public ProgressReporter(String what, long total, LongSupplier done, long periodSeconds) {
    this.what = what;
    this.total = total;
    this.done = done;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress-" + what);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::report, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  public String line() {
    long d = done.getAsLong();
    double secs = (System.nanoTime() - start) / 1e9;
    double rate = secs > 0 ? d / secs : 0;
    String eta = rate > 0 && total > d ? String.format("ETA %.0fs", (total - d) / rate) : "";
    return String.format("%s: %d/%d (%.2f/s, %.0fs elapsed) %s", what, d, total, rate, secs, eta).trim();
  }

  private void report() {
    LOG.info(line());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
