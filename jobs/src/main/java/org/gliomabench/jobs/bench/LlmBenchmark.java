package org.gliomabench.jobs.bench;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.llm.CallJournal;
import org.gliomabench.jobs.llm.CallPlan;
import org.gliomabench.jobs.llm.LlmArms;
import org.gliomabench.jobs.llm.LlmSqlFunctions;
import org.gliomabench.jobs.llm.SliceCallFunction;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.LlmClients;
import org.gliomabench.udf.client.RetryPolicy;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.sim.SimulatedBehaviour;
import org.gliomabench.udf.sim.SimulatedLlmServer;

/**
 * {@code bench llm}: against the SIMULATED server at a fixed latency L, in one run: the partition function's
 * calls per second against the ideal executors x C / L, a naive synchronous per-row UDF (llm_classify)
 * against its own ideal slots / L, and the fan-out again with injected faults (429, 500, hangs, drops,
 * garbage), checking that every call ends with a row and none is lost.
 */
public final class LlmBenchmark implements BenchCommand.Benchmark {

  @Override
  public String summary() {
    return "LLM fan-out calls/s vs executors x concurrency / latency, vs a per-row UDF, and with 20% faults (SIMULATED server)";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    SparkSession spark = context.spark();
    long latency = s.getLong(ConfigKeys.LLM_BENCH_LATENCY_MS);
    int calls = s.getInt(ConfigKeys.LLM_BENCH_CALLS);
    int naiveCalls = s.getInt(ConfigKeys.LLM_BENCH_NAIVE_CALLS);
    double faults = s.getDouble(ConfigKeys.LLM_BENCH_FAULTS);
    int concurrency = s.getInt(ConfigKeys.LLM_CONCURRENCY);
    int slots = spark.sparkContext().defaultParallelism();
    int executors = LlmArms.executors(spark);
    double ideal = executors * concurrency * 1000.0 / latency;
    SimulatedBehaviour behaviour = SimulatedBehaviour.defaults().withLatency(latency, 0);
    Path journal = Files.createTempDirectory("glioma-bench-llm-journal");
    try (SimulatedLlmServer server = SimulatedLlmServer.start(behaviour)) {
      ClientConfig client = new ClientConfig(server.baseUrl(), null, 5000, Math.max(1000, latency * 5), concurrency, 0,
          new RetryPolicy(8, 100, 1000, 120_000, 5000));
      ArmSpec arm = new ArmSpec("bench", true, SimulatedLlmServer.modelName("bench"), "classify-v1",
          new DecodingParams(0.6, 64, 1L, true, 5, DecodingParams.NONE), client);
      Dataset<Row> plan = plan(spark, calls, slots * 4).cache();
      plan.count();
      List<String[]> table = new ArrayList<>();

      // warm-up: connections, JIT, Spark codegen
      time(spark, plan.limit(concurrency * 2), arm, null);
      Result fan = time(spark, plan, arm, journal.toString());
      table.add(row("partition function (async fan-out)", fan, ideal));

      LlmSqlFunctions.register(spark, List.of(arm));
      Dataset<Row> few = plan.limit(naiveCalls).repartition(slots);
      few.count();
      long t0 = System.nanoTime();
      List<Row> naive = few.select(callUDF(LlmSqlFunctions.CLASSIFY, lit(arm.name()), col(Slices.FLAIR_PNG)).as("r"))
          .select("r.status").collectAsList();
      double naiveSecs = (System.nanoTime() - t0) / 1e9;
      Result udf = new Result(naive.size(), naiveSecs, naive.size(), 0, 0);
      table.add(row("naive synchronous per-row UDF (llm_classify)", udf, slots * 1000.0 / latency));

      server.behaviour(behaviour.withFaults(faults));
      Path faultJournal = Files.createTempDirectory("glioma-bench-llm-journal-faults");
      Result faulty = time(spark, plan.select(col(LlmCalls.CALL_KEY), col(LlmCalls.ARM), col(Tables.PATIENT_ID),
          col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD), col(Tables.PLANE), col(Tables.SLICE_INDEX),
          col(LlmCalls.SAMPLE), col(Slices.FLAIR_PNG), col(Slices.WIDTH), col(Slices.HEIGHT), col(CallPlan.IMAGE),
          col(CallPlan.EXAMPLE_IDS), col(CallPlan.EXAMPLE_LABELS), col(LlmCalls.STATED_P_HGG)), arm, faultJournal.toString());
      table.add(row(String.format("fan-out, %.0f%% injected faults", faults * 100), faulty, ideal));

      System.out.printf("bench llm: SIMULATED OpenAI-compatible server on loopback, fixed latency %d ms; Spark %s "
              + "(%d executor JVM, %d task slots); concurrency C = %d per executor; ideal = executors x C / L = %.1f calls/s%n%n",
          latency, spark.sparkContext().master(), executors, slots, concurrency, ideal);
      System.out.printf("| %-46s | %6s | %8s | %8s | %9s | %11s | %8s | %9s |%n", "run", "calls", "seconds", "calls/s",
          "vs ideal", "ideal/s", "rows", "attempts");
      System.out.println("|" + "-".repeat(48) + "|--------|----------|----------|-----------|-------------|----------|-----------|");
      table.forEach(r -> System.out.printf("| %-46s | %6s | %8s | %8s | %9s | %11s | %8s | %9s |%n", (Object[]) r));
      System.out.printf("%nfan-out vs per-row UDF: %.1fx the calls per second%n", fan.rate() / udf.rate());
      System.out.printf("with %.0f%% faults: %d of %d calls ended with a row (%d answered, %d failed after retries), "
              + "%d lost, %d journal rows; throughput %.2f of the fault-free run (mean attempts %.2f)%n",
          faults * 100, faulty.rows, calls, faulty.answered, faulty.rows - faulty.answered, calls - faulty.rows,
          faulty.journalRows, faulty.rate() / fan.rate(), faulty.meanAttempts);
      boolean ok = faulty.rows == calls && faulty.journalRows == calls;
      return ok ? 0 : 1;
    } finally {
      LlmClients.closeAll();
    }
  }

  private record Result(long rows, double seconds, long answered, double meanAttempts, long journalRows) {
    double rate() {
      return rows / seconds;
    }
  }

  private static String[] row(String name, Result r, double ideal) {
    return new String[] {name, Long.toString(r.rows), String.format("%.2f", r.seconds), String.format("%.1f", r.rate()),
        String.format("%.2f", r.rate() / ideal), String.format("%.1f", ideal), Long.toString(r.rows),
        r.meanAttempts > 0 ? String.format("%.2f", r.meanAttempts) : "-"};
  }

  private static Result time(SparkSession spark, Dataset<Row> plan, ArmSpec arm, String journalDir) throws IOException {
    SliceCallFunction.Wiring wiring = journalDir == null ? SliceCallFunction.Wiring.none()
        : new SliceCallFunction.Wiring(new HadoopConf(spark.sparkContext().hadoopConfiguration()), journalDir,
            "bench", 60, null, null, null);
    SliceCallFunction fn = new SliceCallFunction(List.of(arm), "bench", wiring);
    long t0 = System.nanoTime();
    List<Row> out = plan.mapPartitions(fn, Encoders.row(SparkTables.schema(LlmCalls.TABLE)))
        .select(LlmCalls.CALL_KEY, LlmCalls.STATUS, LlmCalls.ATTEMPTS).collectAsList();
    double secs = (System.nanoTime() - t0) / 1e9;
    Set<String> keys = new HashSet<>();
    long answered = 0;
    long attempts = 0;
    for (Row r : out) {
      keys.add(SparkTables.string(r, LlmCalls.CALL_KEY));
      answered += LlmCallsView.isTerminal(SparkTables.string(r, LlmCalls.STATUS)) ? 1 : 0;
      attempts += SparkTables.intValue(r, LlmCalls.ATTEMPTS);
    }
    long journalRows = 0;
    if (journalDir != null) {
      org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
      journalRows = CallJournal.read(conf, CallJournal.files(conf, journalDir, null)).stream()
          .map(r -> r.<String>getAs(LlmCalls.CALL_KEY)).distinct().count();
    }
    return new Result(keys.size(), secs, answered, out.isEmpty() ? 0 : (double) attempts / out.size(), journalRows);
  }

  /** n synthetic calls over distinct small PNGs. */
  private static Dataset<Row> plan(SparkSession spark, int n, int partitions) throws IOException {
    StructType schema = new StructType().add(LlmCalls.CALL_KEY, DataTypes.StringType).add(LlmCalls.ARM, DataTypes.StringType)
        .add(Tables.PATIENT_ID, DataTypes.StringType).add(Tables.LABEL, DataTypes.IntegerType)
        .add(Tables.COHORT, DataTypes.StringType).add(Tables.FOLD, DataTypes.IntegerType)
        .add(Tables.PLANE, DataTypes.StringType).add(Tables.SLICE_INDEX, DataTypes.IntegerType)
        .add(LlmCalls.SAMPLE, DataTypes.IntegerType).add(Slices.FLAIR_PNG, DataTypes.BinaryType)
        .add(Slices.WIDTH, DataTypes.IntegerType).add(Slices.HEIGHT, DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(String.format("bench-%06d", i), "bench", "B" + (i / 50), i % 2, "cv", 0, "axial", i, 0,
          png(i), 64, 64));
    }
    return CallPlan.showingTheSliceAlone(spark.createDataFrame(rows, schema)).repartition(partitions);
  }

  private static byte[] png(int seed) throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, (x * 3 + y * 5 + seed * 7) & 0xff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
