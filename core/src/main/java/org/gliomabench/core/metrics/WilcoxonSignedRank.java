package org.gliomabench.core.metrics;

import java.util.Arrays;

/**
 * Wilcoxon's signed-rank test for paired values (the same patients measured twice, e.g. Dice of two segmenters):
 * zero differences are dropped (Wilcoxon's convention), the others ranked by absolute value (ties share their mean
 * rank) and W+ is the rank sum of the positive differences. The two-sided p-value is exact for up to
 * {@value #EXACT_MAX} non-zero differences (the permutation distribution of W+ over the signs, ties included) and
 * from the normal approximation with the tie correction and a continuity correction above that.
 *
 * @param n the non-zero differences
 * @param wPlus the rank sum of the positive differences
 * @param meanDifference mean of all differences (second minus first), zeros included; NaN without pairs
 * @param pValue two-sided; 1 when no pair differs
 */
public record WilcoxonSignedRank(int n, double wPlus, double meanDifference, double pValue) {
  static final int EXACT_MAX = 50;

  /** The test of {@code second - first}, pair by pair. */
  public static WilcoxonSignedRank test(double[] first, double[] second) {
    Checks.sameLength(first.length, second.length, "second values");
    double[] d = new double[first.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = second[i] - first[i];
      if (!Double.isFinite(d[i])) {
        throw new IllegalArgumentException("pair " + i + " is not finite: " + first[i] + ", " + second[i]);
      }
    }
    double mean = d.length == 0 ? Double.NaN : Arrays.stream(d).average().orElse(Double.NaN);
    double[] nonZero = Arrays.stream(d).filter(x -> x != 0).toArray();
    int n = nonZero.length;
    if (n == 0) {
      return new WilcoxonSignedRank(0, 0, mean, 1.0);
    }
    double[] ranks = ranks(Arrays.stream(nonZero).map(Math::abs).toArray());
    double wPlus = 0;
    for (int i = 0; i < n; i++) {
      wPlus += nonZero[i] > 0 ? ranks[i] : 0;
    }
    double p = n <= EXACT_MAX ? exact(ranks, wPlus) : normal(ranks, wPlus);
    return new WilcoxonSignedRank(n, wPlus, mean, Math.min(1.0, p));
  }

  /** Mid-ranks (1-based) of {@code v}. */
  static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[] ranks = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return ranks;
  }

  /**
   * Two-sided exact p-value: each difference's sign is + or - with probability 1/2 under the null; the
   * distribution of W+ is counted over the doubled (integer) ranks.
   */
  private static double exact(double[] ranks, double wPlus) {
    int total = 0;
    int[] doubled = new int[ranks.length];
    for (int i = 0; i < ranks.length; i++) {
      doubled[i] = (int) Math.round(ranks[i] * 2);
      total += doubled[i];
    }
    double[] ways = new double[total + 1];
    ways[0] = 1;
    int reach = 0;
    for (int r : doubled) {
      for (int s = reach; s >= 0; s--) {
        ways[s + r] += ways[s];
      }
      reach += r;
    }
    long w = Math.round(wPlus * 2);
    double all = Math.pow(2, ranks.length);
    double lower = 0;
    double upper = 0;
    for (int s = 0; s <= total; s++) {
      lower += s <= w ? ways[s] : 0;
      upper += s >= w ? ways[s] : 0;
    }
    return 2 * Math.min(lower, upper) / all;
  }

  private static double normal(double[] ranks, double wPlus) {
    int n = ranks.length;
    double mean = n * (n + 1) / 4.0;
    double variance = n * (n + 1) * (2 * n + 1) / 24.0;
    // Tie correction: each group of t equal absolute values takes (t^3 - t) / 48 off the variance.
    double[] sorted = ranks.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && sorted[j + 1] == sorted[i]) {
        j++;
      }
      double t = j - i + 1;
      variance -= (t * t * t - t) / 48.0;
      i = j + 1;
    }
    double z = (Math.abs(wPlus - mean) - 0.5) / Math.sqrt(variance);
    return StandardNormal.twoSidedP(Math.max(0, z));
  }
}
