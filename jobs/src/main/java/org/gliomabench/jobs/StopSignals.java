package org.gliomabench.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A scheduler's request to stop early and resumably: SIGUSR1 (a Slurm time-limit warning, {@code #SBATCH
 * --signal=B:USR1@N}, forwarded by submit/slurm/glioma-bench.sbatch; or {@code kill -USR1 PID}) and SIGTERM
 * ({@code scancel}, a preemption) while a stage that can stop cleanly runs. A training stage then finishes its
 * current averaging round, checkpoints and exits with {@code ExitStatus.STOPPED}; llm-slices stops sending, journals
 * the calls in flight and exits the same way; {@code study} stops before its next stage. A rerun with the same run id
 * (the requeued job) resumes.
 *
 * <p>SIGUSR1 only ever asks (its default would kill the JVM). SIGTERM asks while a stoppable stage runs
 * ({@link #stoppable}); otherwise, and when it comes a second time, the JVM's own handling applies (it exits).
 */
public final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final AtomicReference<String> REQUESTED = new AtomicReference<>();
  private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger STOPPABLE = new AtomicInteger();
  private static SignalHandler previousTerm;
  private static boolean installed;

  private StopSignals() {}

  /** Installs the handlers (once per JVM) and forgets an earlier request (Main calls this for every command). */
  public static synchronized void install() {
    REQUESTED.set(null);
    if (installed) {
      return;
    }
    installed = true;
    try {
      Signal.handle(new Signal("USR1"), s -> request("SIGUSR1"));
      previousTerm = Signal.handle(new Signal("TERM"), s -> {
        if (STOPPABLE.get() > 0 && REQUESTED.get() == null) {
          request("SIGTERM");
        } else if (previousTerm != null) {
          previousTerm.handle(s);
        }
      });
    } catch (IllegalArgumentException e) {
      LOG.warn("cannot watch SIGUSR1/SIGTERM here ({}): a scheduler's stop request will end the job without a "
          + "checkpoint", e.getMessage());
    }
  }

  /** Whether a stop was requested since {@link #install}. */
  public static boolean requested() {
    return REQUESTED.get() != null;
  }

  /** The signal that asked to stop ("SIGUSR1"), or null. */
  public static String reason() {
    return REQUESTED.get();
  }

  /** What {@link #stoppable} and {@link #onStop} return: closing it ends what it started. */
  public interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Marks a stage that stops cleanly on request while the returned handle is open: SIGTERM then asks it to stop
   * instead of ending the JVM.
   */
  public static Handle stoppable() {
    STOPPABLE.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        STOPPABLE.decrementAndGet();
      }
    };
  }

  /**
   * Runs {@code action} when a stop is requested (at once if it already was) while the returned handle is open,
   * e.g. to cancel a Spark job group.
   */
  public static Handle onStop(Runnable action) {
    LISTENERS.add(action);
    if (requested()) {
      action.run();
    }
    return () -> LISTENERS.remove(action);
  }

  private static void request(String signal) {
    if (REQUESTED.compareAndSet(null, signal)) {
      LOG.warn("{} received: stopping at the next safe point (training: after the current averaging round, with a "
          + "checkpoint; llm-slices: once the calls in flight are journalled); rerun with the same --run-id to resume",
          signal);
      LISTENERS.forEach(l -> {
        try {
          l.run();
        } catch (RuntimeException e) {
          LOG.warn("a stop action failed: {}", e.toString());
        }
      });
    } else {
      LOG.info("{} received; already stopping", signal);
    }
  }
}
