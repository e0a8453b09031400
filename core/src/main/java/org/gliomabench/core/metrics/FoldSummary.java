package org.gliomabench.core.metrics;

/**
 * Mean and sample standard deviation (n - 1) of one metric across folds, skipping the folds where the
 * metric is NaN (undefined there, not zero).
 *
 * @param folds folds given
 * @param counted folds with a value
 * @param mean NaN when no fold has a value
 * @param sd sample standard deviation; NaN when fewer than 2 folds have a value
 */
public record FoldSummary(int folds, int counted, double mean, double sd) {

  public static FoldSummary of(double... values) {
    int counted = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        counted++;
        sum += v;
      }
    }
    double mean = counted == 0 ? Double.NaN : sum / counted;
    double squares = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        squares += (v - mean) * (v - mean);
      }
    }
    double sd = counted < 2 ? Double.NaN : Math.sqrt(squares / (counted - 1));
    return new FoldSummary(values.length, counted, mean, sd);
  }
}
