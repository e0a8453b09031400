package org.gliomabench.jobs.train;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where an epoch's fit time goes, summed over the workers' rounds (Spark accumulators, so it adds up across
 * executors): taking the round's network, training steps, waiting for minibatches to load, and copying the result
 * out. What the fit took beyond them is the driver's part: broadcast, scheduling, shipping and averaging.
 */
public final class RoundTimes implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator starting;
  private final LongAccumulator steps;
  private final LongAccumulator waiting;
  private final LongAccumulator finishing;
  private final LongAccumulator minibatches;
  private final LongAccumulator firstSteps;

  private RoundTimes(JavaSparkContext jsc) {
    starting = jsc.sc().longAccumulator("round: taking the network (ns)");
    steps = jsc.sc().longAccumulator("round: training steps (ns)");
    waiting = jsc.sc().longAccumulator("round: waiting for minibatches (ns)");
    finishing = jsc.sc().longAccumulator("round: copying the result (ns)");
    minibatches = jsc.sc().longAccumulator("round: minibatches");
    firstSteps = jsc.sc().longAccumulator("round: each worker's first step (ns)");
  }

  /** Fresh accumulators for one epoch's fit. */
  public static RoundTimes register(JavaSparkContext jsc) {
    return new RoundTimes(jsc);
  }

  void starting(long nanos) {
    starting.add(nanos);
  }

  void step(long nanos, boolean first) {
    steps.add(nanos);
    minibatches.add(1);
    if (first) {
      firstSteps.add(nanos);
    }
  }

  void waiting(long nanos) {
    waiting.add(nanos);
  }

  void finishing(long nanos) {
    finishing.add(nanos);
  }

  /**
   * One line for the epoch's log: per worker on average (the fit's wall time runs them side by side), with the
   * rest of {@code fitSeconds} as the driver's part.
   */
  public String describe(double fitSeconds, int workers) {
    double w = Math.max(1, workers);
    double start = starting.value() / 1e9 / w;
    double step = steps.value() / 1e9 / w;
    double wait = waiting.value() / 1e9 / w;
    double finish = finishing.value() / 1e9 / w;
    double rest = fitSeconds - start - step - wait - finish;
    return String.format(Locale.ROOT, "fit %.1f s; per worker (%d): %.1f steps in %.1f s (each round's first step: %.1f s), "
            + "waiting for data %.1f s, taking the network %.1f s, copying the result %.1f s; the driver's part "
            + "(broadcast, shipping, averaging, scheduling) %.1f s", fitSeconds, Math.max(1, workers),
        minibatches.value() / w, step, firstSteps.value() / 1e9 / w, wait, start, finish, rest);
  }
}
