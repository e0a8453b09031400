package org.gliomabench.jobs.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-seg through the command line on an ingested synthetic (phantom) cohort, Spark local[2]. */
class TrainSegCommandTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;
  static Path data;

  @BeforeAll
  static void synthAndIngest() {
    spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    data = tmp.resolve("synth");
    assertEquals(0, Main.run("synth", "--out", data.toString(), "--patients", "20", "--seed", "11"));
    // The synthetic profile's crop and grid (conf/synthetic-study.properties); axial slices only, for speed.
    assertEquals(0, Main.run("ingest", "--data", data.toString(), "--warehouse", warehouse, "--run-id", "ing",
        "--set", "ingest.crop.extent=48,48,32", "--set", "ingest.volume.shape=16,32,32",
        "--set", "ingest.slices.planes=axial"));
  }

  static int trainSeg(String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("train-seg", "--warehouse", warehouse, "--run-id", runId,
        "--folds", "0", "--lr", "3e-3", "--batch", "1", "--set", "seg.seed=5", "--set", "seg.checkpoint.every=4",
        "--set", "seg.worker.prefetch=0"));
    args.addAll(List.of(more));
    return Main.run(args.toArray(new String[0]));
  }

  static List<Row> rows(String table, String where) {
    return spark.read().parquet(warehouse + "/" + table).where(where).collectAsList();
  }

  @Test
  void learnsResumesSkipsTheFinishedFoldAndScoresInTheOriginalSpace() throws Exception {
    // Stopped by the epoch budget after 5 of 8 epochs.
    assertEquals(ExitStatus.UNFINISHED, trainSeg("seg", "--epochs", "8", "--epoch-budget", "5"));
    assertEquals(5, rows("seg_history", "run_id = 'seg'").size());

    // An LLM arm's rows in the same run's segmentation table must survive the CNN's writes.
    Warehouse wh = new Warehouse(spark, warehouse);
    SparkTables.overwritePartitions(wh, Segmentation.TABLE, SparkTables.frame(spark, Segmentation.TABLE,
        List.of(SparkTables.row(Segmentation.TABLE).set(Tables.RUN_ID, "seg").set(Segmentation.MODEL, "sim_arm")
            .set(Tables.PATIENT_ID, "Synth_001").set(Tables.LABEL, 1).set(Tables.COHORT, "test").set(Tables.PLANE, "axial")
            .set(Segmentation.REGION, "box").set(Segmentation.DICE, 0.5).set(Segmentation.SLICES, 3)
            .set(Segmentation.REFERENCE, "synthetic_phantom").build())));

    // One test patient has no reference mask (as in a warehouse ingested before reference_masks existed):
    // named in the log, skipped, the run goes on. No stage after ingest reads the raw files: deleting them all
    // changes nothing.
    List<Row> test = rows("volumes", "cohort = 'test'");
    String broken = test.get(0).getAs("patient_id");
    wh.replace("reference_masks", wh.read("reference_masks").where(
        org.apache.spark.sql.functions.col("patient_id").notEqual(broken)).localCheckpoint());
    deleteRecursively(data);
    assertEquals(3, trainSeg("seg", "--epochs", "8"), "finished, with a patient it could not score");

    List<Row> h = spark.read().parquet(warehouse + "/seg_history").where("run_id = 'seg'").orderBy("epoch").collectAsList();
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), h.stream().map(r -> (int) r.getAs("epoch")).toList(),
        "resumed after epoch 5: each epoch once");
    double first = h.get(0).getAs("val_dice_wt");
    double best = h.stream().mapToDouble(r -> r.getAs("val_dice_wt")).max().orElseThrow();
    // An untrained U-Net (logit bias -2) predicts no tumour at all: WT Dice 0. After 8 short epochs on 13
    // phantoms it segments the whole tumour well. (How far the first epoch gets depends on the order in which
    // the workers meet the examples; it keeps improving after it.)
    assertTrue(best >= 0.7, "validation WT Dice reaches 0.7 within 8 epochs: " + h);
    assertTrue(best > first + 0.05, "validation WT Dice rises after the first epoch: " + first + " -> " + best);
    assertTrue((double) h.get(7).getAs("examples_per_second") > 0);

    Row model = rows("seg_models", "run_id = 'seg'").get(0);
    int kept = model.getAs("best_epoch");
    assertEquals(best, (double) h.get(kept - 1).getAs("val_dice_wt"), 1e-12, "kept epoch has the best val WT Dice");
    assertEquals(best, (double) model.getAs("val_dice_wt"), 1e-12);
    assertEquals("3d", model.getAs("dimensions"));
    assertEquals("dice_bce", model.getAs("loss"));
    assertTrue(new File((String) model.getAs("model_path")).isFile());

    Set<String> testIds = test.stream().map(r -> (String) r.getAs("patient_id")).collect(Collectors.toSet());
    Set<String> valIds = rows("volumes", "cohort = 'cv' and fold = 0").stream().map(r -> (String) r.getAs("patient_id"))
        .collect(Collectors.toSet());
    List<Row> masks = rows("seg_masks", "run_id = 'seg'");
    assertEquals(testIds.size() + valIds.size(), masks.size(), "every validation and test patient is segmented");
    for (Row m : masks) {
      assertEquals(List.of(16, 32, 32), m.getList(m.fieldIndex("shape")));
      assertEquals(16 * 32 * 32, ((byte[]) m.getAs("mask")).length);
    }

    List<Row> seg = rows("segmentation", "run_id = 'seg' and model = 'cnn_seg'");
    assertEquals(3 * (testIds.size() + valIds.size() - 1), seg.size(), "WT, TC, ET per scored patient");
    assertFalse(seg.stream().anyMatch(r -> broken.equals(r.getAs("patient_id"))), broken + " is skipped");
    assertEquals(Set.of("synthetic_phantom"), seg.stream().map(r -> (String) r.getAs("reference")).collect(Collectors.toSet()));
    List<Row> testWt = seg.stream().filter(r -> "WT".equals(r.getAs("region")) && "test".equals(r.getAs("cohort"))).toList();
    double testDice = testWt.stream().mapToDouble(r -> r.getAs("dice")).average().orElseThrow();
    assertTrue(testDice >= 0.6, "unseen test patients, original space: WT Dice " + testDice);
    for (Row r : testWt) {
      assertTrue((long) r.getAs("true_voxels") > 0 && (long) r.getAs("pred_voxels") > 0);
      assertTrue((double) r.getAs("hd95") >= 0, "HD95 in mm for " + r);
    }
    assertEquals(1, rows("segmentation", "run_id = 'seg' and model = 'sim_arm'").size(), "the LLM arm's rows are untouched");

    // A finished fold is not trained again.
    assertEquals(0, trainSeg("seg", "--epochs", "8"));
    assertEquals(8, rows("seg_history", "run_id = 'seg'").size());
    assertEquals(1, rows("seg_models", "run_id = 'seg'").size());
  }

  @Test
  void foldsTrainedAtTheSameTimeEachKeepTheirRowsOfTheSharedSegmentationPartition() {
    // Two folds at once (local[2]: one worker each) write the run's one cnn_seg partition of segmentation.
    // Status 3 where the other test of this class has removed a patient's reference mask already.
    int rc = trainSeg("lanes", "--folds", "1,2", "--epochs", "2", "--set", "seg.parallel.folds=2");
    assertTrue(rc == 0 || rc == ExitStatus.PARTIAL, "status " + rc);
    Set<Integer> folds = rows("segmentation", "run_id = 'lanes' and model = 'cnn_seg'").stream()
        .map(r -> (int) r.getAs("fold")).collect(Collectors.toSet());
    assertEquals(Set.of(1, 2), folds, "both folds' rows are there");
    Set<String> referenced = rows("reference_masks", "true").stream().map(r -> (String) r.getAs("patient_id"))
        .collect(Collectors.toSet());
    for (int fold : new int[] {1, 2}) {
      long scored = rows("seg_masks", "run_id = 'lanes' and fold = " + fold).stream()
          .filter(r -> referenced.contains((String) r.getAs("patient_id"))).count();
      assertEquals(3 * scored, rows("segmentation", "run_id = 'lanes' and model = 'cnn_seg' and fold = " + fold).size(),
          "fold " + fold + ": WT, TC, ET of every segmented patient");
    }
  }

  @Test
  void helpNamesTheOptionsAndABadSettingIsAUsageError() {
    assertEquals(0, Main.run("train-seg", "--help"));
    assertEquals(2, Main.run("train-seg", "--warehouse", warehouse, "--set", "seg.dimensions=4d"));
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
