package org.gliomabench.core.metrics;

/**
 * The threshold metrics of one confusion matrix.
 *
 * <p>Undefined cases (documented, tested):
 * <ul>
 *   <li>precision with no positive predictions, recall with no HGG patients, specificity with no LGG
 *       patients: {@code NaN} (0/0 is not a measurement);
 *   <li>balanced accuracy: {@code NaN} when recall or specificity is;
 *   <li>F1 = 2tp / (2tp + fp + fn): 0 when tp = 0 but some patient is positive or predicted positive,
 *       {@code NaN} only when there is neither (no HGG patient and no HGG prediction);
 *   <li>Matthews correlation: {@code NaN} when the cohort has one class only (nothing to correlate
 *       with); 0 when the classifier predicts one class only for a two-class cohort, the limit of
 *       the formula and the honest score of the majority-class baseline;
 *   <li>everything is {@code NaN} on an empty cohort.
 * </ul>
 */
public record BinaryMetrics(ConfusionCounts counts) {

  public BinaryMetrics {
    if (counts == null) {
      throw new IllegalArgumentException("counts are missing");
    }
  }

  public static BinaryMetrics of(ConfusionCounts counts) {
    return new BinaryMetrics(counts);
  }

  public static BinaryMetrics of(int[] labels, int[] predictions) {
    return new BinaryMetrics(ConfusionCounts.of(labels, predictions));
  }

  public double accuracy() {
    return ratio(counts.tp() + counts.tn(), counts.n());
  }

  /** Positive predictive value: tp / (tp + fp). */
  public double precision() {
    return ratio(counts.tp(), counts.predictedPositives());
  }

  /** Sensitivity, true positive rate: tp / (tp + fn). */
  public double recall() {
    return ratio(counts.tp(), counts.positives());
  }

  /** True negative rate: tn / (tn + fp). */
  public double specificity() {
    return ratio(counts.tn(), counts.negatives());
  }

  /** Harmonic mean of precision and recall, written as 2tp / (2tp + fp + fn) to stay defined at tp = 0. */
  public double f1() {
    return ratio(2.0 * counts.tp(), 2.0 * counts.tp() + counts.fp() + counts.fn());
  }

  public double balancedAccuracy() {
    return (recall() + specificity()) / 2;
  }

  /** Matthews correlation (tp tn - fp fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)). */
  public double matthews() {
    if (counts.positives() == 0 || counts.negatives() == 0) {
      return Double.NaN;
    }
    if (counts.predictedPositives() == 0 || counts.predictedNegatives() == 0) {
      return 0;
    }
    double numerator = (double) counts.tp() * counts.tn() - (double) counts.fp() * counts.fn();
    double denominator = Math.sqrt((double) counts.predictedPositives() * counts.positives())
        * Math.sqrt((double) counts.negatives() * counts.predictedNegatives());
    return numerator / denominator;
  }

  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? Double.NaN : numerator / denominator;
  }
}
