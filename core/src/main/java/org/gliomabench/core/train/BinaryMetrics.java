package org.gliomabench.core.train;

import java.util.Arrays;

/**
 * Per-epoch metrics of a binary classifier from true labels (0/1) and scores P(label = 1): binary
 * cross-entropy, accuracy at a threshold, ROC AUC (ties counted half) and the Youden threshold.
 */
public final class BinaryMetrics {
  private static final double EPS = 1e-7;

  private BinaryMetrics() {}

  /** Mean binary cross-entropy, scores clipped to [1e-7, 1 - 1e-7] as Keras and DL4J do. */
  public static double logLoss(int[] labels, double[] scores) {
    check(labels, scores);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double s = Math.min(1 - EPS, Math.max(EPS, scores[i]));
      sum += labels[i] == 1 ? -Math.log(s) : -Math.log(1 - s);
    }
    return labels.length == 0 ? Double.NaN : sum / labels.length;
  }

  /** Share of examples with (score >= threshold) == (label == 1). */
  public static double accuracy(int[] labels, double[] scores, double threshold) {
    check(labels, scores);
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += (scores[i] >= threshold) == (labels[i] == 1) ? 1 : 0;
    }
    return labels.length == 0 ? Double.NaN : (double) right / labels.length;
  }

  /** ROC AUC by the Mann-Whitney statistic; NaN when one class is absent. */
  public static double auc(int[] labels, double[] scores) {
    check(labels, scores);
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double[] ranks = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = rank;
      }
      i = j + 1;
    }
    long pos = 0;
    double rankSum = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == 1) {
        pos++;
        rankSum += ranks[i];
      }
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * The threshold that maximises sensitivity + specificity - 1 on these examples (ties: the one nearest
   * 0.5); 0.5 when one class is absent.
   */
  public static double youdenThreshold(int[] labels, double[] scores) {
    check(labels, scores);
    long pos = Arrays.stream(labels).filter(l -> l == 1).count();
    long neg = labels.length - pos;
    if (pos == 0 || neg == 0) {
      return 0.5;
    }
    double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
    double best = 0.5;
    double bestJ = -2;
    for (double t : candidates) {
      long tp = 0;
      long tn = 0;
      for (int i = 0; i < labels.length; i++) {
        boolean predPos = scores[i] >= t;
        tp += predPos && labels[i] == 1 ? 1 : 0;
        tn += !predPos && labels[i] == 0 ? 1 : 0;
      }
      double j = (double) tp / pos + (double) tn / neg - 1;
      if (j > bestJ + 1e-12 || (Math.abs(j - bestJ) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
        bestJ = j;
        best = t;
      }
    }
    return best;
  }

  private static void check(int[] labels, double[] scores) {
    if (labels.length != scores.length) {
      throw new IllegalArgumentException(labels.length + " labels but " + scores.length + " scores");
    }
  }
}
