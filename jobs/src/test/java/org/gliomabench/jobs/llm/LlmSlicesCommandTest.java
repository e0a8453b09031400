package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.udf.sim.SimulatedBehaviour;
import org.gliomabench.udf.sim.SimulatedFault;
import org.gliomabench.udf.sim.SimulatedLlmServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llm-slices end to end through the launcher's entry point, against the SIMULATED server on loopback. */
class LlmSlicesCommandTest {
  static final String KEY_ENV = "GLIOMA_BENCH_TEST_API_KEY";
  private static final SimulatedBehaviour FAST = SimulatedBehaviour.defaults().withLatency(5, 3);
  /** 4 patients x 2 planes x 3 tumour slices. */
  private static final int SLICES = 24;

  @TempDir
  static Path tmp;
  static SparkSession spark;
  SimulatedLlmServer server;
  String warehouse;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  /** A fresh server per test: its counts cannot include traffic a previous test left behind. */
  @BeforeEach
  void freshServerAndWarehouse() throws Exception {
    server = SimulatedLlmServer.start(FAST);
    warehouse = Files.createTempDirectory(tmp, "wh").toString();
    SliceFixtures.writeSlices(spark, warehouse, 4, 3);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** llm-slices against the test's own simulated server, fast retries, small partitions. */
  private int run(String runId, String... extra) {
    List<String> args = new ArrayList<>(List.of("llm-slices", "--warehouse", warehouse, "--run-id", runId,
        "--endpoint", server.baseUrl(), "--model", "simulated-llama-3.2-11b-vision", "--repeat", "0",
        "--set", "llm.seed=5", "--set", "llm.retry.base.ms=10", "--set", "llm.retry.max.backoff.ms=40",
        "--set", "llm.timeout.response.ms=400", "--set", "llm.partitions=2", "--set", "llm.progress.seconds=1"));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(new String[0]));
  }

  private Dataset<Row> calls(String runId) {
    return spark.read().parquet(warehouse + "/llm_calls").where(col("run_id").equalTo(runId));
  }

  @Test
  void everyTumourSliceGetsOneCallRowMarkedSimulated() {
    assertEquals(0, run("r1", "--repeat", "4"));
    List<Row> rows = calls("r1").collectAsList();
    // 24 tumour slices once, plus 3 more samples of the 4 consistency slices (up to 5 per grade, each from another
    // patient: the fixture's 3 HGG and 1 LGG patients); one row per call on a clean run
    assertEquals(SLICES + 4 * 3, rows.size());
    assertEquals(rows.size(), rows.stream().map(r -> r.<String>getAs("call_key")).distinct().count());
    long withP = 0;
    for (Row r : rows) {
      assertTrue(LlmCallsView.isTerminal(r.getAs("status")), r.toString());
      assertTrue((boolean) r.getAs("simulated"));
      assertTrue(r.<String>getAs("server_model").startsWith("simulated-"));
      assertNotNull(r.getAs("patient_id"));
      assertEquals(r.getAs("status").equals("ok"), r.getAs("choice") != null, r.toString());
      withP += r.getAs("p_hgg") == null ? 0 : 1;
    }
    assertTrue(withP > SLICES / 2, "logprobs give P(HGG): " + withP);
    assertEquals(SLICES, rows.stream().filter(r -> (int) r.getAs("sample") == 0).count());
    List<Row> consistency = spark.read().parquet(warehouse + "/llm_consistency").collectAsList();
    assertEquals(4, consistency.size(), "every patient of each grade, up to 5 per grade");
    assertEquals(4, consistency.stream().map(r -> r.<String>getAs("patient_id")).distinct().count(), "each from another patient");
    Set<Integer> labels = new HashSet<>();
    for (Row r : consistency) {
      labels.add(r.getAs("label"));
      double share = r.getAs("modal_share");
      assertTrue(r.<Double>getAs("modal_share_ci_low") <= share && share <= r.<Double>getAs("modal_share_ci_high"),
          "the Wilson interval holds the share: " + r);
      long sum = (long) r.getAs("n_lgg") + (long) r.getAs("n_hgg") + (long) r.getAs("n_no_glioma")
          + (long) r.getAs("n_parse_error") + (long) r.getAs("n_failed");
      assertEquals(4L, (long) r.getAs("samples"));
      assertEquals(4L, sum);
    }
    assertEquals(Set.of(0, 1), labels);
  }

