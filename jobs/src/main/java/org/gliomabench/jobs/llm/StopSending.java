package org.gliomabench.jobs.llm;

import org.apache.spark.SparkContext;
import org.gliomabench.jobs.StopSignals;

/**
 * llm-slices' part in a stop request ({@link StopSignals}): the job that sends the calls is cancelled, so every task
 * stops submitting at once; each waits for its calls in flight (up to the response timeout) and journals their
 * answers before it ends (SliceCallFunction), and the driver folds the journal into llm_calls as after any failed
 * job. A stop requested before the job starts skips it. The rerun sends only what is unanswered.
 */
final class StopSending {
  private StopSending() {}

  /**
   * Runs {@code send} (the Spark job of {@code group}) unless a stop was requested; cancels the group on one. The
   * cancelled job's exception (Spark's checked SparkException, thrown undeclared) comes out as a {@link Stopped}, so
   * that the caller's handling of a failed job (wait for the killed tasks, fold the journal) runs.
   */
  static void guard(SparkContext sc, String group, Runnable send) {
    if (StopSignals.requested()) {
      return;
    }
    try (StopSignals.Handle cancel = StopSignals.onStop(() -> sc.cancelJobGroup(group))) {
      send.run();
    } catch (Exception e) {
      if (StopSignals.requested()) {
        throw new Stopped(e);
      }
      throw e;
    }
  }

  /** The sending was cancelled by a stop request. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(Exception cause) {
      super("sending stopped by " + StopSignals.reason(), cause);
    }
  }
}
