package org.gliomabench.jobs.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads this JVM trains on: as many as workers have trained here at the same time, kept while idle.
 *
 * <p>Why: DL4J keeps a network's workspaces (a step's activation memory, learned on a thread's first iteration and
 * allocated on its second) per thread. Spark runs each round's task on whichever of its task threads is idle, so
 * a round that landed on a thread that had just scored patients learned and allocated them again beside the ones
 * the previous round's thread still held: a slow first step and a second set of activations (README, "Memory is
 * planned"). On these threads every round and epoch reuses the workspaces learned once.
 */
final class TrainingThreads {
  private static final AtomicInteger COUNT = new AtomicInteger();
  /** Idle training threads, the most recently used first. */
  private static final Deque<ExecutorService> IDLE = new ArrayDeque<>();

  private TrainingThreads() {}

  /**
   * Runs {@code work} on an idle training thread (a new one if none is idle) and waits for it. If the waiting (task)
   * thread is interrupted, as when Spark kills the task, the training thread is interrupted too and let go, and
   * the interruption is rethrown.
   */
  static <T> T run(Callable<T> work) throws Exception {
    ExecutorService thread = take();
    Future<T> f = thread.submit(work);
    try {
      T result = f.get();
      give(thread);
      return result;
    } catch (InterruptedException e) {
      thread.shutdownNow();
      throw e;
    } catch (ExecutionException e) {
      give(thread);
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static synchronized ExecutorService take() {
    ExecutorService idle = IDLE.pollFirst();
    return idle != null ? idle : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "glioma-bench-training-" + COUNT.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  private static synchronized void give(ExecutorService thread) {
    IDLE.addFirst(thread);
  }
}
