package org.gliomabench.jobs.results;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CnnHistory;
import org.gliomabench.core.Tables.CnnModels;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * Input tables of aggregate and report, written with exactly the columns DESIGN.md promises for the
 * other stages' tables: patients, llm_calls (with retries and failures), the CNN's predictions rows
 * (two runs), cnn_history and llm_consistency. Small: 10 test patients, 8 cv patients in 2 folds.
 */
final class ResultsFixture {
  static final String RUN = "res-1";
  static final String OTHER_RUN = "res-0";
  /** Named as simulated the way the simulated server names its model. */
  static final String SIM_ARM = "llama-simulated";
  static final String SIM_MODEL = "llama-3.2-11b-vision-simulated";
  /** An arm with log-probabilities on every answer: its AUC score is the mean P(HGG). */
  static final String P_ARM = "vision-llm";
  static final String P_MODEL = "some-vision-model";
  /** A CNN row without a true label. */
  static final String BAD_PATIENT = "T99";

  /** patient -> label; T* test, C01-C04 fold 0, C05-C08 fold 1. */
  static final Map<String, Integer> LABELS = new LinkedHashMap<>();
  /** The counted tallies [LGG, HGG, none, unparseable] of the simulated arm, axial plane. */
  static final Map<String, int[]> SIM_AXIAL = new LinkedHashMap<>();

  static {
    int[] test = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    for (int i = 0; i < test.length; i++) {
      LABELS.put(String.format("T%02d", i + 1), test[i]);
    }
    int[] cv = {1, 0, 1, 1, 0, 1, 1, 0};
    for (int i = 0; i < cv.length; i++) {
      LABELS.put(String.format("C%02d", i + 1), cv[i]);
    }
    SIM_AXIAL.put("T01", new int[] {0, 3, 1, 0});
    SIM_AXIAL.put("T02", new int[] {1, 4, 0, 1});
    SIM_AXIAL.put("T03", new int[] {0, 2, 2, 0}); // HGG-none tie: HGG
    SIM_AXIAL.put("T04", new int[] {2, 1, 0, 0});
    SIM_AXIAL.put("T05", new int[] {0, 5, 0, 0});
    SIM_AXIAL.put("T06", new int[] {0, 1, 0, 3}); // unparseable wins: not HGG
    SIM_AXIAL.put("T07", new int[] {1, 1, 0, 0}); // LGG-HGG tie: LGG
    SIM_AXIAL.put("T08", new int[] {24, 20, 24, 10}); // the study's example: LGG
    SIM_AXIAL.put("T09", new int[] {0, 2, 1, 0});
    SIM_AXIAL.put("T10", new int[] {0, 0, 0, 0}); // every call failed: no_answer
    String[] cvPatients = {"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"};
    int[][] cvTallies = {{0, 3, 0, 0}, {2, 1, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 2, 0, 0}, {0, 3, 1, 0},
        {2, 0, 0, 0}, {1, 1, 1, 0}};
    for (int i = 0; i < cvPatients.length; i++) {
      SIM_AXIAL.put(cvPatients[i], cvTallies[i]);
    }
  }

  static final StructType CALLS = new StructType()
      .add(LlmCalls.CALL_KEY, StringType).add(Tables.RUN_ID, StringType).add(LlmCalls.ARM, StringType)
      .add(LlmCalls.MODEL, StringType).add(LlmCalls.PROMPT_VERSION, StringType).add(Tables.PATIENT_ID, StringType).add(Tables.PLANE, StringType)
      .add(Tables.SLICE_INDEX, IntegerType).add(LlmCalls.SAMPLE, IntegerType).add(LlmCalls.STATUS, StringType)
      .add(LlmCalls.ATTEMPTS, IntegerType).add(LlmCalls.CHOICE, IntegerType).add(LlmCalls.P_HGG, DoubleType)
      .add(LlmCalls.RAW_TEXT, StringType);

  /** Per fold model: the threshold (fold 1 a Youden cut), validation loss and AUC of the kept epoch. */
  static final double[] THRESHOLD = {0.5, 0.6};
  static final double[] VAL_LOSS = {0.61, 0.42};
  static final double[] VAL_AUC = {0.81, 0.74};

  static final int RESAMPLES = 200;
  static final long SEED = 99;

