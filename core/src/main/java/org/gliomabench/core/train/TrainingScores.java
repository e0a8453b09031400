package org.gliomabench.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch metrics of a binary classifier from true labels (0/1) and scores P(label = 1): binary
 * cross-entropy, accuracy at a threshold, ROC AUC (ties counted half) and the Youden threshold.
 */
public final class TrainingScores {
  private static final double EPS = 1e-7;

  private TrainingScores() {}

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

  /** ROC AUC (ties count one half); NaN when one class is absent. The metrics library's, so training and reports agree. */
  public static double auc(int[] labels, double[] scores) {
    check(labels, scores);
    return org.gliomabench.core.metrics.RocAuc.auc(labels, scores);
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

  /** A validation part's figures: cross-entropy, accuracy at 0.5 and AUC (NaN where there are none). */
  public record Summary(double loss, double accuracy, double auc) {
    public static final Summary NONE = new Summary(Double.NaN, Double.NaN, Double.NaN);
  }

  /** {@link Summary} of scores by patient id against their labels (patients sorted by id). */
  public static Summary summary(Map<String, Double> scores, Map<String, Integer> labels) {
    List<String> ids = new ArrayList<>(scores.keySet());
    ids.sort(null);
    int[] y = ids.stream().mapToInt(labels::get).toArray();
    double[] s = ids.stream().mapToDouble(scores::get).toArray();
    return new Summary(logLoss(y, s), accuracy(y, s, 0.5), auc(y, s));
  }

  /** {@link #youdenThreshold(int[], double[])} of scores by patient id against their labels. */
  public static double youdenThreshold(Map<String, Double> scores, Map<String, Integer> labels) {
    List<String> ids = new ArrayList<>(scores.keySet());
    ids.sort(null);
    return youdenThreshold(ids.stream().mapToInt(labels::get).toArray(), ids.stream().mapToDouble(scores::get).toArray());
  }

  private static void check(int[] labels, double[] scores) {
    if (labels.length != scores.length) {
      throw new IllegalArgumentException(labels.length + " labels but " + scores.length + " scores");
    }
  }
}
