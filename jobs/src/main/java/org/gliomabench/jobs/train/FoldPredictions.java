package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * A grading arm's predictions rows of one fold's kept model (model "cnn" or "multitask", plane null): its
 * validation part (cohort cv) and the test cohort, P(HGG) and the prediction at the fold's threshold. Replaces
 * exactly the (run, model, fold) partition.
 */
public final class FoldPredictions {
  private FoldPredictions() {}

  public static void write(Warehouse warehouse, String runId, String model, int fold, Map<String, Double> scores,
      Map<String, Integer> labels, Map<String, String> cohorts, double threshold) {
    List<Row> rows = new ArrayList<>();
    scores.forEach((id, score) -> rows.add(SparkTables.row(Predictions.TABLE).set(Tables.RUN_ID, runId)
        .set(Predictions.MODEL, model).set(Tables.PLANE, null).set(Tables.COHORT, cohorts.get(id))
        .set(Tables.FOLD, fold).set(Tables.PATIENT_ID, id).set(Tables.LABEL, labels.get(id))
        .set(Predictions.SCORE, score).set(Predictions.PRED, score >= threshold ? 1 : 0)
        .set(Predictions.THRESHOLD, threshold).build()));
    SparkTables.overwritePartitions(warehouse, Predictions.TABLE,
        SparkTables.frame(warehouse.spark(), Predictions.TABLE, rows).coalesce(1));
  }
}
