package org.gliomabench.core.metrics;

/**
 * DeLong, DeLong and Clarke-Pearson (1988): the test for the difference of two correlated ROC AUCs,
 * both scored on the same patients. Each AUC is the mean of its structural components (for every HGG
 * patient the share of LGG patients it outscores, and for every LGG patient the share of HGG patients
 * that outscore it, ties one half); their sample covariances give
 * Var(AUC1 - AUC2) = (S10_11 + S10_22 - 2 S10_12) / m + (S01_11 + S01_22 - 2 S01_12) / n
 * with m HGG and n LGG patients, and z = (AUC1 - AUC2) / sqrt(Var), two-sided normal p-value.
 * The components come from sorted scores, O(N log N).
 *
 * <p>Degenerate cases: NaN throughout when a class has fewer than 2 patients; when the variance is 0
 * (e.g. the same scores twice) z = 0 and p = 1 if the AUCs are equal, else z and p are NaN.
 */
public record DeLong(double auc1, double auc2, double variance, double z, double pValue) {

  public double difference() {
    return auc1 - auc2;
  }

  public static DeLong test(int[] labels, double[] scores1, double[] scores2) {
    ScoresByClass first = ScoresByClass.of(labels, scores1);
    ScoresByClass second = ScoresByClass.of(labels, scores2);
    int m = first.positives.length;
    int n = first.negatives.length;
    if (m < 2 || n < 2) {
      return new DeLong(RocAuc.auc(first), RocAuc.auc(second), Double.NaN, Double.NaN, Double.NaN);
    }
    double[] v10a = new double[m];
    double[] v10b = new double[m];
    double[] v01a = new double[n];
    double[] v01b = new double[n];
    int i = 0;
    int j = 0;
    for (int k = 0; k < labels.length; k++) {
      if (labels[k] == 1) {
        v10a[i] = ScoresByClass.shareBelow(first.negatives, scores1[k] + 0.0);
        v10b[i++] = ScoresByClass.shareBelow(second.negatives, scores2[k] + 0.0);
      } else {
        v01a[j] = ScoresByClass.shareAbove(first.positives, scores1[k] + 0.0);
        v01b[j++] = ScoresByClass.shareAbove(second.positives, scores2[k] + 0.0);
      }
    }
    double auc1 = mean(v10a);
    double auc2 = mean(v10b);
    double variance = varianceOfDifference(v10a, v10b) / m + varianceOfDifference(v01a, v01b) / n;
    double z;
    if (variance > 0) {
      z = (auc1 - auc2) / Math.sqrt(variance);
    } else {
      z = auc1 == auc2 ? 0 : Double.NaN;
    }
    return new DeLong(auc1, auc2, variance, z, StandardNormal.twoSidedP(z));
  }

  /** Sample variance (n - 1) of a - b, which is S_11 + S_22 - 2 S_12 of the pair. */
  private static double varianceOfDifference(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      d[k] = a[k] - b[k];
    }
    double mean = mean(d);
    double sum = 0;
    for (double x : d) {
      sum += (x - mean) * (x - mean);
    }
    return sum / (d.length - 1);
  }

  private static double mean(double[] a) {
    double sum = 0;
    for (double x : a) {
      sum += x;
    }
    return sum / a.length;
  }
}
