package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CnnEmbeddings;
import org.gliomabench.core.Tables.CnnHistory;
import org.gliomabench.core.Tables.CnnModels;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.train.CnnEpoch;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.train.FoldPredictions;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

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
      rows.add(SparkTables.row(CnnHistory.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
          .set(CnnHistory.EPOCH, r.epoch()).set(CnnHistory.FIT_LOSS, r.fitLoss())
          .set(CnnHistory.TRAIN_LOSS, r.trainLoss()).set(CnnHistory.TRAIN_ACCURACY, r.trainAccuracy())
          .set(CnnHistory.TRAIN_AUC, r.trainAuc()).set(CnnHistory.VAL_LOSS, r.valLoss())
          .set(CnnHistory.VAL_ACCURACY, r.valAccuracy()).set(CnnHistory.VAL_AUC, r.valAuc())
          .set(CnnHistory.SECONDS, r.seconds()).set(CnnHistory.EXAMPLES_PER_SECOND, r.examplesPerSecond())
          .set(CnnHistory.TRAIN_EXAMPLES, r.trainExamples()).build());
    }
    write(CnnHistory.TABLE, rows);
  }

  /** The kept model of a fold. */
  public void model(int fold, CnnEpoch best, String criterion, int epochs, double threshold, String thresholdRule,
      String modelPath, String trainingMaster, String backend) {
    write(CnnModels.TABLE, List.of(SparkTables.row(CnnModels.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
        .set(CnnModels.BEST_EPOCH, best.epoch()).set(CnnModels.CRITERION, criterion).set(CnnModels.EPOCHS, epochs)
        .set(CnnModels.VAL_LOSS, best.valLoss()).set(CnnModels.VAL_AUC, best.valAuc())
        .set(CnnModels.THRESHOLD, threshold).set(CnnModels.THRESHOLD_RULE, thresholdRule)
        .set(CnnModels.MODEL_PATH, modelPath).set(CnnModels.TRAINING_MASTER, trainingMaster)
        .set(CnnModels.BACKEND, backend).build()));
  }

  /** A fold's predictions (its validation part and the test cohort), model "cnn", plane null. */
  public void predictions(int fold, Map<String, Double> scores, Map<String, Integer> labels, Map<String, String> cohorts,
      double threshold) {
    FoldPredictions.write(warehouse, runId, Predictions.MODEL_CNN, fold, scores, labels, cohorts, threshold);
  }

  /** The fold's kept model's embedding of each patient it scored ({@code trainedOn}: its training part). */
  public void embeddings(int fold, Map<String, CnnScorer.Scored> scored, List<FoldSplit.Member> members,
      java.util.Set<String> trainedOn) {
    List<Row> rows = new ArrayList<>();
    for (FoldSplit.Member m : members) {
      CnnScorer.Scored s = scored.get(m.patientId());
      if (s != null) {
        rows.add(SparkTables.row(CnnEmbeddings.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
            .set(Tables.PATIENT_ID, m.patientId()).set(Tables.LABEL, m.label()).set(Tables.COHORT, m.cohort())
            .set(CnnEmbeddings.PATIENT_FOLD, m.fold()).set(CnnEmbeddings.TRAINED_ON, trainedOn.contains(m.patientId()))
            .set(CnnEmbeddings.EMBEDDING, s.embedding()).build());
      }
    }
    write(CnnEmbeddings.TABLE, rows);
  }

  private void write(TableSpec table, List<Row> rows) {
    SparkTables.overwritePartitions(warehouse, table, SparkTables.frame(warehouse.spark(), table, rows).coalesce(1));
  }
}
