package org.gliomabench.jobs.multitask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.multitask.MultiTaskLoss;
import org.gliomabench.core.multitask.MultiTaskUNet;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** train-multitask through the command line on an ingested synthetic (phantom) cohort, Spark local[2]. */
class TrainMultitaskCommandTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;

  @BeforeAll
  static void synthAndIngest() {
    spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    Path data = tmp.resolve("synth");
    // 6 of 20 LGG, so that fold 0's validation part holds both grades.
    assertEquals(0, Main.run("synth", "--out", data.toString(), "--patients", "20", "--seed", "11",
        "--set", "synth.lgg.fraction=0.3"));
    // The synthetic profile's crop and grid (conf/synthetic-study.properties); axial slices only, for speed.
    assertEquals(0, Main.run("ingest", "--data", data.toString(), "--warehouse", warehouse, "--run-id", "ing",
        "--set", "ingest.crop.extent=48,48,32", "--set", "ingest.volume.shape=16,32,32",
        "--set", "ingest.slices.planes=axial"));
  }

  static int train(String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("train-multitask", "--warehouse", warehouse, "--run-id", runId,
        "--folds", "0", "--lr", "3e-3", "--batch", "2", "--set", "multitask.seed=5",
        "--set", "multitask.checkpoint.every=2", "--set", "multitask.worker.prefetch=0"));
    args.addAll(List.of(more));
    return Main.run(args.toArray(new String[0]));
  }

  static List<Row> rows(String table, String where) {
    return spark.read().parquet(warehouse + "/" + table).where(where).collectAsList();
  }

  static Set<String> ids(List<Row> rows) {
    return rows.stream().map(r -> (String) r.getAs(Tables.PATIENT_ID)).collect(Collectors.toSet());
  }

  @Test
  void learnsResumesAndWritesTheGradeHeadsPredictionsAndTheSegmentationLikeTheOtherArms() throws Exception {
    assertEquals(ExitStatus.UNFINISHED, train("mt", "--epochs", "6", "--epoch-budget", "3"));
    assertEquals(3, rows("multitask_history", "run_id = 'mt'").size());

    // The U-Net's rows of the same run (model cnn_seg) must survive the multi-task arm's writes.
    Warehouse wh = new Warehouse(spark, warehouse);
    SparkTables.overwritePartitions(wh, Segmentation.TABLE, SparkTables.frame(spark, Segmentation.TABLE,
        List.of(SparkTables.row(Segmentation.TABLE).set(Tables.RUN_ID, "mt").set(Segmentation.MODEL, "cnn_seg")
            .set(Tables.PATIENT_ID, "Synth_001").set(Tables.LABEL, 1).set(Tables.COHORT, "test").set(Tables.FOLD, 0)
            .set(Segmentation.REGION, "WT").set(Segmentation.DICE, 0.5).set(Segmentation.REFERENCE, "synthetic_phantom")
            .build())));

    assertEquals(0, train("mt", "--epochs", "6"));
    List<Row> h = spark.read().parquet(warehouse + "/multitask_history").where("run_id = 'mt'").orderBy("epoch")
        .collectAsList();
    assertEquals(List.of(1, 2, 3, 4, 5, 6), h.stream().map(r -> (int) r.getAs("epoch")).toList(),
        "resumed after epoch 3: each epoch once");
    double firstLoss = h.get(0).getAs("val_loss");
    double bestLoss = h.stream().mapToDouble(r -> r.getAs("val_loss")).min().orElseThrow();
    double bestDice = h.stream().mapToDouble(r -> r.getAs("val_dice_wt")).max().orElseThrow();
    // The grade head learns the phantoms' grades in core's MultiTaskUNetTest; on 13 training phantoms a few
    // epochs move it little, so here: the joint loss and the segmentation learn, and the grade is wired through.
    assertTrue(bestLoss < firstLoss - 0.05, "the joint validation loss falls after the first epoch: " + h);
    assertTrue(bestDice >= 0.6, "validation WT Dice reaches 0.6 within 6 epochs: " + h);
    for (Row r : h) {
      double recomposed = (double) r.getAs("val_seg_loss") + 1.0 * (double) r.getAs("val_grade_loss");
      assertEquals(recomposed, (double) r.getAs("val_loss"), 1e-9, "joint loss = segmentation + weight x grade");
    }

    Row model = rows("multitask_models", "run_id = 'mt'").get(0);
    int kept = model.getAs("best_epoch");
    assertEquals(bestLoss, (double) h.get(kept - 1).getAs("val_loss"), 1e-12, "kept epoch has the lowest joint loss");
    assertEquals("val_loss", model.getAs("criterion"));
    assertEquals("3d", model.getAs("dimensions"), "the U-Net's shape follows seg.X");
    assertEquals(1.0, (double) model.getAs("grade_weight"));
    assertTrue(new File((String) model.getAs("model_path")).isFile());

    Set<String> testIds = ids(rows("volumes", "cohort = 'test'"));
    Set<String> valIds = ids(rows("volumes", "cohort = 'cv' and fold = 0"));
    List<Row> preds = rows("predictions", "run_id = 'mt' and model = 'multitask'");
    assertEquals(valIds, ids(preds.stream().filter(r -> "cv".equals(r.getAs("cohort"))).toList()),
        "every validation patient of the fold");
    assertEquals(testIds, ids(preds.stream().filter(r -> "test".equals(r.getAs("cohort"))).toList()),
        "every test patient");
    Map<String, Integer> labels = new HashMap<>();
    rows("volumes", "true").forEach(r -> labels.put(r.getAs(Tables.PATIENT_ID), r.getAs(Tables.LABEL)));
    double valGrade = 0;
    for (Row r : preds) {
      double score = r.getAs("score");
      assertTrue(score >= 0 && score <= 1);
      assertEquals(score >= 0.5 ? 1 : 0, (int) r.getAs("pred"));
      assertEquals(0, (int) r.getAs("fold"));
      assertEquals(labels.get(r.getAs(Tables.PATIENT_ID)), r.getAs(Tables.LABEL));
      assertTrue(r.isNullAt(r.fieldIndex("plane")));
      if ("cv".equals(r.getAs("cohort"))) {
        valGrade += MultiTaskLoss.crossEntropy(score, r.<Integer>getAs(Tables.LABEL)) / valIds.size();
      }
    }
    assertEquals((double) h.get(kept - 1).getAs("val_grade_loss"), valGrade, 1e-6,
        "the kept epoch's validation grade loss is that of the fold's cv predictions: the same model, the same head");
    assertTrue(preds.stream().mapToDouble(r -> r.getAs("score")).distinct().count() > 1, "scores differ by patient");

    // A test patient's score is the kept model's last output (the grade head's), computed here from its tensor.
    Row patient = rows("volumes", "cohort = 'test'").get(0);
    ComputationGraph net = ModelSerializer.restoreComputationGraph(new File((String) model.getAs("model_path")), false);
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 16, 32, 32}, 8, 2, SegLoss.DICE_BCE, 3e-3, 0);
    float[] features = new float[spec.featureLength()];
    SegTensors.features(SegTensors.floats(patient.getAs("tensor")), spec, -1, features, 0);
    INDArray out = net.outputSingle(Nd4j.create(features, new long[] {1, features.length}, 'c'));
    assertEquals(MultiTaskUNet.outputLength(spec), out.size(1));
    double expected = out.getDouble(0, out.size(1) - 1);
    double written = preds.stream().filter(r -> patient.getAs(Tables.PATIENT_ID).equals(r.getAs(Tables.PATIENT_ID)))
        .mapToDouble(r -> r.getAs("score")).findFirst().orElseThrow();
    assertEquals(expected, written, 1e-5, "P(HGG) of " + patient.getAs(Tables.PATIENT_ID));

    List<Row> seg = rows("segmentation", "run_id = 'mt' and model = 'multitask_seg'");
    assertEquals(3 * (testIds.size() + valIds.size()), seg.size(), "WT, TC, ET per scored patient");
    double testWt = seg.stream().filter(r -> "WT".equals(r.getAs("region")) && "test".equals(r.getAs("cohort")))
        .mapToDouble(r -> r.getAs("dice")).average().orElseThrow();
    assertTrue(testWt >= 0.5, "unseen test patients, original space: WT Dice " + testWt);
    assertEquals(1, rows("segmentation", "run_id = 'mt' and model = 'cnn_seg'").size(), "the U-Net's rows are untouched");

    // A finished fold is not trained again.
    assertEquals(0, train("mt", "--epochs", "6"));
    assertEquals(6, rows("multitask_history", "run_id = 'mt'").size());
  }

  @Test
  void onRequestTheTwoDimensionalUNetTrainsOnAxialSlicesAndGradesEachPatientOnce() {
    assertEquals(0, train("mt2d", "--dimensions", "2d", "--epochs", "1", "--batch", "16"));
    Row model = rows("multitask_models", "run_id = 'mt2d'").get(0);
    assertEquals("2d", model.getAs("dimensions"));
    Row h = rows("multitask_history", "run_id = 'mt2d'").get(0);
    long patients = rows("volumes", "cohort = 'cv' and fold <> 0").size();
    long lgg = rows("volumes", "cohort = 'cv' and fold <> 0 and label = 0").size();
    // Every training patient's 16 axial slices, LGG patients oversampled to the number of HGG ones.
    assertEquals(2 * (patients - lgg) * 16, (long) h.getAs("train_examples"));
    Set<String> scored = ids(rows("volumes", "cohort = 'test' or fold = 0"));
    List<Row> preds = rows("predictions", "run_id = 'mt2d' and model = 'multitask'");
    assertEquals(scored.size(), preds.size(), "one P(HGG) per patient (the mean over its slices), not per slice");
    assertEquals(scored, ids(preds));
    assertEquals(3 * scored.size(), rows("segmentation", "run_id = 'mt2d' and model = 'multitask_seg'").size());
  }

  @Test
  void helpNamesTheOptionsAndBadSettingsAreUsageErrors() {
    assertEquals(0, Main.run("train-multitask", "--help"));
    assertEquals(2, Main.run("train-multitask", "--warehouse", warehouse, "--set", "multitask.dimensions=4d"));
    assertEquals(2, train("bad", "--batch", "1"), "a balanced 3d batch needs both grades");
    assertEquals(2, train("bad", "--grade-weight", "-1"));
  }
}