  @Test
  void aRunStoppedHalfWayResumesWithoutRepeatingAnAnsweredCall() throws Exception {
    server.behaviour(FAST.withLatency(60, 0));
    AtomicBoolean cancelled = new AtomicBoolean();
    Thread killer = new Thread(() -> {
      while (server.answers() < 8) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
      cancelled.set(true);
      spark.sparkContext().cancelAllJobs();
    });
    killer.start();
    // a generous timeout: an attempt abandoned by the client would be an answer the server gave but we never got
    int first = run("r-kill", "--concurrency", "2", "--set", "llm.timeout.response.ms=20000");
    killer.join();
    assertTrue(cancelled.get());
    assertEquals(1, first, "the stopped run fails");
    long kept = calls("r-kill").count();
    assertTrue(kept >= 8 && kept < SLICES, "answers received before the stop are kept: " + kept);
    Set<String> recorded = new HashSet<>();
    calls("r-kill").select("call_key").collectAsList().forEach(r -> recorded.add(r.getString(0)));
    Map<String, Integer> answered = server.answersById();
    Set<String> missing = new HashSet<>(answered.keySet());
    missing.removeAll(recorded);
    System.out.println("r-kill: answered " + answered + " requests " + server.requests() + " missing " + missing);
    // A stop loses only what was in flight at that moment: answers the server sent while the tasks were being
    // killed, at most concurrency 2 x 2 task slots (local[2]). Everything received before is recorded.
    int inFlight = 2 * 2;
    assertTrue(missing.size() <= inFlight, "only calls in flight at the stop may be unrecorded: " + missing);
    assertEquals(kept + missing.size(), (long) answered.size(), "every other answer the server gave was recorded");
    long attempts = calls("r-kill").agg(org.apache.spark.sql.functions.sum("attempts")).first().getLong(0);
    assertTrue(server.requests() - attempts <= inFlight, "every request but those in flight is accounted for: "
        + server.requests() + " requests, " + attempts + " recorded attempts");
    System.out.println("r-kill latencies: " + calls("r-kill").agg(org.apache.spark.sql.functions.avg("latency_ms"),
        org.apache.spark.sql.functions.max("latency_ms")).first());

    server.behaviour(FAST);
    assertEquals(0, run("r-kill", "--set", "llm.timeout.response.ms=20000"));
    Dataset<Row> latest = LlmCallsView.latest(calls("r-kill"));
    assertEquals(SLICES, latest.count());
    assertEquals(SLICES, calls("r-kill").count(), "no call has two rows: none was repeated");
    Map<String, Integer> served = server.answersById();
    assertEquals(SLICES, served.size());
    served.forEach((key, n) -> assertEquals(missing.contains(key) ? n : 1, n,
        "a call recorded before the stop is never sent again: " + key + " answered " + n + " times"));
  }

  @Test
  void aStopSignalEndsTheSendingJournalsTheCallsInFlightAndTheRerunSendsOnlyTheRest() throws Exception {
    server.behaviour(FAST.withLatency(60, 0));
    Thread signal = new Thread(() -> {
      try {
        while (server.answers() < 8) {
          Thread.sleep(5);
        }
        // What Slurm's time-limit warning becomes: SIGUSR1 to the driver, a real signal to this JVM.
        new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).start().waitFor();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    signal.start();
    java.io.PrintStream old = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true));
    int first;
    try {
      first = run("r-signal", "--concurrency", "2", "--set", "llm.timeout.response.ms=20000");
    } finally {
      System.setErr(old);
    }
    signal.join();
    assertEquals(ExitStatus.STOPPED, first, err.toString());
    assertTrue(err.toString().contains("stopped by SIGUSR1"), err.toString());
    long kept = calls("r-signal").count();
    assertTrue(kept >= 8 && kept < SLICES, "the sending stopped early, the answers so far are kept: " + kept);
    Set<String> recorded = new HashSet<>();
    calls("r-signal").select("call_key").collectAsList().forEach(r -> recorded.add(r.getString(0)));
    Set<String> missing = new HashSet<>(server.answersById().keySet());
    missing.removeAll(recorded);
    assertEquals(Set.of(), missing, "the calls in flight at the signal were awaited and journalled too");

    server.behaviour(FAST);
    assertEquals(0, run("r-signal", "--set", "llm.timeout.response.ms=20000"));
    assertEquals(SLICES, calls("r-signal").count(), "every call recorded once");
    server.answersById().forEach((key, n) -> assertEquals(1, n, "no call was sent twice: " + key));
  }