  private ResultsFixture() {}

  /** The fixture aggregated twice (a rerun with the same run id), once per test JVM. */
  record Aggregated(String warehouse, int status, int rerunStatus, long metricRowsAfterFirst) {}

  private static Aggregated aggregated;

  static synchronized Aggregated aggregated() {
    if (aggregated == null) {
      SparkSession spark = SharedSpark.session();
      String dir;
      try {
        String kept = System.getProperty("gliomabench.results.warehouse");
        if (kept == null) {
          Path tmp = Files.createTempDirectory("glioma-bench-results");
          Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(tmp)));
          dir = tmp.resolve("wh").toString();
        } else {
          dir = kept;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      write(new Warehouse(spark, dir));
      int status = aggregate(dir);
      long rows = spark.read().parquet(dir + "/" + Tables.Results.Metrics.NAME)
          .filter(org.apache.spark.sql.functions.col(Tables.RUN_ID).equalTo(RUN)).count();
      aggregated = new Aggregated(dir, status, aggregate(dir), rows);
    }
    return aggregated;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }

  private static int aggregate(String dir) {
    return Main.run("aggregate", "--warehouse", dir, "--run-id", RUN,
        "--resamples", Integer.toString(RESAMPLES), "--set", "aggregate.bootstrap.seed=" + SEED,
        "--set", "llm.compare.general=" + P_ARM);
  }

  static String cohort(String patient) {
    return patient.startsWith("T") ? Tables.COHORT_TEST : Tables.COHORT_CV;
  }

  static Integer fold(String patient) {
    return patient.startsWith("T") ? null : Integer.parseInt(patient.substring(1)) <= 4 ? 0 : 1;
  }

  /** The CNN's score for a patient: mostly right, some mistakes, distinct per fold model. */
  static double cnnScore(String patient, int foldModel) {
    int i = Integer.parseInt(patient.substring(1));
    int label = LABELS.get(patient);
    return Math.min(0.99, 0.25 + 0.35 * label + 0.07 * ((i * 3 + foldModel) % 5));
  }

