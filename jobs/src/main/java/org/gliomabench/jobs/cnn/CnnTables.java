package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.gliomabench.core.Tables;
import org.gliomabench.core.train.CnnEpoch;
import org.gliomabench.jobs.TableSchemas;
import org.gliomabench.jobs.Warehouse;

/** Writes train-cnn's rows: each call replaces exactly the (run, fold) partitions it covers. */
public final class CnnTables {
  private final Warehouse warehouse;
  private final String runId;

  public CnnTables(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
  }

  /** The fold's whole history so far (rewritten each epoch, so a resumed fold never shows duplicates). */
  public void history(int fold, List<CnnEpoch> history) {
    List<Row> rows = new ArrayList<>();
    for (CnnEpoch r : history) {
      rows.add(RowFactory.create(runId, fold, r.epoch(), r.fitLoss(), r.trainLoss(), r.trainAccuracy(), r.trainAuc(),
          r.valLoss(), r.valAccuracy(), r.valAuc(), r.seconds(), r.examplesPerSecond(), r.trainExamples()));
    }
    warehouse.overwriteRunPartitions(Tables.CnnHistory.NAME,
        warehouse.spark().createDataFrame(rows, TableSchemas.CNN_HISTORY).coalesce(1), Tables.RUN_ID, Tables.FOLD);
  }

  /** The kept model of a fold. */
  public void model(int fold, CnnEpoch best, String criterion, int epochs, double threshold, String thresholdRule,
      String modelPath, String trainingMaster, String backend) {
    Row row = RowFactory.create(runId, fold, best.epoch(), criterion, epochs, best.valLoss(), best.valAuc(), threshold,
        thresholdRule, modelPath, trainingMaster, backend);
    warehouse.overwriteRunPartitions(Tables.CnnModels.NAME,
        warehouse.spark().createDataFrame(List.of(row), TableSchemas.CNN_MODELS).coalesce(1), Tables.RUN_ID, Tables.FOLD);
  }

  /** A fold's predictions (its validation part and the test cohort), model "cnn", plane null. */
  public void predictions(int fold, Map<String, Double> scores, Map<String, Integer> labels, Map<String, String> cohorts,
      double threshold) {
    List<Row> rows = new ArrayList<>();
    scores.forEach((id, score) -> rows.add(RowFactory.create(runId, Tables.Predictions.MODEL_CNN, null,
        cohorts.get(id), fold, id, labels.get(id), score, score >= threshold ? 1 : 0, threshold)));
    warehouse.overwriteRunPartitions(Tables.Predictions.NAME,
        warehouse.spark().createDataFrame(rows, TableSchemas.PREDICTIONS).coalesce(1), Tables.Predictions.PARTITION_COLUMNS);
  }
}