  @Test
  void failedCallsAreRecordedAndOnlyThoseAreRetriedByARerun() {
    server.failFirstAttempts(100, SimulatedFault.SERVER_ERROR);
    assertEquals(ExitStatus.PARTIAL, run("r-fail", "--set", "llm.retry.max.attempts=2"));
    Dataset<Row> first = calls("r-fail");
    assertEquals(SLICES, first.count());
    assertEquals(SLICES, first.where(col("status").equalTo("http_error").and(col("http_status").equalTo(500))
        .and(col("attempts").equalTo(2))).count());
    server.failFirstAttempts(0, null);
    server.resetStats();
    assertEquals(0, run("r-fail"));
    assertEquals(SLICES, server.requests(), "each failed call once more, nothing else");
    Dataset<Row> latest = LlmCallsView.latest(calls("r-fail"));
    assertEquals(SLICES, latest.where(col("status").isin("ok", "parse_error")).count());
    assertEquals(2L * SLICES, calls("r-fail").count(), "the failures stay in the log beside the answers");
    server.resetStats();
    assertEquals(0, run("r-fail"));
    assertEquals(0, server.requests(), "a finished run sends nothing");
  }

  @Test
  void injectedFaultsEndWithATerminalRowForEverySlice() {
    server.behaviour(FAST.withFaults(0.3));
    int rc = run("r-faults", "--set", "llm.retry.max.attempts=8");
    Dataset<Row> latest = LlmCallsView.latest(calls("r-faults"));
    assertEquals(SLICES, latest.count(), "none lost");
    assertEquals(SLICES, latest.select("patient_id", "plane", "slice_index").distinct().count());
    assertTrue(latest.where(col("attempts").gt(1)).count() > 0, "some calls needed retries");
    assertEquals(rc == 0 ? SLICES : latest.where(col("status").isin("ok", "parse_error")).count(),
        latest.where(col("status").isin("ok", "parse_error")).count());
  }

  @Test
  void severalArmsInOneRunAndALocatePrompt() {
    assertEquals(0, run("r-arms", "--set", "llm.arms=general,lora", "--set", "llm.arm.lora.model=simulated-lora-ft",
        "--set", "llm.arm.lora.prompt=locate-box-v1"));
    Dataset<Row> latest = LlmCallsView.latest(calls("r-arms"));
    assertEquals(2L * SLICES, latest.count());
    List<Row> byArm = latest.groupBy("arm", "model", "prompt_version").count().orderBy("arm").collectAsList();
    assertEquals("general", byArm.get(0).getString(0));
    assertEquals("simulated-llama-3.2-11b-vision", byArm.get(0).getString(1));
    assertEquals("lora", byArm.get(1).getString(0));
    assertEquals("locate-box-v1", byArm.get(1).getString(2));
    Row box = latest.where(col("arm").equalTo("lora").and(col("status").equalTo("ok"))).first();
    assertEquals("box", box.getAs("location_kind"));
    List<Double> xy = box.getList(box.fieldIndex("location"));
    assertEquals(4, xy.size());
    assertTrue(xy.get(0) <= xy.get(2) && xy.get(2) <= 24 && xy.get(3) <= 20, xy.toString());
    assertEquals(0, latest.where(col("arm").equalTo("lora").and(col("choice").isNotNull())).count());
  }

  @Test
  void aLocateArmAsksEachSliceOnceWithItsOwnStrideAndNoConsistencyRepeats() {
    assertEquals(0, run("r-where", "--repeat", "3", "--set", "llm.arms=general,where", "--set", "llm.consistency.slices=1",
        "--set", "llm.arm.where.prompt=locate-centre-v1", "--set", "llm.arm.where.slice.stride=2"));
    Dataset<Row> where = calls("r-where").where(col("arm").equalTo("where"));
    // tumour slices 11, 12, 13 of each patient and plane: stride 2 keeps 12
    assertEquals(4L * 2, where.count());
    assertEquals(0, where.where(col("slice_index").notEqual(12).or(col("sample").notEqual(0))).count());
    assertEquals(SLICES + 2 * 2, calls("r-where").where(col("arm").equalTo("general")).count(),
        "the classify arm: every slice, plus 2 more samples of the 2 consistency slices");
    List<Row> consistency = spark.read().parquet(warehouse + "/llm_consistency").where(col("run_id").equalTo("r-where"))
        .collectAsList();
    assertEquals(2, consistency.size());
    for (Row r : consistency) {
      assertEquals("general", r.getAs("arm"));
      assertEquals(3L, (long) r.getAs("samples"));
    }
  }

