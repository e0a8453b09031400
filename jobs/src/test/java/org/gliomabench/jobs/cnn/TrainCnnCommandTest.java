package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.metrics.RocAuc;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-cnn through the command line on a simulated (phantom) volumes table, Spark local[2]. */
class TrainCnnCommandTest {
  static final int[] SHAPE = {4, 8, 16, 16};

  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;
  static List<PhantomVolumes.Patient> patients;

  @BeforeAll
  static void phantomVolumes() {
    spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    patients = PhantomVolumes.cohort(60, 0.3);
    PhantomVolumes.write(spark, warehouse, "phantom", SHAPE, patients);
  }

  static int trainCnn(String runId, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train-cnn", "--warehouse", warehouse, "--run-id", runId,
        "--folds", "0", "--lr", "2e-3", "--batch", "8",
        "--set", "cnn.seed=5", "--set", "cnn.averaging.frequency=1", "--set", "cnn.worker.prefetch=0"));
    args.addAll(List.of(more));
    return Main.run(args.toArray(new String[0]));
  }

  static List<Row> history(String runId) {
    return spark.read().parquet(warehouse + "/cnn_history").where("run_id = '" + runId + "'").orderBy("fold", "epoch")
        .collectAsList();
  }

  @Test
  void learnsThroughSparkAndScoresTheTestCohortWithTheKeptModel() {
    assertEquals(0, trainCnn("learn", "--epochs", "10", "--set", "cnn.checkpoint.every=5", "--set", "cnn.threshold=youden"));
    List<Row> h = history("learn");
    assertEquals(10, h.size());
    double bestAuc = h.stream().mapToDouble(r -> r.getAs("val_auc")).max().orElseThrow();
    assertTrue(bestAuc >= 0.9, "validation AUC reaches 0.9 within 10 epochs, got " + bestAuc + " over " + h);
    double firstLoss = h.get(0).getAs("train_loss");
    double lastLoss = h.get(9).getAs("train_loss");
    assertTrue(lastLoss < firstLoss, "training loss falls: " + firstLoss + " -> " + lastLoss);
    assertTrue((double) h.get(0).getAs("examples_per_second") > 0);

    Row model = spark.read().parquet(warehouse + "/cnn_models").where("run_id = 'learn'").collectAsList().get(0);
    int best = model.getAs("best_epoch");
    double minValLoss = h.stream().mapToDouble(r -> r.getAs("val_loss")).min().orElseThrow();
    assertEquals(minValLoss, (double) h.get(best - 1).getAs("val_loss"), 1e-12, "kept epoch has the lowest val loss");
    assertTrue(new File((String) model.getAs("model_path")).isFile());
    assertEquals("youden", model.getAs("threshold_rule"));

    List<Row> preds = spark.read().parquet(warehouse + "/predictions").where("run_id = 'learn' and model = 'cnn'").collectAsList();
    Set<String> testIds = patients.stream().filter(p -> p.cohort().equals("test")).map(PhantomVolumes.Patient::id)
        .collect(Collectors.toSet());
    Set<String> valIds = patients.stream().filter(p -> p.cohort().equals("cv") && p.fold() == 0)
        .map(PhantomVolumes.Patient::id).collect(Collectors.toSet());
    assertEquals(testIds, preds.stream().filter(r -> r.getAs("cohort").equals("test")).map(r -> (String) r.getAs("patient_id"))
        .collect(Collectors.toSet()));
    assertEquals(valIds, preds.stream().filter(r -> r.getAs("cohort").equals("cv")).map(r -> (String) r.getAs("patient_id"))
        .collect(Collectors.toSet()));
    for (Row r : preds) {
      assertEquals(0, (int) r.getAs("fold"));
      assertTrue(r.isNullAt(r.fieldIndex("plane")));
      double score = r.getAs("score");
      double threshold = r.getAs("threshold");
      assertEquals(score >= threshold ? 1 : 0, (int) r.getAs("pred"));
      assertEquals((double) model.getAs("threshold"), threshold);
    }
    List<Row> test = preds.stream().filter(r -> r.getAs("cohort").equals("test")).toList();
    int[] y = test.stream().mapToInt(r -> r.getAs("label")).toArray();
    double[] s = test.stream().mapToDouble(r -> r.getAs("score")).toArray();
    // 9 test patients: AUC moves in steps of 1/18, so only "better than chance" is a stable claim here; the
    // learning bar (validation AUC >= 0.9) is asserted above.
    assertTrue(RocAuc.auc(y, s) > 0.5, "the kept model ranks the unseen test cohort better than chance: AUC " + RocAuc.auc(y, s));

    // cnn_embeddings: the kept model embeds every cv and test patient, those it trained on flagged, and the scores
    // it wrote come from the same forward pass.
    List<Row> embeddings = spark.read().parquet(warehouse + "/cnn_embeddings").where("run_id = 'learn'").collectAsList();
    assertEquals(patients.size(), embeddings.size(), "every patient embedded once by fold 0's model");
    Map<String, Double> scores = preds.stream().collect(Collectors.toMap(r -> (String) r.getAs("patient_id"), r -> (Double) r.getAs("score")));
    for (Row e : embeddings) {
      PhantomVolumes.Patient p = patients.stream().filter(x -> x.id().equals(e.getAs("patient_id"))).findFirst().orElseThrow();
      assertEquals(0, (int) e.getAs("fold"));
      assertEquals(p.cohort(), e.getAs("cohort"));
      assertEquals(p.cohort().equals("cv") && p.fold() != 0, e.<Boolean>getAs("trained_on"), e.toString());
      assertEquals(p.fold(), e.getAs("patient_fold"));
      List<Double> v = e.getList(e.fieldIndex("embedding"));
      assertEquals(128, v.size(), "the dense layer's 128 units");
      assertTrue(v.stream().allMatch(x -> x >= 0), "ReLU activations");
    }
    assertTrue(embeddings.stream().anyMatch(e -> e.getList(e.fieldIndex("embedding")).stream().anyMatch(x -> (Double) x > 0)),
        "the embeddings carry something");
    assertTrue(scores.keySet().containsAll(valIds));
  }

  @Test
  void aRunStoppedAndRerunEndsWithOneContinuousHistoryLikeAnUninterruptedOne() throws Exception {
    String[] common = {"--epochs", "4", "--set", "cnn.checkpoint.every=2", "--set", "cnn.train.metrics=false"};
    assertEquals(0, trainCnn("straight", common));

    // Stopped after 3 epochs; then the epoch-3 state file is removed, as if the driver died between writing
    // the model and its state: the rerun must go back to the epoch-2 checkpoint and redo epoch 3.
    String[] stopped = concat(common, "--epoch-budget", "3");
    assertEquals(ExitStatus.UNFINISHED, trainCnn("resumed", stopped));
    assertEquals(3, history("resumed").size());
    File foldDir = tmp.resolve("wh/_checkpoints/cnn/resumed/fold-0").toFile();
    assertTrue(new File(foldDir, "epoch-0002.zip").isFile(), "the older checkpoint is kept as a fallback");
    assertTrue(new File(foldDir, "epoch-0003.state").delete());
    String out = stdoutOf(() -> assertEquals(0, trainCnn("resumed", common)));
    assertTrue(out.contains("finished: 4 epochs (2 now)"), "resumed after epoch 2: " + out);

    List<Row> straight = history("straight");
    List<Row> resumed = history("resumed");
    assertEquals(4, resumed.size());
    assertEquals(List.of(1, 2, 3, 4), resumed.stream().map(r -> (int) r.getAs("epoch")).toList(), "each epoch once, in order");
    for (int i = 0; i < 4; i++) {
      assertEquals((double) straight.get(i).getAs("val_loss"), (double) resumed.get(i).getAs("val_loss"), 1e-3,
          "epoch " + (i + 1) + ": resumed training retraces the uninterrupted run (fixed seeds)");
    }

    // A finished fold is not trained again.
    assertEquals(0, trainCnn("resumed", common));
    assertEquals(4, history("resumed").size());
    assertEquals(1, spark.read().parquet(warehouse + "/cnn_models").where("run_id = 'resumed'").count());
  }

  /** Sends this JVM a real SIGUSR1 when Spark starts the first job whose description starts with {@code prefix}. */
  private static org.apache.spark.scheduler.SparkListener signalAt(String prefix) {
    java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
    org.apache.spark.scheduler.SparkListener l = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
        String d = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
        if (d != null && d.startsWith(prefix) && sent.compareAndSet(false, true)) {
          try {
            new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).start().waitFor();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };
    spark.sparkContext().addSparkListener(l);
    return l;
  }

  @Test
  void aTimeLimitWarningInsideAnEpochCheckpointsAfterTheRoundAndTheRerunGoesOnLikeAnUninterruptedRun() throws Exception {
    String[] common = {"--epochs", "3", "--set", "cnn.checkpoint.every=3", "--set", "cnn.train.metrics=false"};
    assertEquals(0, trainCnn("uninterrupted", common));

    // SIGUSR1 (what Slurm's --signal=B:USR1@N makes the batch script forward) while epoch 2's first round trains.
    org.apache.spark.scheduler.SparkListener signal = signalAt("train-cnn fold 0 epoch 2");
    String out;
    try {
      out = stdoutOf(() -> assertEquals(ExitStatus.STOPPED, trainCnn("warned", common)));
    } finally {
      spark.sparkContext().removeSparkListener(signal);
    }
    assertTrue(out.matches("(?s).*fold 0: stopped by SIGUSR1 after epoch 1 \\(1 trained now\\), checkpointed with "
        + "[1-9][0-9]* averaging round\\(s\\) of epoch 2 done.*"), out);
    File foldDir = tmp.resolve("wh/_checkpoints/cnn/warned/fold-0").toFile();
    assertTrue(new File(foldDir, "within-epoch.progress").isFile(), "a checkpoint inside epoch 2");
    assertEquals(1, history("warned").size(), "epoch 2 is not recorded until it is whole");

    out = stdoutOf(() -> assertEquals(0, trainCnn("warned", common)));
    assertTrue(out.contains("finished: 3 epochs (2 now)"), out);
    assertTrue(!new File(foldDir, "within-epoch.progress").exists(), "the checkpoint inside the epoch is gone with it");
    List<Row> straight = history("uninterrupted");
    List<Row> resumed = history("warned");
    assertEquals(List.of(1, 2, 3), resumed.stream().map(r -> (int) r.getAs("epoch")).toList(), "each epoch once");
    for (int i = 0; i < 3; i++) {
      assertEquals((double) straight.get(i).getAs("val_loss"), (double) resumed.get(i).getAs("val_loss"), 1e-3,
          "epoch " + (i + 1) + ": going on from the round retraces the uninterrupted run");
    }
  }

  @Test
  void foldsTrainAtTheSameTimeOnWorkersOfTheirOwnWhenTheSlotsAllowIt() {
    java.util.List<long[]> fold0 = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<long[]> fold1 = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.Map<Integer, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Map<Integer, String> described = new java.util.concurrent.ConcurrentHashMap<>();
    org.apache.spark.scheduler.SparkListener jobs = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
        String d = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
        if (d != null && d.startsWith("train-cnn fold ") && d.matches("train-cnn fold \\d epoch \\d+")) {
          started.put(job.jobId(), System.nanoTime());
          described.put(job.jobId(), d);
        }
      }

      @Override
      public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd job) {
        Long t0 = started.get(job.jobId());
        if (t0 != null) {
          (described.get(job.jobId()).startsWith("train-cnn fold 0") ? fold0 : fold1).add(new long[] {t0, System.nanoTime()});
        }
      }
    };
    spark.sparkContext().addSparkListener(jobs);
    try {
      assertEquals(0, trainCnn("lanes", "--folds", "0,1", "--epochs", "2", "--set", "cnn.train.metrics=false"));
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    assertEquals(List.of(0, 0, 1, 1), history("lanes").stream().map(r -> (int) r.getAs("fold")).toList());
    boolean overlap = fold0.stream().anyMatch(a -> fold1.stream().anyMatch(b -> a[0] < b[1] && b[0] < a[1]));
    assertTrue(overlap, "rounds of fold 0 and fold 1 ran at the same time (" + fold0.size() + " and " + fold1.size()
        + " rounds)");
    assertEquals(2, spark.read().parquet(warehouse + "/cnn_models").where("run_id = 'lanes'").count());
  }

  @Test
  void aSecondWriterOfTheSameRunAndFoldIsRefusedNamingTheFirst() {
    org.gliomabench.jobs.warehouse.Warehouse other = new org.gliomabench.jobs.warehouse.Warehouse(spark, warehouse,
        org.gliomabench.jobs.warehouse.Warehouse.Commits.from(org.gliomabench.core.config.Settings.defaults(),
            "run twice (train-cnn, array task 0)"));
    other.claim("train-cnn/run_id=twice/fold=0");
    try {
      java.io.PrintStream old = System.err;
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(err, true));
      int rc;
      try {
        rc = trainCnn("twice", "--epochs", "1");
      } finally {
        System.setErr(old);
      }
      assertEquals(ExitStatus.BUSY, rc, err.toString());
      assertTrue(err.toString().contains("fold(s) [0] of run twice are being trained by another writer"), err.toString());
      assertEquals(0, spark.read().parquet(warehouse + "/cnn_history").where("run_id = 'twice'").count());
    } finally {
      other.releaseClaims();
    }
    assertEquals(0, trainCnn("twice", "--epochs", "1", "--set", "cnn.train.metrics=false"));
  }

  @Test
  void gradientSharingIsAConfigChoiceThatTrainsToo() {
    assertEquals(0, trainCnn("sharing", "--epochs", "2", "--training-master", "sharing", "--set", "cnn.train.metrics=false",
        "--set", "cnn.sharing.controller=127.0.0.1", "--set", "cnn.sharing.network.mask=127.0.0.0/8"));
    List<Row> h = history("sharing");
    assertEquals(2, h.size());
    assertTrue(Double.isFinite(h.get(1).getAs("val_loss")));
    Row model = spark.read().parquet(warehouse + "/cnn_models").where("run_id = 'sharing'").collectAsList().get(0);
    assertEquals("sharing", model.getAs("training_master"));
  }

  @Test
  void theTestCohortNeverReachesTrainingInAnyFold() {
    {
      TrainingVolumes v = TrainingVolumes.load(new org.gliomabench.jobs.warehouse.Warehouse(spark, warehouse), "train-cnn",
          TrainingVolumes.LABELLED, "");
      Set<String> test = new HashSet<>();
      v.members().stream().filter(m -> m.cohort().equals("test")).forEach(m -> test.add(m.patientId()));
      assertTrue(test.size() >= 5);
      assertEquals(List.of(0, 1, 2, 3, 4), v.folds());
      for (int fold : v.folds()) {
        org.gliomabench.core.train.FoldSplit split = org.gliomabench.core.train.FoldSplit.of(v.members(), fold);
        for (String id : split.trainIds()) {
          assertTrue(!test.contains(id) && !split.validation().contains(id), id + " in fold " + fold);
        }
      }
    }
  }

  private static String stdoutOf(Runnable r) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    old.print(buf);
    return buf.toString();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
