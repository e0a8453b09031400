package org.gliomabench.jobs.multitask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.MultitaskHistory;
import org.gliomabench.core.Tables.MultitaskModels;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.multitask.MultiTaskEpoch;
import org.gliomabench.jobs.train.FoldPredictions;
import org.gliomabench.jobs.train.SegmentationRows;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * Writes train-multitask's rows: multitask_history and multitask_models replace exactly the (run, fold) partitions
 * they cover; predictions (model multitask) and segmentation (model multitask_seg) as the CNN and the U-Net write
 * theirs.
 */
final class MultitaskTables {
  private final Warehouse warehouse;
  private final String runId;
  private final SegmentationRows segmentation;

  MultitaskTables(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
    this.segmentation = new SegmentationRows(warehouse, runId, Segmentation.MODEL_MULTITASK_SEG);
  }

  /** The fold's whole history so far (rewritten each epoch, so a resumed fold never shows duplicates). */
  void history(int fold, List<MultiTaskEpoch> history) {
    List<Row> rows = new ArrayList<>();
    for (MultiTaskEpoch r : history) {
      rows.add(SparkTables.row(MultitaskHistory.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
          .set(MultitaskHistory.EPOCH, r.epoch()).set(MultitaskHistory.FIT_LOSS, r.fitLoss())
          .set(MultitaskHistory.VAL_LOSS, r.valLoss()).set(MultitaskHistory.VAL_SEG_LOSS, r.valSegLoss())
          .set(MultitaskHistory.VAL_GRADE_LOSS, r.valGradeLoss()).set(MultitaskHistory.VAL_ACCURACY, r.valAccuracy())
          .set(MultitaskHistory.VAL_AUC, r.valAuc()).set(MultitaskHistory.VAL_DICE_WT, r.valDiceWt())
          .set(MultitaskHistory.VAL_DICE_TC, r.valDiceTc()).set(MultitaskHistory.VAL_DICE_ET, r.valDiceEt())
          .set(MultitaskHistory.SECONDS, r.seconds()).set(MultitaskHistory.EXAMPLES_PER_SECOND, r.examplesPerSecond())
          .set(MultitaskHistory.TRAIN_EXAMPLES, r.trainExamples()).build());
    }
    write(MultitaskHistory.TABLE, rows);
  }

  /** What the kept model of a fold is and how it was trained. */
  record Kept(MultiTaskEpoch best, String criterion, int epochs, double threshold, String thresholdRule,
      double gradeWeight, String dimensions, String loss, String modelPath, String trainingMaster, String backend) {}

  void model(int fold, Kept k) {
    write(MultitaskModels.TABLE, List.of(SparkTables.row(MultitaskModels.TABLE).set(Tables.RUN_ID, runId)
        .set(Tables.FOLD, fold).set(MultitaskModels.BEST_EPOCH, k.best().epoch())
        .set(MultitaskModels.CRITERION, k.criterion()).set(MultitaskModels.EPOCHS, k.epochs())
        .set(MultitaskModels.VAL_LOSS, k.best().valLoss()).set(MultitaskModels.VAL_AUC, k.best().valAuc())
        .set(MultitaskModels.VAL_DICE_WT, k.best().valDiceWt()).set(MultitaskModels.THRESHOLD, k.threshold())
        .set(MultitaskModels.THRESHOLD_RULE, k.thresholdRule()).set(MultitaskModels.GRADE_WEIGHT, k.gradeWeight())
        .set(MultitaskModels.DIMENSIONS, k.dimensions()).set(MultitaskModels.LOSS, k.loss())
        .set(MultitaskModels.MODEL_PATH, k.modelPath()).set(MultitaskModels.TRAINING_MASTER, k.trainingMaster())
        .set(MultitaskModels.BACKEND, k.backend()).build()));
  }

  /** The fold model's P(HGG) for its validation part and the test cohort (model multitask). */
  void predictions(int fold, Map<String, Double> scores, Map<String, Integer> labels, Map<String, String> cohorts,
      double threshold) {
    FoldPredictions.write(warehouse, runId, Predictions.MODEL_MULTITASK, fold, scores, labels, cohorts, threshold);
  }

  /** The run's multitask_seg rows of the segmentation table. */
  SegmentationRows segmentation() {
    return segmentation;
  }

  private void write(TableSpec table, List<Row> rows) {
    SparkTables.overwritePartitions(warehouse, table, SparkTables.frame(warehouse.spark(), table, rows).coalesce(1));
  }
}
