package org.gliomabench.jobs.seg;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * Writes train-seg's rows. seg_history, seg_models and seg_masks replace exactly the (run, fold) partitions
 * they cover; segmentation is partitioned by (run, model), so a fold's rows are merged with the other folds'
 * rows of the run's "cnn_seg" partition and that one partition is rewritten (LLM arms' partitions untouched).
 */
public final class SegTables {
  private final Warehouse warehouse;
  private final String runId;

  public SegTables(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
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

  /**
   * Replaces the fold's "cnn_seg" rows of the run's segmentation partition, keeping the other folds' rows, which
   * folds trained at the same time (here or in other jobs) write too.
   */
  public void segmentation(int fold, List<Row> foldRows) {
    warehouse.mergePartitions(Segmentation.NAME, SparkTables.frame(warehouse.spark(), Segmentation.TABLE, foldRows),
        existing -> existing.where(col(Tables.RUN_ID).equalTo(lit(runId))
                .and(col(Segmentation.MODEL).equalTo(lit(Segmentation.MODEL_CNN_SEG)))
                .and(col(Tables.FOLD).isNull().or(col(Tables.FOLD).notEqual(lit(fold)))))
            // Cast: Spark infers partition columns' types (a numeric-looking run id would come back as a number).
            .select(SparkTables.columns(Segmentation.TABLE)),
        Segmentation.TABLE.partitionColumns());
  }

  /** A "cnn_seg" row of the segmentation table (one declaration with the LLM arms' rows, {@link Segmentation#TABLE}). */
  public Row segmentationRow(int fold, String cohort, String patientId, Integer label,
      OriginalSpaceScorer.RegionScore r, String reference) {
    return SparkTables.row(Segmentation.TABLE).set(Tables.RUN_ID, runId).set(Segmentation.MODEL, Segmentation.MODEL_CNN_SEG)
        .set(Tables.PATIENT_ID, patientId).set(Tables.LABEL, label).set(Tables.COHORT, cohort).set(Tables.FOLD, fold)
        .set(Tables.PLANE, null).set(Segmentation.REGION, r.region()).set(Segmentation.DICE, r.dice())
        .set(Segmentation.HD95, r.hd95()).set(Segmentation.PRED_VOXELS, r.predVoxels())
        .set(Segmentation.TRUE_VOXELS, r.trueVoxels()).set(Segmentation.REFERENCE, reference).build();
  }
}