  /**
   * The few-shot arms' examples, random and by the CNN's embeddings: each request carries k/2 HGG and k/2 LGG example
   * slices of the plane asked about, and none of them is a test patient, the patient asked about, or a patient of its
   * fold (so every cohort's metrics stay out-of-sample). The embeddings are a fixture standing in for train-cnn's.
   */
  @Test
  void fewShotExamplesNeverComeFromTheTestCohortTheAskedPatientOrItsFold() throws Exception {
    String wh = Files.createTempDirectory(tmp, "wh-fewshot").toString();
    SliceFixtures.writeSlices(spark, wh, 12, 3);
    SliceFixtures.writeEmbeddings(spark, wh, "fs", 12);
    warehouse = wh;
    assertEquals(0, run("fs", "--set", "llm.arms=few-shot-4,few-shot-knn-4,general", "--repeat", "2"));
    Map<String, Row> patients = new java.util.HashMap<>();
    spark.read().parquet(wh + "/slices").select("patient_id", "cohort", "fold", "label").distinct().collectAsList()
        .forEach(r -> patients.put(r.getString(0), r));
    List<Row> rows = calls("fs").collectAsList();
    int checked = 0;
    for (Row r : rows) {
      List<String> examples = r.getList(r.fieldIndex("examples"));
      if (r.<String>getAs("arm").equals("general")) {
        assertTrue(examples.isEmpty(), "the general arm shows no examples");
        assertEquals(1, (int) r.getAs("images"));
        continue;
      }
      assertEquals(4, examples.size(), r.toString());
      assertEquals(5, (int) r.getAs("images"), "4 examples and the slice");
      Row asked = patients.get(r.<String>getAs("patient_id"));
      int hgg = 0;
      for (String e : examples) {
        String[] id = e.split(":");
        assertEquals(3, id.length, e);
        assertEquals(r.<String>getAs("plane"), id[1], "an example of the plane asked about");
        Row example = patients.get(id[0]);
        assertEquals("cv", example.getAs("cohort"), "a test patient shown as an example: " + e);
        assertFalse(id[0].equals(asked.getAs("patient_id")), "the patient asked about shown as its own example");
        if ("cv".equals(asked.getAs("cohort"))) {
          assertFalse(java.util.Objects.equals(example.getAs("fold"), asked.getAs("fold")),
              "an example from the asked patient's fold: " + e + " for " + asked);
        }
        hgg += example.<Integer>getAs("label");
        checked++;
      }
      assertEquals(2, hgg, "half of the examples HGG: " + examples);
    }
    assertTrue(checked > 100, "examples checked: " + checked);
    assertTrue(calls("fs").where("arm = 'few-shot-knn-4' and status in ('ok', 'parse_error')").count() > 0);
    // the same slice asked by the two few-shot arms is shown different examples somewhere (random vs nearest)
    assertTrue(calls("fs").where("sample = 0 and arm like 'few-shot%'").groupBy("patient_id", "plane", "slice_index")
        .agg(org.apache.spark.sql.functions.countDistinct("examples").as("n")).where("n > 1").count() > 0);
    List<Row> plans = spark.read().parquet(wh + "/llm_arm_plans").where("run_id = 'fs'").collectAsList();
    assertEquals(3, plans.size());
    for (Row p : plans) {
      long requests = calls("fs").where(col("arm").equalTo(p.<String>getAs("arm"))).count();
      assertEquals(requests, (long) p.getAs("requests"), "the plan said how many requests: " + p);
      assertEquals(requests * (p.<String>getAs("arm").equals("general") ? 1 : 5), (long) p.getAs("images"));
    }
  }

  @Test
  void anArmThatCannotShowAPatientSkipsItWithTheReasonCountedAndTheRunSucceeds() throws Exception {
    // The fixture's slices have no montages (as a warehouse ingested with ingest.montage=false): the montage arm skips
    // every patient and says why; the general arm runs as ever.
    assertEquals(0, run("mont", "--set", "llm.arms=general,montage"));
    assertEquals(SLICES, calls("mont").count());
    Row plan = spark.read().parquet(warehouse + "/llm_arm_plans").where("run_id = 'mont' and arm = 'montage'").first();
    assertEquals(0L, (long) plan.getAs("requests"));
    assertEquals(4, (int) plan.getAs("skipped_patients"));
    assertEquals("montage", plan.getAs("shown"));
    assertTrue(plan.getList(plan.fieldIndex("skipped_reasons")).get(0).toString().contains("no montage in the slices table"),
        plan.toString());
    assertEquals(1, Main.run("llm-slices", "--warehouse", warehouse, "--run-id", "knn", "--repeat", "0",
        "--set", "llm.arms=few-shot-knn-4"), "knn examples without any cnn_embeddings: a clear failure, before any call");
  }

