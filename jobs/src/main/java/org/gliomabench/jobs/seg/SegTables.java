package org.gliomabench.jobs.seg;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.jobs.results.ResultSchemas;

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
      rows.add(RowFactory.create(runId, fold, r.epoch(), r.fitLoss(), r.valLoss(), r.valDiceWt(), r.valDiceTc(),
          r.valDiceEt(), r.seconds(), r.examplesPerSecond(), r.trainExamples()));
    }
    warehouse.overwriteRunPartitions(Tables.SegHistory.NAME,
        warehouse.spark().createDataFrame(rows, SegSchemas.SEG_HISTORY).coalesce(1), Tables.RUN_ID, Tables.FOLD);
  }

  public void model(int fold, SegEpoch best, int epochs, String dimensions, String loss, String modelPath,
      String trainingMaster, String backend) {
    Row row = RowFactory.create(runId, fold, best.epoch(), epochs, best.valDiceWt(), dimensions, loss, modelPath,
        trainingMaster, backend);
    warehouse.overwriteRunPartitions(Tables.SegModels.NAME,
        warehouse.spark().createDataFrame(List.of(row), SegSchemas.SEG_MODELS).coalesce(1), Tables.RUN_ID, Tables.FOLD);
  }

  /** The fold's predicted masks, written from the executors' results. */
  public void masks(int fold, JavaRDD<SegScorer.PatientScore> scores, Map<String, String> cohorts, int[] gridDhw) {
    String run = runId;
    int[] shape = gridDhw.clone();
    // Rows built on executors need Scala sequences for array columns.
    JavaRDD<Row> rows = scores.map(s -> RowFactory.create(run, fold, s.patientId(), cohorts.get(s.patientId()), seq(shape),
        s.bits(), seq(s.cropOrigin()), seq(s.cropExtent())));
    warehouse.overwriteRunPartitions(Tables.SegMasks.NAME,
        warehouse.spark().createDataFrame(rows, SegSchemas.SEG_MASKS).coalesce(1), Tables.RUN_ID, Tables.FOLD);
  }

  /** Replaces the fold's "cnn_seg" rows of the run's segmentation partition, keeping the other folds' rows. */
  public void segmentation(int fold, List<Row> foldRows) {
    List<Row> rows = new ArrayList<>(foldRows);
    if (warehouse.exists(Segmentation.NAME)) {
      // Collected before the overwrite: Spark must not read the partition it is replacing.
      warehouse.read(Segmentation.NAME)
          .where(col(Tables.RUN_ID).equalTo(lit(runId)).and(col(Segmentation.MODEL).equalTo(lit(Segmentation.MODEL_CNN_SEG)))
              .and(col(Tables.FOLD).isNull().or(col(Tables.FOLD).notEqual(lit(fold)))))
          // Cast: Spark infers partition columns' types (a numeric-looking run id would come back as a number).
          .select(Arrays.stream(ResultSchemas.SEGMENTATION.fields()).map(f -> col(f.name()).cast(f.dataType()))
              .toArray(org.apache.spark.sql.Column[]::new))
          .collectAsList()
          .forEach(rows::add);
    }
    warehouse.overwriteRunPartitions(Segmentation.NAME,
        warehouse.spark().createDataFrame(rows, ResultSchemas.SEGMENTATION).coalesce(1), Segmentation.PARTITION_COLUMNS);
  }

  private static scala.collection.Seq<Integer> seq(int[] values) {
    return scala.collection.JavaConverters.asScalaBuffer(Arrays.stream(values).boxed().toList()).toSeq();
  }

  /** A "cnn_seg" row of the segmentation table (one schema with the LLM arms' rows, {@link ResultSchemas#SEGMENTATION}). */
  public Row segmentationRow(int fold, String cohort, String patientId, Integer label,
      OriginalSpaceScorer.RegionScore r, String reference) {
    return RowFactory.create(runId, Segmentation.MODEL_CNN_SEG, patientId, label, cohort, fold, null,
        r.region(), r.dice(), r.hd95(), r.predVoxels(), r.trueVoxels(), null, null, null, reference);
  }
}
