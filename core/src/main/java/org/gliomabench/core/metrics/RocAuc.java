package org.gliomabench.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the probability that a random HGG patient
 * scores above a random LGG patient, ties counting one half (the mid-rank convention). Equals the
 * trapezoidal area under {@link #curve}. NaN when the cohort lacks a class; NaN scores are rejected.
 */
public final class RocAuc {
  private RocAuc() {}

  /** One point of the ROC curve: predicting HGG when score >= threshold. */
  public record Point(double threshold, double falsePositiveRate, double truePositiveRate) {}

  public static double auc(int[] labels, double[] scores) {
    return auc(ScoresByClass.of(labels, scores));
  }

  static double auc(ScoresByClass s) {
    if (!s.hasBothClasses()) {
      return Double.NaN;
    }
    double sum = 0;
    for (double x : s.positives) {
      sum += ScoresByClass.shareBelow(s.negatives, x);
    }
    return sum / s.positives.length;
  }

  /**
   * The ROC curve for charts: from (0, 0) at threshold +infinity through one point per distinct score,
   * in decreasing threshold order, to (1, 1). Tied scores give one diagonal step. Empty when the cohort
   * lacks a class.
   */
  public static List<Point> curve(int[] labels, double[] scores) {
    ScoresByClass s = ScoresByClass.of(labels, scores);
    List<Point> points = new ArrayList<>();
    if (!s.hasBothClasses()) {
      return points;
    }
    points.add(new Point(Double.POSITIVE_INFINITY, 0, 0));
    double[] thresholds = Arrays.stream(concat(s.positives, s.negatives)).sorted().distinct().toArray();
    for (int k = thresholds.length - 1; k >= 0; k--) {
      double t = thresholds[k];
      double tpr = (s.positives.length - ScoresByClass.lowerBound(s.positives, t)) / (double) s.positives.length;
      double fpr = (s.negatives.length - ScoresByClass.lowerBound(s.negatives, t)) / (double) s.negatives.length;
      points.add(new Point(t, fpr, tpr));
    }
    return points;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