  static void write(Warehouse warehouse) {
    SparkSession spark = warehouse.spark();
    List<Row> patients = new ArrayList<>();
    LABELS.forEach((p, l) -> patients.add(RowFactory.create(RUN, p, l == 1 ? "HGG" : "LGG", l, cohort(p), fold(p))));
    warehouse.replace(Patients.NAME, spark.createDataFrame(patients, new StructType()
        .add(Tables.RUN_ID, StringType).add(Tables.PATIENT_ID, StringType).add(Patients.GRADE, StringType)
        .add(Tables.LABEL, IntegerType).add(Tables.COHORT, StringType).add(Tables.FOLD, IntegerType)));

    List<Row> calls = new ArrayList<>();
    SIM_AXIAL.forEach((p, tally) -> addCalls(calls, SIM_ARM, SIM_MODEL, p, "axial", tally, false));
    // Coronal plane of the simulated arm on the test patients: all HGG but the LGG ones half LGG.
    LABELS.keySet().stream().filter(p -> p.startsWith("T")).forEach(p -> addCalls(calls, SIM_ARM, SIM_MODEL, p,
        "coronal", LABELS.get(p) == 1 ? new int[] {0, 4, 0, 0} : new int[] {2, 2, 0, 0}, false));
    // The log-prob arm, axial, every patient.
    LABELS.forEach((p, l) -> addCalls(calls, P_ARM, P_MODEL, p, "axial", l == 1 ? new int[] {1, 3, 0, 0}
        : new int[] {2, 2, 0, 0}, true));
    // Retries: a failed first attempt then an answer; an answer then a spurious later failure; a call
    // that never got an answer (T10 has only those); a call of another run that must not count.
    calls.add(call("retry-a", SIM_ARM, SIM_MODEL, "T01", "axial", 500, "http_error", 1, null, null));
    calls.add(call("retry-a", SIM_ARM, SIM_MODEL, "T01", "axial", 500, "ok", 2, 1, null));
    calls.add(call("retry-b", SIM_ARM, SIM_MODEL, "T02", "axial", 501, "ok", 1, 1, null));
    calls.add(call("retry-b", SIM_ARM, SIM_MODEL, "T02", "axial", 501, "timeout", 2, null, null));
    calls.add(call("failed-c", SIM_ARM, SIM_MODEL, "T10", "axial", 502, "timeout", 3, null, null));
    calls.add(call("failed-d", SIM_ARM, SIM_MODEL, "T10", "axial", 503, "http_error", 3, null, null));
    Row other = RowFactory.create("other-e", OTHER_RUN, SIM_ARM, SIM_MODEL, "classify-v1", "T08", "axial", 600, 0, "ok",
        1, 1, null, "1");
    // Consistency repeats (samples 1-5 of T04's slice 0, all HGG) and a locate prompt's answer (choice null)
    // must not count in the vote: T04 would turn HGG, T05 would get an unparseable slice.
    for (int sample = 1; sample <= 5; sample++) {
      calls.add(call("repeat-" + sample, SIM_ARM, SIM_MODEL, "classify-v1", "T04", "axial", 0, sample, "ok", 1, 1, null));
    }
    calls.add(call("locate-f", SIM_ARM, SIM_MODEL, "locate-box-v1", "T05", "axial", 1, 0, "ok", 1, null, null));
    calls.add(other);
    spark.createDataFrame(calls, CALLS).write().mode(SaveMode.Overwrite).parquet(warehouse.path(LlmCalls.NAME));

    List<Row> cnn = new ArrayList<>();
    for (String run : List.of(RUN, OTHER_RUN)) {
      for (String p : LABELS.keySet()) {
        // The test cohort is predicted by each fold's model; a cv patient by its own fold's model.
        for (int f : p.startsWith("T") ? new int[] {0, 1} : new int[] {fold(p)}) {
          double s = cnnScore(p, f);
          cnn.add(SparkTables.row(Predictions.TABLE).set(Tables.RUN_ID, run).set(Predictions.MODEL, Predictions.MODEL_CNN)
              .set(Tables.COHORT, cohort(p)).set(Tables.FOLD, p.startsWith("T") ? f : fold(p)).set(Tables.PATIENT_ID, p)
              .set(Tables.LABEL, LABELS.get(p)).set(Predictions.SCORE, s).set(Predictions.PRED, s >= THRESHOLD[f] ? 1 : 0)
              .set(Predictions.THRESHOLD, THRESHOLD[f]).build());
        }
      }
    }
    // A bad row (unknown patient, no true label) that must be left out, not sink the run.
    // (The CNN's schema does not allow a null label, so the bad row is written on its own, as a buggy or
    // older writer might.)
    SparkTables.overwritePartitions(warehouse, Predictions.TABLE, SparkTables.frame(spark, Predictions.TABLE, cnn));
    warehouse.append(Predictions.NAME, spark.createDataFrame(List.of(RowFactory.create(RUN, Predictions.MODEL_CNN, null,
        Tables.COHORT_TEST, 0, BAD_PATIENT, null, 0.7, 1, 0.5)), nullableLabel()), Predictions.PARTITION_COLUMNS);

    // The kept models: fold 1 has the lower validation loss, fold 0 the higher validation AUC.
    List<Row> models = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      models.add(SparkTables.row(CnnModels.TABLE).set(Tables.RUN_ID, RUN).set(Tables.FOLD, f).set(CnnModels.BEST_EPOCH, 5)
          .set(CnnModels.CRITERION, "val_loss").set(CnnModels.EPOCHS, 6).set(CnnModels.VAL_LOSS, VAL_LOSS[f])
          .set(CnnModels.VAL_AUC, VAL_AUC[f]).set(CnnModels.THRESHOLD, THRESHOLD[f])
          .set(CnnModels.THRESHOLD_RULE, f == 0 ? "fixed" : "youden").set(CnnModels.MODEL_PATH, "/models/fold" + f)
          .set(CnnModels.TRAINING_MASTER, "parameter_averaging").set(CnnModels.BACKEND, "plain").build());
    }
    SparkTables.overwritePartitions(warehouse, CnnModels.TABLE, SparkTables.frame(spark, CnnModels.TABLE, models));

