package org.gliomabench.jobs.cli;

/** The launcher's exit statuses, the same for every command (schedulers and {@code study} read them). */
public final class ExitStatus {
  private ExitStatus() {}

  /** Done. */
  public static final int OK = 0;
  /** Failed (the reason is on stderr). */
  public static final int FAILED = 1;
  /** A usage or configuration error. */
  public static final int USAGE = 2;
  /** Done and the tables written, but some inputs were rejected, patients unscored or calls failed (see the summary). */
  public static final int PARTIAL = 3;
  /** Stopped by the epoch budget before the end: rerun with the same run id to go on. */
  public static final int UNFINISHED = 4;
  /**
   * Another writer holds what this run would write (the same run and fold, or table partition), or the warehouse's
   * catalog, or kept its commit lock beyond the wait.
   */
  public static final int BUSY = 5;
  /**
   * Done, but some calls failed with errors a rerun alone does not fix (an LLM server refused them: wrong model
   * name, unsupported field): change what the summary names, then rerun.
   */
  public static final int PERMANENT_FAILURES = 6;
  /**
   * Stopped on request (SIGUSR1, a scheduler's time-limit warning, or SIGTERM) after checkpointing what it had
   * done: rerun with the same run id, or let the Slurm job requeue itself, to go on.
   */
  public static final int STOPPED = 7;

  /** What {@code status} means, in a word, for the runs table. */
  public static String word(int status) {
    switch (status) {
      case OK: return "ok";
      case PARTIAL: return "ok_with_rejected_inputs";
      case USAGE: return "usage_error";
      case STOPPED: return "stopped";
      default: return "failed";
    }
  }

  /** Whether {@code study} may go on to the next stage after a stage ended with {@code status}. */
  public static boolean studyGoesOn(int status) {
    return status == OK || status == PARTIAL || status == PERMANENT_FAILURES;
  }
}
