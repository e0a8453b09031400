package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.prompt.PromptTemplates;

/**
 * Which calls a run makes: every tumour slice of the chosen planes (and cohorts, every k-th with a
 * stride, per arm) once per arm as sample 0, plus, for classify arms only, {@code llm.repeat} samples of the
 * consistency slices (locate arms ask each slice once). Each call
 * gets its key: SHA-256 over model, prompt version, the image's SHA-256, the slice's identity, the sample
 * and the decoding parameters, so the same call always has the same key and a rerun can skip it.
 */
public final class CallPlan {
  /** A slice chosen for the consistency test. */
  public record SliceId(String patientId, int label, String plane, int sliceIndex) {}

  private final Dataset<Row> calls;
  private final List<SliceId> consistency;
  private final int repeat;

  private CallPlan(Dataset<Row> calls, List<SliceId> consistency, int repeat) {
    this.calls = calls;
    this.consistency = consistency;
    this.repeat = repeat;
  }

  public Dataset<Row> calls() {
    return calls;
  }

  public List<SliceId> consistency() {
    return consistency;
  }

  public int repeat() {
    return repeat;
  }

  /** Whether the arm asks a locate-* prompt (where is the tumour) rather than the classify question. */
  public static boolean isLocate(ArmSpec arm) {
    return PromptTemplates.byId(arm.promptId()).kind().isLocate();
  }