    List<Row> history = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      for (int e = 1; e <= 6; e++) {
        history.add(SparkTables.row(CnnHistory.TABLE).set(Tables.RUN_ID, RUN).set(Tables.FOLD, f).set(CnnHistory.EPOCH, e)
            .set(CnnHistory.FIT_LOSS, 0.72 / e).set(CnnHistory.TRAIN_LOSS, 0.7 / e)
            .set(CnnHistory.TRAIN_ACCURACY, 0.5 + 0.07 * e).set(CnnHistory.TRAIN_AUC, 0.5 + 0.06 * e)
            .set(CnnHistory.VAL_LOSS, 0.75 / e + 0.05).set(CnnHistory.VAL_ACCURACY, 0.5 + 0.05 * e)
            .set(CnnHistory.VAL_AUC, 0.5 + 0.06 * e).set(CnnHistory.SECONDS, 1.5)
            .set(CnnHistory.EXAMPLES_PER_SECOND, 20.0).set(CnnHistory.TRAIN_EXAMPLES, 30L).build());
      }
    }
    SparkTables.overwritePartitions(warehouse, CnnHistory.TABLE, SparkTables.frame(spark, CnnHistory.TABLE, history));

    // The stratified consistency test as llm-slices writes it: three HGG and two LGG slices, each of another
    // patient, 95 samples each (T08: the study's LGG split).
    long[][] counts = {{5, 90, 0, 0, 0}, {0, 95, 0, 0, 0}, {10, 80, 2, 3, 0}, {20, 71, 0, 3, 1}, {60, 30, 5, 0, 0}};
    String[] ids = {"T01", "T02", "T03", "T08", "T09"};
    List<Row> consistency = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      long[] c = counts[i];
      long modal = Math.max(c[0], Math.max(c[1], c[2]));
      consistency.add(SparkTables.row(LlmConsistency.TABLE).set(Tables.RUN_ID, RUN).set(LlmCalls.ARM, SIM_ARM)
          .set(LlmCalls.SIMULATED, true).set(Tables.PATIENT_ID, ids[i]).set(Tables.LABEL, LABELS.get(ids[i]))
          .set(Tables.PLANE, "axial").set(Tables.SLICE_INDEX, 40).set(LlmConsistency.SAMPLES, 95L)
          .set(LlmConsistency.N_LGG, c[0]).set(LlmConsistency.N_HGG, c[1]).set(LlmConsistency.N_NO_GLIOMA, c[2])
          .set(LlmConsistency.N_PARSE_ERROR, c[3]).set(LlmConsistency.N_FAILED, c[4])
          .set(LlmConsistency.MODAL_CHOICE, c[1] >= c[0] ? 1 : 0).set(LlmConsistency.MODAL_SHARE, modal / 95.0).build());
    }
    SparkTables.overwritePartitions(warehouse, LlmConsistency.TABLE, SparkTables.frame(spark, LlmConsistency.TABLE, consistency));
  }

  private static StructType nullableLabel() {
    StructType t = new StructType();
    for (var f : SparkTables.schema(Predictions.TABLE).fields()) {
      t = t.add(f.name(), f.dataType(), true);
    }
    return t;
  }

  private static void addCalls(List<Row> calls, String arm, String model, String patient, String plane, int[] tally,
      boolean withP) {
    int slice = 0;
    for (int bucket = 0; bucket < 4; bucket++) {
      for (int k = 0; k < tally[bucket]; k++, slice++) {
        Integer choice = bucket == 3 ? null : bucket;
        String status = bucket == 3 ? "parse_error" : "ok";
        Double p = withP && bucket < 3 ? (bucket == 1 ? 0.8 : 0.3) + 0.01 * (patient.hashCode() % 7) : null;
        calls.add(call(arm + patient + plane + slice, arm, model, patient, plane, slice, status, 1, choice, p));
      }
    }
  }

  private static Row call(String key, String arm, String model, String patient, String plane, int slice, String status,
      int attempts, Integer choice, Double p) {
    return call(key, arm, model, "classify-v1", patient, plane, slice, 0, status, attempts, choice, p);
  }

  private static Row call(String key, String arm, String model, String prompt, String patient, String plane, int slice,
      int sample, String status, int attempts, Integer choice, Double p) {
    return RowFactory.create(key, RUN, arm, model, prompt, patient, plane, slice, sample, status, attempts, choice, p,
        choice == null ? "garbled" : choice + " keywords");
  }
}