  @Test
  void theApiKeyReachesTheServerButNoLogTableOrMessage() throws Exception {
    String key = System.getenv(KEY_ENV);
    assertNotNull(key, "surefire sets " + KEY_ENV);
    try (LogCapture logs = LogCapture.open()) {
      server.behaviour(FAST.withApiKey(key));
      assertEquals(0, run("r-key", "--api-key-env", KEY_ENV));
      server.behaviour(FAST.withApiKey("sk-another-key-entirely-000"));
      // a 401 is a client error: not retried, and a rerun alone does not fix it
      assertEquals(ExitStatus.PERMANENT_FAILURES, run("r-key-denied", "--api-key-env", KEY_ENV));
      Dataset<Row> denied = calls("r-key-denied");
      assertEquals(SLICES, denied.where(col("http_status").equalTo(401).and(col("attempts").equalTo(1))).count());
      for (Row r : spark.read().parquet(warehouse + "/llm_calls").collectAsList()) {
        assertFalse(r.toString().contains(key), "a table row holds the key: " + r);
        assertFalse(r.toString().contains(key.substring(8, 20)), "a table row holds part of the key: " + r);
      }
      assertTrue(denied.first().<String>getAs("error").contains("Incorrect API key"));
      assertFalse(logs.text().contains(key.substring(8, 20)), "the logs hold the key");
      assertTrue(logs.text().contains("llm-slices r-key"), "the capture works");
    }
    assertEquals(2, Main.run("llm-slices", "--warehouse", warehouse, "--run-id", "r-nokey", "--endpoint", server.baseUrl(),
        "--api-key-env", "GLIOMA_BENCH_NO_SUCH_VARIABLE"), "a missing key variable is a usage error");
  }

  @Test
  void theRealPipelineIngestThenLlmSlicesOnTheBratsMiniCases() {
    Path data = Path.of(System.getProperty("gliomabench.shared.dir", "../shared"), "data", "brats-mini");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data), "no ../shared/data/brats-mini here");
    String wh = tmp.resolve("wh-ingest").toString();
    assertEquals(0, Main.run("ingest", "--data", data.toString(), "--warehouse", wh, "--run-id", "mini",
        "--set", "ingest.volume.shape=8,16,16", "--set", "ingest.crop.extent=128,160,96",
        "--set", "ingest.slices.scope=tumour", "--set", "ingest.slices.planes=axial"));
    long tumourSlices = spark.read().parquet(wh + "/slices").where("in_tumour and plane = 'axial'").count();
    assertTrue(tumourSlices > 50, "real tumours span many axial slices: " + tumourSlices);
    assertEquals(0, Main.run("llm-slices", "--warehouse", wh, "--run-id", "mini", "--planes", "axial", "--repeat", "3",
        "--set", "llm.slice.stride=4", "--set", "llm.sim.latency.ms=5", "--set", "llm.consistency.slices=1"));
    Dataset<Row> latest = LlmCallsView.latest(spark.read().parquet(wh + "/llm_calls"));
    long strided = spark.read().parquet(wh + "/slices").where("in_tumour and plane = 'axial' and slice_index % 4 = 0").count();
    long offStride = spark.read().parquet(wh + "/llm_consistency").where("slice_index % 4 != 0").count();
    assertEquals(strided + offStride, latest.where("sample = 0").count(), "every 4th slice, plus the consistency slices");
    assertEquals(strided + offStride + 2 * 2, latest.count(), "3 samples of each of the 2 consistency slices");
    assertEquals(3, latest.select("patient_id").distinct().count());
    assertEquals(latest.count(), latest.where("simulated and model like 'simulated-%'").count(),
        "without --endpoint the simulated server answers, and says so");
    // labels travel from ingest's grades into the call log
    assertEquals(0, latest.alias("c").join(spark.read().parquet(wh + "/patients").alias("p"), "patient_id")
        .where("c.label != p.label").count());
    assertEquals(2, spark.read().parquet(wh + "/llm_consistency").count(), "one HGG and one LGG slice, as the study");
  }
}
