package org.gliomabench.core.metrics;

import java.util.Arrays;

/**
 * The scores of HGG and of LGG patients, each sorted ascending, so that "how many negatives score
 * below / equal to x" is two binary searches: what makes AUC and DeLong O(n log n).
 */
final class ScoresByClass {
  final double[] positives;
  final double[] negatives;

  private ScoresByClass(double[] positives, double[] negatives) {
    this.positives = positives;
    this.negatives = negatives;
  }

  static ScoresByClass of(int[] labels, double[] scores) {
    Checks.binary(labels, "labels");
    Checks.finiteOrInfinite(scores, "scores");
    Checks.sameLength(labels.length, scores.length, "scores");
    int p = 0;
    for (int label : labels) {
      p += label;
    }
    double[] pos = new double[p];
    double[] neg = new double[labels.length - p];
    int i = 0;
    int j = 0;
    for (int k = 0; k < labels.length; k++) {
      // + 0.0 turns -0.0 into 0.0 so that the two zeros tie, as they compare equal.
      if (labels[k] == 1) {
        pos[i++] = scores[k] + 0.0;
      } else {
        neg[j++] = scores[k] + 0.0;
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    return new ScoresByClass(pos, neg);
  }

  boolean hasBothClasses() {
    return positives.length > 0 && negatives.length > 0;
  }

  /**
   * The Mann-Whitney kernel averaged over the other class: the share of {@code sorted} strictly below
   * x plus half the share equal to x (a tie counts one half).
   */
  static double shareBelow(double[] sorted, double x) {
    int below = lowerBound(sorted, x);
    int equal = upperBound(sorted, x) - below;
    return (below + 0.5 * equal) / sorted.length;
  }

  /** The share of {@code sorted} strictly above x plus half the share equal to x. */
  static double shareAbove(double[] sorted, double x) {
    int atOrBelow = upperBound(sorted, x);
    int equal = atOrBelow - lowerBound(sorted, x);
    return (sorted.length - atOrBelow + 0.5 * equal) / sorted.length;
  }

  /** Count of elements strictly below x. */
  static int lowerBound(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Count of elements at or below x. */
  static int upperBound(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
