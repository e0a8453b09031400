package org.gliomabench.core.metrics;

/**
 * The 95 % Wilson score interval of a proportion: well-behaved at 0 and 1 and for small n, where the normal
 * approximation's interval leaves [0, 1] or collapses (a slice answered 95 times out of 95 the same way).
 */
public final class WilsonInterval {
  /** The two-sided 95 % quantile of the standard normal. */
  static final double Z95 = 1.959963984540054;

  private WilsonInterval() {}

  /** {low, high} for {@code successes} of {@code n}; null when n is 0. */
  public static double[] of95(long successes, long n) {
    if (n <= 0) {
      return null;
    }
    if (successes < 0 || successes > n) {
      throw new IllegalArgumentException(successes + " successes of " + n);
    }
    double p = (double) successes / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }
}
