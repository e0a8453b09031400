package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.gliomabench.jobs.warehouse.SparkTables.COUNT;
import static org.gliomabench.jobs.warehouse.SparkTables.boolValue;
import static org.gliomabench.jobs.warehouse.SparkTables.intOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.intValue;
import static org.gliomabench.jobs.warehouse.SparkTables.isNull;
import static org.gliomabench.jobs.warehouse.SparkTables.longValue;
import static org.gliomabench.jobs.warehouse.SparkTables.string;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.metrics.WilsonInterval;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.udf.client.FailureReason;
import org.gliomabench.udf.client.LlmClients;
import org.gliomabench.udf.fanout.ArmSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The llm-slices stage: plans the calls, skips those this run already finished (ok or parse_error),
 * fans the rest out over the slices' partitions, folds the call journal into llm_calls, and writes the
 * consistency table. Rerunning with the same run id resumes; nothing answered is asked again.
 */
public final class LlmSlicesJob {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSlicesJob.class);

  /**
   * Per arm: calls by status (latest row per call), whether the arm is simulated, the distinct reasons of its
   * failed calls (most frequent first), what was said before the calls ({@link LlmArms#notes()}) and, when
   * P(HGG) was wanted, how many answers carried logprobs and how many came without.
   */
  public record ArmSummary(String arm, boolean simulated, String model, String endpoint, Map<String, Long> byStatus,
      Map<FailureReason, Long> reasons, List<String> notes, boolean logprobsWanted, long withLogprobs, long withoutLogprobs) {

    /** P(HGG) was wanted, answers came, and none carried logprobs. */
    public boolean logprobsMissing() {
      return logprobsWanted && withLogprobs == 0 && withoutLogprobs > 0;
    }

    public long total() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public long unfinished() {
      return byStatus.entrySet().stream().filter(e -> !LlmCallsView.isTerminal(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }
  }

  public record Summary(long planned, long skipped, long sent, long recovered, List<ArmSummary> arms,
      List<Row> consistency, List<CallPlan.ArmPlan> armPlans, double seconds) {
    public long unfinished() {
      return arms.stream().mapToLong(ArmSummary::unfinished).sum();
    }
  }

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;

  public LlmSlicesJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public Summary run() throws IOException {
    long start = System.nanoTime();
    Dataset<Row> cached = null;
    SparkSession spark = warehouse.spark();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String journalDir = CallJournal.runDir(warehouse.root(), runId);
    try (LlmArms arms = LlmArms.resolve(settings, spark)) {
      long recovered = foldJournal(conf, journalDir);
      if (recovered > 0) {
        LOG.info("llm-slices {}: recovered {} calls from the journal of an interrupted run", runId, recovered);
      }
      arms.notes().forEach((arm, notes) -> notes.forEach(n -> LOG.info("llm arm {}: {}", arm, n)));
      String cnnRun = settings.has(ConfigKeys.LLM_CNN_RUN) && !settings.get(ConfigKeys.LLM_CNN_RUN).isBlank()
          ? settings.get(ConfigKeys.LLM_CNN_RUN) : runId;
      CallPlan plan = CallPlan.build(settings, warehouse, cnnRun, arms);
      Dataset<Row> done = LlmCallsView.latestOfRun(warehouse, runId)
          .where(col(LlmCalls.STATUS).isin(LlmCalls.STATUS_OK, LlmCalls.STATUS_PARSE_ERROR))
          .select(LlmCalls.ARM, LlmCalls.CALL_KEY);
      // The plan (slices read, keys hashed over every image) is computed once, then counted, diffed and sent.
      Dataset<Row> calls = plan.calls().persist(StorageLevel.MEMORY_AND_DISK());
      cached = calls;
      long planned = calls.count();
      plan.release();
      Dataset<Row> pending = calls.join(done, new String[] {LlmCalls.ARM, LlmCalls.CALL_KEY}, "left_anti");
      long total = pending.count();
      pending = pending.repartition(partitions(spark, total));
      List<CallPlan.ArmPlan> armPlans = plan.count(calls);
      ArmPlans.print(armPlans, System.out);
      ArmPlans.write(warehouse, runId, armPlans);
      LOG.info("llm-slices {}: {} calls planned over {} arm(s), {} already answered in this run, {} to send",
          runId, planned, arms.arms().size(), planned - total, total);
      if (total > 0) {
        send(spark, arms.arms(), pending, total, conf, journalDir, plan.exampleImages());
      }
      calls.unpersist();
      cached = null;
      List<Row> consistency = !plan.consistency().isEmpty() ? writeConsistency(plan, arms.arms()) : List.of();
      return new Summary(planned, planned - total, total, recovered, summarise(arms), consistency, armPlans,
          (System.nanoTime() - start) / 1e9);
    } finally {
      if (cached != null) {
        cached.unpersist();
      }
      LlmClients.closeAll();
    }
  }

  /**
   * llm.partitions, or enough tasks for progress to move (the driver sees accumulators when a task ends):
   * about 50 calls a task, at least one task per core. Tasks of one executor share its in-flight bound.
   */
  private int partitions(SparkSession spark, long total) {
    int configured = settings.getInt(ConfigKeys.LLM_PARTITIONS);
    if (configured > 0) {
      return configured;
    }
    return (int) Math.max(spark.sparkContext().defaultParallelism(), Math.min(10_000, (total + 49) / 50));
  }

  private void send(SparkSession spark, List<ArmSpec> arms, Dataset<Row> pending, long total, Configuration conf,
      String journalDir, Map<String, byte[]> exampleImages) throws IOException {
    LongAccumulator done = spark.sparkContext().longAccumulator("llm calls done");
    LongAccumulator ok = spark.sparkContext().longAccumulator("llm calls answered");
    LongAccumulator failed = spark.sparkContext().longAccumulator("llm calls failed");
    SliceCallFunction.Wiring wiring = new SliceCallFunction.Wiring(new HadoopConf(conf), journalDir,
        "job-" + UUID.randomUUID().toString().substring(0, 8), settings.getLong(ConfigKeys.LLM_JOURNAL_ROLL_SECONDS),
        done, ok, failed);
    // The few-shot examples' images travel once per executor, not once per call.
    org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, byte[]>> examples = exampleImages.isEmpty() ? null
        : org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(new java.util.HashMap<>(exampleImages));
    SliceCallFunction fn = new SliceCallFunction(arms, runId, wiring, examples);
    String group = wiring.jobToken();
    try (CallProgress progress = new CallProgress(spark.sparkContext(), "llm-slices " + runId, total, done, ok, failed,
        settings.getLong(ConfigKeys.LLM_PROGRESS_SECONDS))) {
      spark.sparkContext().setJobGroup(group, "llm-slices " + runId + ": " + total + " calls", false);
      StopSending.guard(spark.sparkContext(), group, () -> pending.mapPartitions(fn,
          Encoders.row(SparkTables.schema(LlmCalls.TABLE))).write().format("noop").mode(SaveMode.Overwrite).save());
      LOG.info(progress.line());
    } catch (RuntimeException e) {
      // A failed or cancelled job is over on the driver before its killed tasks have recorded the answers
      // still on their way: wait for them before folding the journal.
      long drain = arms.stream().mapToLong(a -> a.client().responseTimeoutMs() + a.client().connectTimeoutMs()).max().orElse(0);
      awaitTasks(spark, group, drain + 10_000);
      throw e;
    } finally {
      spark.sparkContext().clearJobGroup();
      // Also after a failed or cancelled job: what was answered is kept.
      long folded = foldJournal(conf, journalDir);
      LOG.info("llm-slices {}: {} call records written to {}", runId, folded, LlmCalls.NAME);
    }
  }

  private static void awaitTasks(SparkSession spark, String group, long timeoutMs) {
    long end = System.currentTimeMillis() + timeoutMs;
    org.apache.spark.SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    while (System.currentTimeMillis() < end) {
      int active = 0;
      for (int job : tracker.getJobIdsForGroup(group)) {
        org.apache.spark.SparkJobInfo info = tracker.getJobInfo(job).getOrElse(() -> null);
        if (info != null) {
          for (int stage : info.stageIds()) {
            org.apache.spark.SparkStageInfo si = tracker.getStageInfo(stage).getOrElse(() -> null);
            active += si == null ? 0 : si.numActiveTasks();
          }
        }
      }
      if (active == 0) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.warn("llm-slices: tasks of {} still running after {} ms; folding the journal anyway", group, timeoutMs);
  }

  /** Appends the journal's rows to llm_calls and deletes the files folded, in one commit; returns the rows. */
  long foldJournal(Configuration conf, String journalDir) throws IOException {
    List<Path> files = CallJournal.files(conf, journalDir, null);
    if (files.isEmpty()) {
      return 0;
    }
    List<Row> rows = CallJournal.read(conf, files);
    SparkTables.append(warehouse, LlmCalls.TABLE, SparkTables.frame(warehouse.spark(), LlmCalls.TABLE, rows),
        files.stream().map(Path::toString).toList());
    return rows.size();
  }

  private List<ArmSummary> summarise(LlmArms arms) {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    Map<String, Map<FailureReason, Long>> reasons = new LinkedHashMap<>();
    Map<String, long[]> logprobs = new LinkedHashMap<>();
    arms.arms().forEach(a -> {
      counts.put(a.name(), new LinkedHashMap<>());
      reasons.put(a.name(), new LinkedHashMap<>());
      logprobs.put(a.name(), new long[2]);
    });
    Dataset<Row> latest = LlmCallsView.latestOfRun(warehouse, runId).cache();
    try {
      for (Row r : latest.groupBy(LlmCalls.ARM, LlmCalls.STATUS).count().collectAsList()) {
        counts.computeIfAbsent(string(r, LlmCalls.ARM), k -> new LinkedHashMap<>())
            .put(string(r, LlmCalls.STATUS), longValue(r, COUNT));
      }
      for (Row r : latest.where(col(LlmCalls.STATUS).isin(LlmCalls.STATUS_OK, LlmCalls.STATUS_PARSE_ERROR).unary_$bang())
          .groupBy(LlmCalls.ARM, LlmCalls.STATUS, LlmCalls.HTTP_STATUS, LlmCalls.ERROR).count().collectAsList()) {
        FailureReason reason = FailureReason.of(string(r, LlmCalls.STATUS), intOrNull(r, LlmCalls.HTTP_STATUS),
            string(r, LlmCalls.ERROR));
        reasons.computeIfAbsent(string(r, LlmCalls.ARM), k -> new LinkedHashMap<>())
            .merge(reason, longValue(r, COUNT), Long::sum);
      }
      if (Arrays.asList(latest.columns()).contains(LlmCalls.LOGPROBS_RETURNED)) {
        for (Row r : latest.where(col(LlmCalls.LOGPROBS_RETURNED).isNotNull())
            .groupBy(LlmCalls.ARM, LlmCalls.LOGPROBS_RETURNED).count().collectAsList()) {
          logprobs.computeIfAbsent(string(r, LlmCalls.ARM), k -> new long[2])[boolValue(r, LlmCalls.LOGPROBS_RETURNED) ? 0 : 1]
              += longValue(r, COUNT);
        }
      }
    } finally {
      latest.unpersist();
    }
    List<ArmSummary> out = new ArrayList<>();
    for (ArmSpec a : arms.arms()) {
      Map<FailureReason, Long> sorted = new LinkedHashMap<>();
      reasons.get(a.name()).entrySet().stream().sorted(Map.Entry.<FailureReason, Long>comparingByValue().reversed())
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      long[] lp = logprobs.get(a.name());
      out.add(new ArmSummary(a.name(), a.simulated(), a.model(), a.displayEndpoint(), counts.get(a.name()), sorted,
          arms.notes().getOrDefault(a.name(), List.of()), arms.logprobsWanted(a.name()), lp[0], lp[1]));
    }
    return out;
  }

  /**
   * The answer distribution per consistency slice and classify arm, over samples 0..repeat-1 (a locate
   * arm's sample 0 of the same slice is no classify answer).
   */
  private List<Row> writeConsistency(CallPlan plan, List<ArmSpec> arms) {
    Object[] classify = arms.stream().filter(a -> plan.repeat(a.name()) > 0).map(ArmSpec::name).toArray();
    if (classify.length == 0) {
      return List.of();
    }
    SparkSession spark = warehouse.spark();
    List<Row> ids = new ArrayList<>();
    Map<String, CallPlan.SliceId> byId = new LinkedHashMap<>();
    for (CallPlan.SliceId s : plan.consistency()) {
      ids.add(RowFactory.create(s.patientId(), s.plane(), s.sliceIndex()));
      byId.put(s.patientId() + "|" + s.plane() + "|" + s.sliceIndex(), s);
    }
    Dataset<Row> idFrame = spark.createDataFrame(ids, new StructType().add(Tables.PATIENT_ID, DataTypes.StringType)
        .add(Tables.PLANE, DataTypes.StringType).add(Tables.SLICE_INDEX, DataTypes.IntegerType));
    Map<String, long[]> tally = new LinkedHashMap<>();
    Map<String, Object[]> idOf = new LinkedHashMap<>();
    org.apache.spark.sql.Column withinRepeats = null;
    for (Object arm : classify) {
      org.apache.spark.sql.Column c = col(LlmCalls.ARM).equalTo(arm).and(col(LlmCalls.SAMPLE).lt(plan.repeat((String) arm)));
      withinRepeats = withinRepeats == null ? c : withinRepeats.or(c);
    }
    for (Row r : LlmCallsView.latestOfRun(warehouse, runId).where(withinRepeats)
        .join(idFrame, new String[] {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX}, "left_semi")
        .select(LlmCalls.ARM, LlmCalls.SIMULATED, Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX, LlmCalls.STATUS, LlmCalls.CHOICE)
        .collectAsList()) {
      CallPlan.SliceId s = byId.get(string(r, Tables.PATIENT_ID) + "|" + string(r, Tables.PLANE) + "|"
          + intValue(r, Tables.SLICE_INDEX));
      String arm = string(r, LlmCalls.ARM);
      String k = arm + "|" + s;
      idOf.putIfAbsent(k, new Object[] {arm, boolValue(r, LlmCalls.SIMULATED), s});
      long[] t = tally.computeIfAbsent(k, x -> new long[6]);
      t[0]++;
      String status = string(r, LlmCalls.STATUS);
      if (LlmCalls.STATUS_OK.equals(status) && !isNull(r, LlmCalls.CHOICE)) {
        t[1 + intValue(r, LlmCalls.CHOICE)]++; // 1 LGG, 2 HGG, 3 no glioma
      } else if (LlmCalls.STATUS_PARSE_ERROR.equals(status)) {
        t[4]++;
      } else {
        t[5]++;
      }
    }
    List<Row> rows = new ArrayList<>();
    tally.forEach((k, t) -> {
      Object[] id = idOf.get(k);
      CallPlan.SliceId s = (CallPlan.SliceId) id[2];
      int modal = t[2] >= t[1] && t[2] >= t[3] ? 1 : t[1] >= t[3] ? 0 : 2;
      long modalCount = t[1 + modal];
      double[] ci = modalCount > 0 ? WilsonInterval.of95(modalCount, t[0]) : null;
      rows.add(SparkTables.row(LlmConsistency.TABLE).set(Tables.RUN_ID, runId).set(LlmCalls.ARM, id[0])
          .set(LlmCalls.SIMULATED, id[1]).set(Tables.PATIENT_ID, s.patientId()).set(Tables.LABEL, s.label())
          .set(Tables.PLANE, s.plane()).set(Tables.SLICE_INDEX, s.sliceIndex()).set(LlmConsistency.SAMPLES, t[0])
          .set(LlmConsistency.N_LGG, t[1]).set(LlmConsistency.N_HGG, t[2]).set(LlmConsistency.N_NO_GLIOMA, t[3])
          .set(LlmConsistency.N_PARSE_ERROR, t[4]).set(LlmConsistency.N_FAILED, t[5])
          .set(LlmConsistency.MODAL_CHOICE, modalCount > 0 ? modal : null)
          .set(LlmConsistency.MODAL_SHARE, t[0] > 0 && modalCount > 0 ? (double) modalCount / t[0] : null)
          .set(LlmConsistency.MODAL_SHARE_CI_LOW, ci == null ? null : ci[0])
          .set(LlmConsistency.MODAL_SHARE_CI_HIGH, ci == null ? null : ci[1]).build());
    });
    if (!rows.isEmpty()) {
      SparkTables.overwritePartitions(warehouse, LlmConsistency.TABLE,
          SparkTables.frame(warehouse.spark(), LlmConsistency.TABLE, rows));
    }
    return rows;
  }
}