  public static CallPlan build(Settings s, Dataset<Row> slices, List<ArmSpec> arms) {
    List<String> planes = s.getList(ConfigKeys.LLM_PLANES);
    for (String p : planes) {
      if (!List.of("axial", "coronal", "sagittal").contains(p)) {
        throw new ConfigException(ConfigKeys.LLM_PLANES + ": unknown plane '" + p + "' (axial, coronal, sagittal)");
      }
    }
    Dataset<Row> base = slices.where(col(Slices.IN_TUMOUR)).where(col(Tables.PLANE).isin(planes.toArray()));
    List<String> cohorts = s.getList(ConfigKeys.LLM_COHORTS);
    if (!cohorts.isEmpty()) {
      base = base.where(col(Tables.COHORT).isin(cohorts.toArray()));
    }
    base = base.select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD), col(Tables.PLANE),
        col(Tables.SLICE_INDEX), col(Slices.FLAIR_PNG), col(Slices.WIDTH), col(Slices.HEIGHT));

    // The consistency repeats belong to the classify question: locate arms ask each slice once (sample 0).
    int repeat = s.getInt(ConfigKeys.LLM_REPEAT);
    boolean anyClassify = arms.stream().anyMatch(a -> !isLocate(a));
    List<SliceId> chosen = List.of();
    Dataset<Row> repeated = null;
    if (repeat > 0 && anyClassify) {
      chosen = consistencySlices(s, slices, planes.get(0));
      if (!chosen.isEmpty()) {
        SparkSession spark = slices.sparkSession();
        List<Row> ids = new ArrayList<>();
        chosen.forEach(c -> ids.add(org.apache.spark.sql.RowFactory.create(c.patientId(), c.plane(), c.sliceIndex())));
        Dataset<Row> idFrame = spark.createDataFrame(ids, new org.apache.spark.sql.types.StructType()
            .add(Tables.PATIENT_ID, "string").add(Tables.PLANE, "string").add(Tables.SLICE_INDEX, "int"));
        Dataset<Row> samples = spark.range(repeat).select(col("id").cast("int").as(LlmCalls.SAMPLE));
        repeated = slices.join(idFrame, new String[] {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX}, "left_semi")
            .select(base.columns()[0], java.util.Arrays.copyOfRange(base.columns(), 1, base.columns().length))
            .crossJoin(samples);
      }
    }
    Dataset<Row> all = null;
    for (ArmSpec a : arms) {
      // llm.slice.stride, or llm.arm.<name>.slice.stride: e.g. a sparser locate arm beside a full classify arm.
      String armStride = ConfigKeys.llmArmKey(a.name(), ConfigKeys.LLM_SLICE_STRIDE);
      int stride = s.forArm(ConfigKeys.llmArmPrefix(a.name()), ConfigKeys.LLM).getInt(ConfigKeys.LLM_SLICE_STRIDE);
      if (stride < 1) {
        throw new ConfigException((s.has(armStride) ? armStride : ConfigKeys.LLM_SLICE_STRIDE) + " must be 1 or more, got " + stride);
      }
      Dataset<Row> planned = (stride > 1 ? base.where(pmod(col(Tables.SLICE_INDEX), lit(stride)).equalTo(0)) : base)
          .withColumn(LlmCalls.SAMPLE, lit(0));
      if (repeated != null && !isLocate(a)) {
        planned = planned.unionByName(repeated);
      }
      Column key = sha2(concat_ws("|", lit(a.model()), lit(a.promptId()), sha2(col(Slices.FLAIR_PNG), 256),
          col(Tables.PATIENT_ID), col(Tables.PLANE), col(Tables.SLICE_INDEX).cast("string"),
          col(LlmCalls.SAMPLE).cast("string"), lit(a.decoding().canonical())), 256);
      Dataset<Row> forArm = planned.withColumn(LlmCalls.ARM, lit(a.name())).withColumn(LlmCalls.CALL_KEY, key);
      all = all == null ? forArm : all.unionByName(forArm);
    }
    return new CallPlan(all.dropDuplicates(LlmCalls.ARM, LlmCalls.CALL_KEY), chosen, repeat);
  }

  /**
   * The consistency slices: the listed ones (patient/plane/slice_index), or, like the study, one HGG and
   * one LGG slice: for each grade the first patient (by id) and its slice with the most tumour pixels.
   */
  static List<SliceId> consistencySlices(Settings s, Dataset<Row> slices, String plane) {
    List<String> listed = s.getList(ConfigKeys.LLM_CONSISTENCY_SLICES);
    List<SliceId> out = new ArrayList<>();
    if (!listed.isEmpty()) {
      for (String item : listed) {
        String[] p = item.split("/");
        if (p.length != 3 || !p[2].matches("\\d+")) {
          throw new ConfigException(ConfigKeys.LLM_CONSISTENCY_SLICES + ": '" + item + "' is not patient/plane/slice_index");
        }
        List<Row> found = slices.where(col(Tables.PATIENT_ID).equalTo(p[0]).and(col(Tables.PLANE).equalTo(p[1]))
            .and(col(Tables.SLICE_INDEX).equalTo(Integer.parseInt(p[2])))).select(Tables.LABEL).collectAsList();
        if (found.isEmpty()) {
          throw new ConfigException(ConfigKeys.LLM_CONSISTENCY_SLICES + ": no slice " + item + " in the slices table");
        }
        out.add(new SliceId(p[0], SparkTables.intValue(found.get(0), Tables.LABEL), p[1], Integer.parseInt(p[2])));
      }
      return out;
    }
    List<Row> candidates = slices.where(col(Slices.IN_TUMOUR).and(col(Tables.PLANE).equalTo(plane)))
        .select(Tables.PATIENT_ID, Tables.LABEL, Tables.SLICE_INDEX, Slices.TUMOUR_PIXELS).collectAsList();
    for (int label : new int[] {1, 0}) {
      candidates.stream().filter(r -> SparkTables.intValue(r, Tables.LABEL) == label)
          .min(Comparator.<Row, String>comparing(r -> SparkTables.string(r, Tables.PATIENT_ID))
              .thenComparing(r -> -SparkTables.longValue(r, Slices.TUMOUR_PIXELS))
              .thenComparing(r -> SparkTables.intValue(r, Tables.SLICE_INDEX)))
          .ifPresent(r -> out.add(new SliceId(SparkTables.string(r, Tables.PATIENT_ID), label, plane,
              SparkTables.intValue(r, Tables.SLICE_INDEX))));
    }
    return out;
  }
}
