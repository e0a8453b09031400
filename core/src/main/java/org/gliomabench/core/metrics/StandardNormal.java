package org.gliomabench.core.metrics;

/**
 * Tail probabilities of the standard normal distribution, to about 1e-15 relative, for the p-values
 * of z tests (Java has no erf; core carries no maths library for one function).
 */
final class StandardNormal {
  private static final double LOG_SQRT_2PI = 0.9189385332046727418;
  private static final int FRACTION_TERMS = 400;

  private StandardNormal() {}

  /** Density phi(x). */
  static double density(double x) {
    return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
  }

  /** P(Z > x). */
  static double upperTail(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 1 - upperTail(-x);
    }
    if (x < 1) {
      // Marsaglia (2004): Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...), all terms positive;
      // beyond x = 1 the subtraction from 1/2 loses digits, so the continued fraction takes over.
      double sum = x;
      double term = x;
      double previous = 0;
      for (int k = 3; sum != previous; k += 2) {
        previous = sum;
        term *= x * x / k;
        sum += term;
      }
      return 0.5 - density(x) * sum;
    }
    if (x > 40) {
      return 0;
    }
    // Laplace's continued fraction Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), from the tail
    // inwards; 400 terms reach double precision for x >= 1.
    double fraction = x;
    for (int k = FRACTION_TERMS; k >= 1; k--) {
      fraction = x + k / fraction;
    }
    return density(x) / fraction;
  }

  /** Two-sided p-value of a z statistic: P(|Z| >= |z|). */
  static double twoSidedP(double z) {
    return Math.min(1, 2 * upperTail(Math.abs(z)));
  }
}
