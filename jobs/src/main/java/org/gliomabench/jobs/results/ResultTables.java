package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmLocalisation;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.MetricsAcrossFolds;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.results.ResultRows.AcrossFolds;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.MetricValue;

/** The rows aggregate writes, from {@link ResultRows}, as the tables in {@link Tables} declare them. */
public final class ResultTables {
  private ResultTables() {}

  /**
   * Predictions rows of cnn_ensemble, cnn_selected and multitask_ensemble ({@link Predictions#CNN_TEST_ROWS});
   * {@code foldModels} names each model's fold models ("0,1,2,3,4" or "2").
   */
  static List<Row> cnnTestRows(String runId, List<ResultRows.Prediction> rows, Map<String, String> foldModels) {
    return rows.stream().map(p -> SparkTables.row(Predictions.CNN_TEST_ROWS).set(Tables.RUN_ID, runId)
        .set(Predictions.MODEL, p.model()).set(Tables.PLANE, null).set(Tables.COHORT, p.cohort()).set(Tables.FOLD, null)
        .set(Tables.PATIENT_ID, p.patientId()).set(Tables.LABEL, p.label()).set(Predictions.SCORE, p.score())
        .set(Predictions.PRED, p.pred()).set(Predictions.THRESHOLD, p.threshold())
        .set(LlmVotes.SCORE_SOURCE, p.scoreSource())
        .set(Predictions.FOLD_MODELS, foldModels.get(p.model()))
        .build()).toList();
  }

  /**
   * The LLM arms' per-patient aggregate (columns arm, location_kind, ...) selected into the segmentation table's
   * columns ({@link Segmentation#TABLE}; conform it to the declaration).
   */
  static Column[] segmentationColumns(String runId) {
    return new Column[] {lit(runId).as(Tables.RUN_ID), col(LlmLocalisation.ARM).as(Segmentation.MODEL),
        col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD), col(Tables.PLANE),
        col(LlmLocalisation.LOCATION_KIND).as(Segmentation.REGION), col(Segmentation.DICE),
        lit(null).cast(DataTypes.DoubleType).as(Segmentation.HD95), col(Segmentation.PRED_VOXELS),
        col(Segmentation.TRUE_VOXELS), col(Segmentation.SLICES), col(Segmentation.HIT_RATE),
        col(Segmentation.MEAN_DISTANCE_PX),
        coalesce(col(Segmentation.REFERENCE), lit(Segmentation.REFERENCE_CONSENSUS)).as(Segmentation.REFERENCE)};
  }

  public static List<Row> metricRows(String runId, List<MetricValue> values) {
    return values.stream().map(m -> SparkTables.row(Metrics.TABLE).set(Tables.RUN_ID, runId)
        .set(Predictions.MODEL, m.group().model()).set(Tables.PLANE, m.group().plane())
        .set(Tables.COHORT, m.group().cohort()).set(Tables.FOLD, m.group().fold()).set(Metrics.METRIC, m.metric())
        .set(Metrics.VALUE, m.value()).set(Metrics.CI_LOW, m.ciLow()).set(Metrics.CI_HIGH, m.ciHigh())
        .set(Metrics.N, m.n()).set(LlmVotes.SCORE_SOURCE, m.scoreSource()).build()).toList();
  }

  public static List<Row> acrossFoldRows(String runId, List<AcrossFolds> values) {
    return values.stream().map(a -> SparkTables.row(MetricsAcrossFolds.TABLE).set(Tables.RUN_ID, runId)
        .set(Predictions.MODEL, a.model()).set(Tables.PLANE, a.plane()).set(Tables.COHORT, a.cohort())
        .set(Metrics.METRIC, a.metric()).set(MetricsAcrossFolds.MEAN, a.mean()).set(MetricsAcrossFolds.SD, a.sd())
        .set(MetricsAcrossFolds.FOLDS, a.folds()).set(MetricsAcrossFolds.COUNTED, a.counted()).build()).toList();
  }

  public static List<Row> comparisonRows(String runId, List<Comparison> values) {
    return values.stream().map(c -> SparkTables.row(Comparisons.TABLE).set(Tables.RUN_ID, runId)
        .set(Tables.COHORT, c.cohort()).set(Tables.FOLD, c.fold()).set(Comparisons.MODEL_A, c.modelA())
        .set(Comparisons.MODEL_B, c.modelB()).set(Comparisons.PLANE_B, c.planeB()).set(Comparisons.N, c.n())
        .set(Comparisons.BOTH_CORRECT, c.bothCorrect()).set(Comparisons.ONLY_A_CORRECT, c.onlyACorrect())
        .set(Comparisons.ONLY_B_CORRECT, c.onlyBCorrect()).set(Comparisons.BOTH_WRONG, c.bothWrong())
        .set(Comparisons.MCNEMAR_P, c.mcnemarP()).set(Comparisons.AUC_A, c.aucA()).set(Comparisons.AUC_B, c.aucB())
        .set(Comparisons.AUC_DIFFERENCE, c.aucDifference()).set(Comparisons.DELONG_Z, c.delongZ())
        .set(Comparisons.DELONG_P, c.delongP()).build()).toList();
  }
}
