package org.gliomabench.jobs.results;

import java.util.Map;

/** The plain-Java rows that {@link MetricsCalculator} works on and {@link ResultTables} turns into table rows. */
public final class ResultRows {
  private ResultRows() {}

  /** score_source of the CNN's rows: its sigmoid output P(HGG). */
  public static final String SCORE_P_HGG = "p_hgg";
  /** score_source of cnn_ensemble rows: the mean of the fold models' P(HGG). */
  public static final String SCORE_FOLD_MEAN = "p_hgg_fold_mean";

  /** One predictions row: score null when the arm has none; threshold the cut that gave pred, where known. */
  public record Prediction(String model, String plane, String cohort, Integer fold, String patientId, int label,
      Double score, int pred, String scoreSource, Double threshold) {
    public Group group() {
      return new Group(model, plane, cohort, fold);
    }
  }

  /** A metrics group: model x plane x cohort x fold (plane null for the CNN, fold null for the test cohort). */
  public record Group(String model, String plane, String cohort, Integer fold) {}

  /** One metrics row; value and interval null where undefined (e.g. AUC with one class). */
  public record MetricValue(Group group, String metric, Double value, Double ciLow, Double ciHigh, int n,
      String scoreSource) {}

  /** Mean and SD of one metric over folds. */
  public record AcrossFolds(String model, String plane, String cohort, String metric, Double mean, Double sd,
      int folds, int counted) {}

  /** McNemar and DeLong for model a (the CNN) against model b (an LLM arm on one plane), same patients. */
  public record Comparison(String cohort, Integer fold, String modelA, String modelB, String planeB, int n,
      int bothCorrect, int onlyACorrect, int onlyBCorrect, int bothWrong, double mcnemarP,
      Double aucA, Double aucB, Double aucDifference, Double delongZ, Double delongP) {}

  /** One row of the headline table (see Tables.Results.Headline); metric values with their intervals. */
  public record HeadlineRow(int position, String model, String plane, String role, String label, String detail,
      boolean simulated, int n, Map<String, MetricValue> metrics, String scoreSource, String versus, Double mcnemarP,
      Double delongP) {
    public Double value(String metric) {
      MetricValue v = metrics.get(metric);
      return v == null ? null : v.value();
    }
  }
}
