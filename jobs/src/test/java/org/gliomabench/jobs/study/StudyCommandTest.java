package org.gliomabench.jobs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-command study on the synthetic cohort, as the README's first command runs it (smaller). */
class StudyCommandTest {
  @TempDir
  Path tmp;

  @Test
  void runsEveryStageOnTheSyntheticCohortWithTheUsersSettingsOverTheProfile() throws Exception {
    SparkSession spark = SharedSpark.session();
    String wh = tmp.resolve("wh").toString();
    int rc = Main.run("study", "--warehouse", wh, "--run-id", "study-1",
        "--set", "synth.dir=" + tmp.resolve("synth"), "--set", "synth.patients=10",
        "--set", "ingest.volume.shape=8,16,16", "--set", "ingest.slices.planes=axial",
        "--set", "synth.lgg.fraction=0.4", "--set", "cnn.folds=0", "--set", "cnn.epochs=2",
        "--set", "seg.folds=0", "--set", "seg.epochs=2", "--set", "multitask.folds=0", "--set", "multitask.epochs=2");
    assertEquals(0, rc);
    assertTrue(Files.exists(tmp.resolve("synth/name_mapping.csv")), "the synthetic cohort was written");
    assertEquals(10, spark.read().parquet(wh + "/patients").count());
    Row v = spark.read().parquet(wh + "/volumes").first();
    assertEquals(List.of(4, 8, 16, 16), v.getList(v.fieldIndex("shape")), "--set wins over the synthetic profile");
    assertEquals(List.of(48, 48, 32), v.getList(v.fieldIndex("crop_extent")), "the synthetic profile is applied");
    assertEquals(2, spark.read().parquet(wh + "/cnn_history").where("run_id = 'study-1' and fold = 0").count(),
        "train-cnn ran as a stage of the study");
    assertTrue(spark.read().parquet(wh + "/predictions").where("run_id = 'study-1' and model = 'cnn'").count() > 0);
    assertEquals(2, spark.read().parquet(wh + "/seg_history").where("run_id = 'study-1' and fold = 0").count(),
        "train-seg ran as a stage of the study");
    assertTrue(spark.read().parquet(wh + "/segmentation").where("run_id = 'study-1' and model = 'cnn_seg'").count() > 0);
    assertEquals(2, spark.read().parquet(wh + "/multitask_history").where("run_id = 'study-1' and fold = 0").count(),
        "train-multitask ran as a stage of the study");
    assertTrue(spark.read().parquet(wh + "/segmentation").where("run_id = 'study-1' and model = 'multitask_seg'").count() > 0);
    assertTrue(spark.read().parquet(wh + "/predictions").where("run_id = 'study-1' and model = 'multitask_ensemble'")
        .count() > 0, "aggregate wrote the multi-task fold ensemble");
    assertTrue(spark.read().parquet(wh + "/segmentation").where("run_id = 'study-1' and region = 'box'").count() > 0,
        "the demo's locate arms were scored by aggregate");
    assertTrue(spark.read().parquet(wh + "/llm_calls").where("run_id = 'study-1' and simulated and status in ('ok', 'parse_error')")
        .count() > 0, "llm-slices ran as a stage of the study, against the simulated server");
    // The demo's arms that change what is shown ran on the same patients: every test patient's examples come from the
    // cv cohort outside its own fold, cnn-informed states the score train-cnn wrote, and aggregate compared them.
    assertEquals(8, spark.read().parquet(wh + "/llm_arm_plans").where("run_id = 'study-1'").count(), "a plan per arm");
    java.util.Map<String, Row> patients = new java.util.HashMap<>();
    spark.read().parquet(wh + "/patients").collectAsList().forEach(p -> patients.put(p.getAs("patient_id"), p));
    List<Row> withExamples = spark.read().parquet(wh + "/llm_calls").where("run_id = 'study-1' and size(examples) > 0")
        .select("patient_id", "cohort", "fold", "examples").collectAsList();
    assertTrue(withExamples.size() > 10, "the few-shot arms sent examples: " + withExamples.size());
    for (Row r : withExamples) {
      for (Object e : r.getList(r.fieldIndex("examples"))) {
        Row p = patients.get(e.toString().split(":")[0]);
        assertEquals("cv", p.getAs("cohort"), e + " shown to " + r.getAs("patient_id"));
        assertTrue(!"cv".equals(r.getAs("cohort")) || !p.getAs("fold").equals(r.getAs("fold")), e + " from the asked fold");
      }
    }
    assertTrue(spark.read().parquet(wh + "/llm_calls").where("run_id = 'study-1' and arm = 'cnn-informed'")
        .where("stated_p_hgg is null").isEmpty(), "every cnn-informed call states the CNN's score");
    List<Row> moi = spark.read().parquet(wh + "/model_or_input").where("run_id = 'study-1'").collectAsList();
    assertTrue(moi.stream().anyMatch(r -> "cnn-informed".equals(r.getAs("model")) && r.getAs("agreement_with_cnn") != null),
        "model_or_input compares the cnn-informed arm with the CNN: " + moi);
    assertTrue(moi.stream().anyMatch(r -> "montage".equals(r.getAs("model")) && "montage".equals(r.getAs("shown"))
        && r.getAs("n_vs_general") != null), "the montage arm against the general arm on the same patients");
    List<Row> runs = spark.read().parquet(wh + "/runs").where("run_id = 'study-1'").collectAsList();
    assertEquals(1, runs.size());
    assertEquals("study", runs.get(0).getAs("command"));
  }
}
