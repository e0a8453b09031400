package org.gliomabench.jobs;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a job that cannot get its resources instead of letting it wait forever. Spark on a cluster only logs
 * "Initial job has not accepted any resources" when no worker can host the executors asked for (or executors
 * cannot take a task: too few cores, no GPU), and waits. This watches from the driver: when work is waiting
 * (an active stage) and no task has run for {@code cluster.executors.wait.seconds}, it logs what the
 * application asked for, cancels the jobs and stops the SparkContext; {@link #reason()} tells the launcher why.
 * Other fatal resource problems (a GPU the build cannot run) stop it the same way through {@link #fail}.
 * Not started in local mode, where the driver runs the tasks itself.
 */
public final class ResourceWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceWatchdog.class);
  private static final long POLL_MILLIS = 2_000;
  private static volatile String reason;

  private ResourceWatchdog() {}

  /** Why the watchdog stopped the application, or null. */
  public static String reason() {
    return reason;
  }

  /**
   * Stops the application for a reason the user must act on (no resources, a GPU the build cannot run): logs it,
   * cancels the jobs and stops the SparkContext, so the command fails at once and the launcher prints
   * {@link #reason()}.
   */
  public static synchronized void fail(SparkContext sc, String why) {
    if (reason != null) {
      return;
    }
    reason = why;
    LOG.error(why);
    sc.cancelAllJobs();
    sc.stop();
  }

  /** Starts watching {@code sc} (a daemon thread that ends with the SparkContext). */
  public static void start(SparkContext sc, long waitSeconds) {
    if (sc.isLocal() || waitSeconds <= 0) {
      return;
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "glioma-bench-resource-watchdog");
      t.setDaemon(true);
      return t;
    });
    Starvation starvation = new Starvation(TimeUnit.SECONDS.toMillis(waitSeconds));
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (sc.isStopped()) {
          timer.shutdown();
          return;
        }
        SparkStatusTracker tracker = sc.statusTracker();
        int[] stages = tracker.getActiveStageIds();
        int running = 0;
        for (int id : stages) {
          scala.Option<SparkStageInfo> info = tracker.getStageInfo(id);
          if (info.isDefined()) {
            running += info.get().numActiveTasks();
          }
        }
        if (starvation.starved(stages.length > 0, running, System.currentTimeMillis())) {
          timer.shutdown();
          fail(sc, message(sc.getConf(), sc.master(), tracker.getExecutorInfos().length - 1, waitSeconds));
        }
      } catch (RuntimeException e) {
        LOG.debug("resource watchdog: {}", e.toString());
      }
    }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The rule, apart from Spark: work waiting and no task running, continuously for longer than the limit. */
  static final class Starvation {
    private final long limitMillis;
    private long since = -1;

    Starvation(long limitMillis) {
      this.limitMillis = limitMillis;
    }

    boolean starved(boolean workWaiting, int runningTasks, long nowMillis) {
      if (!workWaiting || runningTasks > 0) {
        since = -1;
        return false;
      }
      if (since < 0) {
        since = nowMillis;
      }
      return nowMillis - since > limitMillis;
    }
  }

  static String message(SparkConf conf, String master, int executors, long waitSeconds) {
    return String.format("no task could start for %d s: the cluster (%s) gives this application %d executor(s) and "
            + "none can take a task. It asks for spark.executor.memory=%s, spark.executor.memoryOverhead=%s, "
            + "spark.executor.cores=%s, spark.task.cpus=%s, spark.executor.resource.gpu.amount=%s, "
            + "spark.task.resource.gpu.amount=%s (spark.driver.memory=%s). Check that a worker offers that much "
            + "(a standalone master's web UI lists each worker's free cores and memory), lower them (e.g. "
            + "--executor-memory, --executor-cores before the command of submit/spark-submit.sh), or wait longer with "
            + "--set cluster.executors.wait.seconds=N", waitSeconds, master, Math.max(0, executors),
        conf.get("spark.executor.memory", "1g"), conf.get("spark.executor.memoryOverhead", "default"),
        conf.get("spark.executor.cores", "default"), conf.get("spark.task.cpus", "1"),
        conf.get("spark.executor.resource.gpu.amount", "0"), conf.get("spark.task.resource.gpu.amount", "0"),
        conf.get("spark.driver.memory", "1g"));
  }
}
