package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llm-slices against servers that behave like transformers serve and vLLM (stand-ins on loopback; CI's
 * scripts/check-real-llm.sh runs the real transformers serve): server kinds, permanent errors, missing logprobs.
 */
class LlmServerKindsTest {
  private static final String PINNED = "/models/tiny-llama-vision";
  /** 4 patients x 2 planes x 2 tumour slices. */
  private static final int SLICES = 16;

  @TempDir
  static Path tmp;
  static SparkSession spark;
  String warehouse;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  @BeforeEach
  void slices() throws Exception {
    warehouse = Files.createTempDirectory(tmp, "wh").toString();
    SliceFixtures.writeSlices(spark, warehouse, 4, 2);
  }

  /** Runs llm-slices; returns the exit status and what it printed (stdout and stderr). */
  private Object[] run(String endpoint, String runId, String model, String... extra) {
    List<String> args = new ArrayList<>(List.of("llm-slices", "--warehouse", warehouse, "--run-id", runId,
        "--endpoint", endpoint, "--model", model, "--repeat", "0", "--set", "llm.retry.base.ms=10",
        "--set", "llm.retry.max.backoff.ms=40", "--set", "llm.partitions=2"));
    args.addAll(List.of(extra));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    int rc;
    try {
      rc = Main.run(args.toArray(new String[0]));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    out.print(text);
    return new Object[] {rc, text};
  }

  private List<Row> calls(String runId) {
    return spark.read().parquet(warehouse + "/llm_calls").where(col("run_id").equalTo(runId)).collectAsList();
  }

  @Test
  void aModelTheServerDoesNotServeFailsOncePerCallWithTheServersReasonAndAdviceNotARerun() throws Exception {
    try (TransformersServeStandIn server = new TransformersServeStandIn(PINNED, null)) {
      Object[] r = run(server.baseUrl(), "wrong", "meta-llama/Llama-3.2-11B-Vision-Instruct");
      assertEquals(ExitStatus.PERMANENT_FAILURES, r[0]);
      String out = (String) r[1];
      assertTrue(out.contains(SLICES + " calls failed (not retried): HTTP 400: Server is pinned to '" + PINNED + "'"), out);
      assertTrue(out.contains("pass --model"), out);
      assertFalse(out.contains("to retry them"), "no rerun advice for a permanent error: " + out);
      List<Row> rows = calls("wrong");
      assertEquals(SLICES, rows.size());
      assertEquals(SLICES, server.requests.size(), "one request per call: a 400 is not retried");
      for (Row row : rows) {
        assertEquals("http_error", row.getAs("status"));
        assertEquals(400, (int) row.getAs("http_status"));
        assertEquals(1, (int) row.getAs("attempts"));
      }
    }
  }

  @Test
  void transformersServeIsDetectedSoNoLogprobsAreAskedAndTheUserIsToldWhy() throws Exception {
    try (TransformersServeStandIn server = new TransformersServeStandIn(PINNED, null)) {
      Object[] r = run(server.baseUrl(), "tf", PINNED);
      assertEquals(0, r[0]);
      String out = (String) r[1];
      assertTrue(out.contains("server kind transformers"), out);
      assertTrue(out.contains("returns no token logprobs"), out);
      server.requests.forEach(b -> assertFalse(b.has("logprobs") || b.has("top_logprobs"), b.toString()));
      for (Row row : calls("tf")) {
        assertEquals("ok", row.getAs("status"));
        assertEquals(1, (int) row.getAs("choice"));
        assertNull(row.getAs("logprobs_returned"), "not asked for");
      }
    }
  }

  @Test
  void logprobsAskedForButNeverReturnedAreSaidOncePerArmAndRecorded() throws Exception {
    try (TransformersServeStandIn server = new TransformersServeStandIn(PINNED, null)) {
      Object[] r = run(server.baseUrl(), "lp", PINNED, "--server", "openai");
      assertEquals(0, r[0]);
      String out = (String) r[1];
      assertEquals(1, out.split("logprobs: asked for, but none of " + SLICES + " answers", -1).length - 1, out);
      server.requests.forEach(b -> assertTrue(b.path("logprobs").asBoolean(), b.toString()));
      for (Row row : calls("lp")) {
        assertFalse((boolean) row.getAs("logprobs_returned"));
        assertNull(row.getAs("p_hgg"));
      }
    }
  }

  @Test
  void aConstrainedModeTheServerKindLacksIsRefusedBeforeAnyCall() throws Exception {
    try (TransformersServeStandIn server = new TransformersServeStandIn(PINNED, null)) {
      Object[] r = run(server.baseUrl(), "regex", PINNED, "--set", "llm.constrained=guided-regex");
      assertEquals(2, r[0]);
      assertTrue(((String) r[1]).contains("is not supported by transformers serve"), (String) r[1]);
      assertTrue(((String) r[1]).contains("vllm, llamacpp"), (String) r[1]);
      assertEquals(0, server.requests.size());
    }
  }

  @Test
  void aModelMissingFromTheServersListStopsTheRunBeforeAnyCall() throws Exception {
    try (TransformersServeStandIn server = new TransformersServeStandIn("served-name", "served-name")) {
      Object[] r = run(server.baseUrl(), "listed", "other-name");
      assertEquals(2, r[0]);
      assertTrue(((String) r[1]).contains("does not serve a model named 'other-name'; it lists [served-name]"), (String) r[1]);
      assertEquals(0, server.requests.size());
    }
  }
}
