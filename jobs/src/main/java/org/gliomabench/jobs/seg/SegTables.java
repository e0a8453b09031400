package org.gliomabench.jobs.seg;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.SegHistory;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.Tables.SegModels;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.jobs.train.SegScorer;
import org.gliomabench.jobs.train.SegmentationRows;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * Writes train-seg's rows. seg_history, seg_models and seg_masks replace exactly the (run, fold) partitions
 * they cover; segmentation's cnn_seg rows go through {@link SegmentationRows}.
 */
public final class SegTables {
  private final Warehouse warehouse;
  private final String runId;
  private final SegmentationRows segmentation;

  public SegTables(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
    this.segmentation = new SegmentationRows(warehouse, runId, Segmentation.MODEL_CNN_SEG);
  }

  /** The fold's whole history so far (rewritten each epoch, so a resumed fold never shows duplicates). */
  public void history(int fold, List<SegEpoch> history) {
    List<Row> rows = new ArrayList<>();
    for (SegEpoch r : history) {
      rows.add(SparkTables.row(SegHistory.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
          .set(SegHistory.EPOCH, r.epoch()).set(SegHistory.FIT_LOSS, r.fitLoss()).set(SegHistory.VAL_LOSS, r.valLoss())
          .set(SegHistory.VAL_DICE_WT, r.valDiceWt()).set(SegHistory.VAL_DICE_TC, r.valDiceTc())
          .set(SegHistory.VAL_DICE_ET, r.valDiceEt()).set(SegHistory.SECONDS, r.seconds())
          .set(SegHistory.EXAMPLES_PER_SECOND, r.examplesPerSecond()).set(SegHistory.TRAIN_EXAMPLES, r.trainExamples())
          .build());
    }
    SparkTables.overwritePartitions(warehouse, SegHistory.TABLE,
        SparkTables.frame(warehouse.spark(), SegHistory.TABLE, rows).coalesce(1));
  }

  public void model(int fold, SegEpoch best, int epochs, String dimensions, String loss, String modelPath,
      String trainingMaster, String backend) {
    Row row = SparkTables.row(SegModels.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
        .set(SegModels.BEST_EPOCH, best.epoch()).set(SegModels.EPOCHS, epochs).set(SegModels.VAL_DICE_WT, best.valDiceWt())
        .set(SegModels.DIMENSIONS, dimensions).set(SegModels.LOSS, loss).set(SegModels.MODEL_PATH, modelPath)
        .set(SegModels.TRAINING_MASTER, trainingMaster).set(SegModels.BACKEND, backend).build();
    SparkTables.overwritePartitions(warehouse, SegModels.TABLE,
        SparkTables.frame(warehouse.spark(), SegModels.TABLE, List.of(row)).coalesce(1));
  }

  /** The fold's predicted masks, written from the executors' results. */
  public void masks(int fold, JavaRDD<SegScorer.PatientScore> scores, Map<String, String> cohorts, int[] gridDhw) {
    String run = runId;
    int[] shape = gridDhw.clone();
    JavaRDD<Row> rows = scores.map(s -> SparkTables.row(SegMasks.TABLE).set(Tables.RUN_ID, run).set(Tables.FOLD, fold)
        .set(Tables.PATIENT_ID, s.patientId()).set(Tables.COHORT, cohorts.get(s.patientId())).set(SegMasks.SHAPE, shape)
        .set(SegMasks.MASK, s.bits()).set(SegMasks.CROP_ORIGIN, s.cropOrigin()).set(SegMasks.CROP_EXTENT, s.cropExtent())
        .build());
    SparkTables.overwritePartitions(warehouse, SegMasks.TABLE,
        SparkTables.frame(warehouse.spark(), SegMasks.TABLE, rows).coalesce(1));
  }

  /** The run's cnn_seg rows of the segmentation table. */
  public SegmentationRows segmentation() {
    return segmentation;
  }
}
