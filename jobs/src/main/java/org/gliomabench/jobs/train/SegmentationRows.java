package org.gliomabench.jobs.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmenting arm's rows of the segmentation table (model cnn_seg for train-seg, multitask_seg for
 * train-multitask), scored in the original space. The table is partitioned by (run, model), so a fold's rows are
 * merged with the other folds' rows of the run's model partition and that one partition is rewritten (other
 * models' partitions, the LLM arms' included, untouched).
 */
public final class SegmentationRows {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentationRows.class);

  private final Warehouse warehouse;
  private final String runId;
  private final String model;

  public SegmentationRows(Warehouse warehouse, String runId, String model) {
    this.warehouse = warehouse;
    this.runId = runId;
    this.model = model;
  }

  /** What a fold wrote: the patients it could not score, and its test patients' mean whole-tumour Dice. */
  public record Written(List<String> skipped, double testWtDice, int testWtPatients) {}

  /**
   * Writes the fold's rows from its scored patients (WT, TC, ET each); a patient that could not be scored in the
   * original space is named on the log and left out, the others go on.
   */
  public Written write(String stage, int fold, List<SegScorer.PatientScore> results, Map<String, String> cohorts,
      Map<String, Integer> labels) {
    List<Row> rows = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    double wtSum = 0;
    int wtN = 0;
    for (SegScorer.PatientScore s : results) {
      if (s.error() != null) {
        LOG.error("{} fold {}: {}; its segmentation rows are skipped, the run goes on", stage, fold, s.error());
        skipped.add(s.patientId());
        continue;
      }
      for (OriginalSpaceScorer.RegionScore r : s.original().regions()) {
        rows.add(row(fold, cohorts.get(s.patientId()), s.patientId(), labels.get(s.patientId()), r,
            s.original().reference()));
        if (r.region().equals(Regions.NAMES[Regions.WT]) && Tables.COHORT_TEST.equals(cohorts.get(s.patientId()))) {
          wtSum += r.dice();
          wtN++;
        }
      }
    }
    skipped.sort(null);
    replaceFold(fold, rows);
    return new Written(skipped, wtN == 0 ? Double.NaN : wtSum / wtN, wtN);
  }

  /**
   * Replaces the fold's rows of the run's partition of this model, keeping the other folds' rows, which folds
   * trained at the same time (here or in other jobs) write too: read, merged and swapped under the commit lock.
   */
  public void replaceFold(int fold, List<Row> foldRows) {
    warehouse.mergePartitions(Segmentation.NAME, SparkTables.frame(warehouse.spark(), Segmentation.TABLE, foldRows),
        existing -> existing.where(col(Tables.RUN_ID).equalTo(lit(runId)).and(col(Segmentation.MODEL).equalTo(lit(model)))
                .and(col(Tables.FOLD).isNull().or(col(Tables.FOLD).notEqual(lit(fold)))))
            // Cast: Spark infers partition columns' types (a numeric-looking run id would come back as a number).
            .select(SparkTables.columns(Segmentation.TABLE)),
        Segmentation.TABLE.partitionColumns());
  }

  /** A row of this model (one declaration with the LLM arms' rows, {@link Segmentation#TABLE}). */
  public Row row(int fold, String cohort, String patientId, Integer label, OriginalSpaceScorer.RegionScore r,
      String reference) {
    return SparkTables.row(Segmentation.TABLE).set(Tables.RUN_ID, runId).set(Segmentation.MODEL, model)
        .set(Tables.PATIENT_ID, patientId).set(Tables.LABEL, label).set(Tables.COHORT, cohort).set(Tables.FOLD, fold)
        .set(Tables.PLANE, null).set(Segmentation.REGION, r.region()).set(Segmentation.DICE, r.dice())
        .set(Segmentation.HD95, r.hd95()).set(Segmentation.PRED_VOXELS, r.predVoxels())
        .set(Segmentation.TRUE_VOXELS, r.trueVoxels()).set(Segmentation.REFERENCE, reference).build();
  }

  /** Prints the mean Dice / HD95 of the run's rows of this model per cohort and region, and what the masks are. */
  public void print() {
    if (!warehouse.exists(Segmentation.NAME)) {
      return;
    }
    List<Row> rows = warehouse.read(Segmentation.NAME)
        .where(col(Tables.RUN_ID).equalTo(runId).and(col(Segmentation.MODEL).equalTo(model)))
        .groupBy(Tables.COHORT, Segmentation.REGION, Segmentation.REFERENCE)
        .agg(count("*").as(SparkTables.COUNT), avg(Segmentation.DICE).as(Segmentation.DICE),
            avg(Segmentation.HD95).as(Segmentation.HD95))
        .orderBy(Tables.COHORT, Segmentation.REGION).collectAsList();
    Set<String> references = new TreeSet<>();
    for (Row r : rows) {
      references.add(SparkTables.string(r, Segmentation.REFERENCE));
      Double dice = SparkTables.doubleOrNull(r, Segmentation.DICE);
      Double hd95 = SparkTables.doubleOrNull(r, Segmentation.HD95);
      System.out.printf(Locale.ROOT, "  %-4s %-2s n=%-3d mean Dice %.3f, mean HD95 %s (original space)%n",
          SparkTables.string(r, Tables.COHORT), SparkTables.string(r, Segmentation.REGION),
          SparkTables.longValue(r, SparkTables.COUNT), dice == null ? Double.NaN : dice,
          hd95 == null ? "n/a" : String.format(Locale.ROOT, "%.2f mm", hd95));
    }
    if (references.contains(Segmentation.REFERENCE_CONSENSUS)) {
      System.out.println("  reference masks: " + Segmentation.REFERENCE_CONSENSUS + ", a consensus segmentation"
          + " (raters or algorithms), not ground truth");
    }
    if (references.contains(Segmentation.REFERENCE_PHANTOM)) {
      System.out.println("  reference masks: " + Segmentation.REFERENCE_PHANTOM + ", the SIMULATED phantoms' exact"
          + " labels (a pipeline check, not a result on real MRI)");
    }
  }
}
