package org.gliomabench.core.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals: patients resampled with replacement, the statistic recomputed on
 * each resample, the interval read from the quantiles of those values (linear interpolation between
 * order statistics, numpy's default). The resamples depend only on the seed and the number of
 * patients, so every metric of one sample sees the same resamples, and the same seed gives the same
 * interval.
 *
 * <p>A resample on which the statistic is NaN (AUC or specificity on a resample with one class,
 * precision with no positive prediction) is skipped and counted; when every resample is skipped the
 * interval is NaN.
 */
public final class Bootstrap {
  public static final int DEFAULT_RESAMPLES = 2000;
  public static final double DEFAULT_LEVEL = 0.95;

  private final int resamples;
  private final double level;
  private final long seed;

  public Bootstrap(int resamples, double level, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("bootstrap resamples must be >= 1, got " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("bootstrap level must be in (0, 1), got " + level);
    }
    this.resamples = resamples;
    this.level = level;
    this.seed = seed;
  }

  /** 2000 resamples, 95 %. */
  public Bootstrap(long seed) {
    this(DEFAULT_RESAMPLES, DEFAULT_LEVEL, seed);
  }

  /** A statistic of the patients at the given indices (repeats allowed). */
  @FunctionalInterface
  public interface IndexStatistic {
    double of(int[] indices);
  }

  /**
   * @param estimate the statistic on all patients
   * @param low lower bound, NaN when no resample gave a value
   * @param high upper bound, NaN when no resample gave a value
   * @param used resamples whose statistic was a number
   * @param skipped resamples whose statistic was NaN
   */
  public record Interval(double estimate, double low, double high, int used, int skipped) {
    public boolean contains(double x) {
      return low <= x && x <= high;
    }
  }

  public Interval interval(PatientSample sample, Metric metric) {
    return interval(sample, metric::of);
  }

  public Interval interval(PatientSample sample, ToDoubleFunction<PatientSample> statistic) {
    return interval(sample.size(), indices -> statistic.applyAsDouble(sample.select(indices)));
  }

  /** The interval of a statistic over n patients; pairs of arms share patients, so share indices. */
  public Interval interval(int n, IndexStatistic statistic) {
    if (n < 1) {
      throw new IllegalArgumentException("bootstrap needs at least one patient");
    }
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    double estimate = statistic.of(all);
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[resamples];
    int used = 0;
    int[] indices = new int[n];
    for (int r = 0; r < resamples; r++) {
      for (int k = 0; k < n; k++) {
        indices[k] = random.nextInt(n);
      }
      double v = statistic.of(indices);
      if (!Double.isNaN(v)) {
        values[used++] = v;
      }
    }
    double[] sorted = Arrays.copyOf(values, used);
    Arrays.sort(sorted);
    double alpha = (1 - level) / 2;
    return new Interval(estimate, quantile(sorted, alpha), quantile(sorted, 1 - alpha), used, resamples - used);
  }

  /** Quantile q of sorted values, linear between order statistics at (len - 1) q; NaN if empty. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double position = (sorted.length - 1) * q;
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
