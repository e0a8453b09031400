package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CnnEmbeddings;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.gliomabench.udf.prompt.Shown;

/**
 * Which calls a run makes, and what each shows: every tumour slice of the chosen planes (and cohorts, every k-th
 * with a stride, per arm) once per arm as sample 0, plus, for classify arms, {@code llm.repeat} samples of the
 * consistency slices (locate arms ask each slice once). What an arm shows comes from its {@link ArmInput}: the FLAIR
 * slice, its montage (from the slices table), labelled examples ({@link ExampleChooser}; their images travel to the
 * executors once, {@link #exampleImages()}), or the U-Net's outline and the CNN's score ({@link CnnEvidence}). A
 * patient an arm cannot show is skipped by that arm, with the reason counted ({@link ArmPlan}). Each call gets its
 * key: SHA-256 over model, prompt version, the image's SHA-256, the slice's identity, the sample, the decoding
 * parameters and, where shown, the examples (ids and images) and the stated score; the same call always has the
 * same key, so a rerun can skip it (the study's arms keep the keys they always had).
 */
public final class CallPlan {
  /** Plan column: the image asked about, as the arm shows it. */
  public static final String IMAGE = "image";
  /** Plan columns: the examples' ids (patient_id:plane:slice_index) and labels, in the order shown. */
  public static final String EXAMPLE_IDS = "example_ids";
  public static final String EXAMPLE_LABELS = "example_labels";
  private static final String EXAMPLES_DIGEST = "examples_digest";

  /** A slice chosen for the consistency test. */
  public record SliceId(String patientId, int label, String plane, int sliceIndex) {}

  /** What the plan holds for one arm, printed and written (llm_arm_plans) before any call. */
  public record ArmPlan(ArmSpec arm, ArmInput input, long requests, long images, int patients, int skippedPatients,
      Map<String, Integer> skippedReasons) {}

  private final Dataset<Row> calls;
  private final List<SliceId> consistency;
  private final Map<String, Integer> repeats;
  private final Map<String, byte[]> exampleImages;
  private final LlmArms arms;
  /** Patients with a tumour slice in the chosen planes and cohorts: those an arm may skip. */
  private final Set<String> basePatients;
  /** Per arm: why patients were skipped (reason, patient ids). */
  private final Map<String, Map<String, Set<String>>> reasons;
  private final Inputs inputs;

  private CallPlan(Dataset<Row> calls, List<SliceId> consistency, Map<String, Integer> repeats, Inputs inputs,
      LlmArms arms, Set<String> basePatients, Map<String, Map<String, Set<String>>> reasons) {
    this.calls = calls;
    this.consistency = consistency;
    this.repeats = repeats;
    this.exampleImages = inputs.exampleImages();
    this.inputs = inputs;
    this.arms = arms;
    this.basePatients = basePatients;
    this.reasons = reasons;
  }

  public Dataset<Row> calls() {
    return calls;
  }

  public List<SliceId> consistency() {
    return consistency;
  }

  /** The consistency samples of an arm (0 for locate arms and arms with llm.arm.<name>.repeat=0). */
  public int repeat(String arm) {
    return repeats.getOrDefault(arm, 0);
  }

  /** Frees what the plan cached while it was built; call once its calls are persisted (or no longer needed). */
  public void release() {
    inputs.release();
  }

  /** The few-shot examples' FLAIR images by example id (empty without few-shot arms). */
  public Map<String, byte[]> exampleImages() {
    return exampleImages;
  }

  /** Whether the arm asks a locate-* prompt (where is the tumour) rather than the classify question. */
  public static boolean isLocate(ArmSpec arm) {
    return PromptTemplates.byId(arm.promptId()).kind().isLocate();
  }

  /** @param cnnRun the run whose train-cnn / train-seg tables few-shot-knn and cnn-informed arms read */
  public static CallPlan build(Settings s, Warehouse warehouse, String cnnRun, LlmArms arms) {
    List<String> planes = s.getList(ConfigKeys.LLM_PLANES);
    for (String p : planes) {
      if (!List.of("axial", "coronal", "sagittal").contains(p)) {
        throw new ConfigException(ConfigKeys.LLM_PLANES + ": unknown plane '" + p + "' (axial, coronal, sagittal)");
      }
    }
    Dataset<Row> slices = warehouse.read(Slices.NAME);
    boolean hasMontages = Arrays.asList(slices.columns()).contains(Slices.MONTAGE_PNG);
    Dataset<Row> base = slices.where(col(Slices.IN_TUMOUR)).where(col(Tables.PLANE).isin(planes.toArray()));
    List<String> cohorts = s.getList(ConfigKeys.LLM_COHORTS);
    if (!cohorts.isEmpty()) {
      base = base.where(col(Tables.COHORT).isin(cohorts.toArray()));
    }
    base = base.select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD), col(Tables.PLANE),
        col(Tables.SLICE_INDEX), col(Slices.FLAIR_PNG), col(Slices.WIDTH), col(Slices.HEIGHT),
        hasMontages ? col(Slices.MONTAGE_PNG) : lit(null).cast(DataTypes.BinaryType).as(Slices.MONTAGE_PNG));
    Map<String, ExampleChooser.Patient> patients = patients(slices);
    Set<String> basePatients = new HashSet<>();
    base.select(Tables.PATIENT_ID).distinct().collectAsList().forEach(r -> basePatients.add(r.getString(0)));

    // The consistency repeats belong to the classify question: locate arms ask each slice once (sample 0).
    Map<String, Integer> repeats = new LinkedHashMap<>();
    for (ArmSpec a : arms.arms()) {
      int repeat = s.forArm(ConfigKeys.llmArmPrefix(a.name()), ConfigKeys.LLM).getInt(ConfigKeys.LLM_REPEAT);
      repeats.put(a.name(), isLocate(a) ? 0 : Math.max(0, repeat));
    }
    List<SliceId> chosen = repeats.values().stream().anyMatch(r -> r > 0)
        ? consistencySlices(s, slices, patients, planes.get(0)) : List.of();
    Dataset<Row> idFrame = idFrame(slices.sparkSession(), chosen);

    Inputs inputs = new Inputs(s, warehouse, cnnRun, base, patients);
    Dataset<Row> all = null;
    Map<String, Map<String, Set<String>>> reasons = new LinkedHashMap<>();
    for (ArmSpec a : arms.arms()) {
      ArmInput input = arms.input(a.name());
      Map<String, Set<String>> armReasons = new TreeMap<>();
      reasons.put(a.name(), armReasons);
      Dataset<Row> shown = inputs.rows(a.name(), input, armReasons);
      // llm.slice.stride, or llm.arm.<name>.slice.stride: e.g. a sparser locate arm beside a full classify arm.
      String armStride = ConfigKeys.llmArmKey(a.name(), ConfigKeys.LLM_SLICE_STRIDE);
      int stride = s.forArm(ConfigKeys.llmArmPrefix(a.name()), ConfigKeys.LLM).getInt(ConfigKeys.LLM_SLICE_STRIDE);
      if (stride < 1) {
        throw new ConfigException((s.has(armStride) ? armStride : ConfigKeys.LLM_SLICE_STRIDE) + " must be 1 or more, got " + stride);
      }
      Dataset<Row> planned = (stride > 1 ? shown.where(pmod(col(Tables.SLICE_INDEX), lit(stride)).equalTo(0)) : shown)
          .withColumn(LlmCalls.SAMPLE, lit(0));
      int repeat = repeats.get(a.name());
      if (repeat > 0 && !chosen.isEmpty()) {
        Dataset<Row> samples = slices.sparkSession().range(repeat).select(col("id").cast("int").as(LlmCalls.SAMPLE));
        planned = planned.unionByName(shown.join(idFrame, new String[] {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX},
            "left_semi").crossJoin(samples));
      }
      // concat_ws skips nulls: arms without examples or a stated score keep the keys the study's arms always had.
      Column key = sha2(concat_ws("|", lit(a.model()), lit(a.promptId()), sha2(col(IMAGE), 256),
          col(Tables.PATIENT_ID), col(Tables.PLANE), col(Tables.SLICE_INDEX).cast("string"),
          col(LlmCalls.SAMPLE).cast("string"), lit(a.decoding().canonical()), col(EXAMPLES_DIGEST),
          col(LlmCalls.STATED_P_HGG).cast("string")), 256);
      Dataset<Row> forArm = planned.withColumn(LlmCalls.ARM, lit(a.name())).withColumn(LlmCalls.CALL_KEY, key)
          .drop(EXAMPLES_DIGEST);
      all = all == null ? forArm : all.unionByName(forArm);
    }
    Dataset<Row> calls = all.dropDuplicates(LlmCalls.ARM, LlmCalls.CALL_KEY);
    return new CallPlan(calls, chosen, repeats, inputs, arms, basePatients, reasons);
  }

  /** Each arm's requests, images, patients and skips, counted on {@code persisted} (this plan's calls, cached). */
  public List<ArmPlan> count(Dataset<Row> persisted) {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Set<String>> planned = new HashMap<>();
    for (Row r : persisted.groupBy(LlmCalls.ARM).agg(org.apache.spark.sql.functions.count(lit(1)).as("n"),
        countDistinct(Tables.PATIENT_ID).as("p")).collectAsList()) {
      counts.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    for (Row r : persisted.select(LlmCalls.ARM, Tables.PATIENT_ID).distinct().collectAsList()) {
      planned.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
    }
    List<ArmPlan> out = new ArrayList<>();
    for (ArmSpec a : arms.arms()) {
      ArmInput input = arms.input(a.name());
      long[] c = counts.getOrDefault(a.name(), new long[2]);
      Set<String> with = planned.getOrDefault(a.name(), Set.of());
      int skipped = (int) basePatients.stream().filter(p -> !with.contains(p)).count();
      Map<String, Integer> why = new TreeMap<>();
      reasons.get(a.name()).forEach((reason, ids) -> why.put(reason, ids.size()));
      out.add(new ArmPlan(a, input, c[0], c[0] * input.imagesPerRequest(), (int) c[1], skipped, why));
    }
    return out;
  }

  private static Dataset<Row> idFrame(SparkSession spark, List<SliceId> chosen) {
    List<Row> ids = new ArrayList<>();
    chosen.forEach(c -> ids.add(RowFactory.create(c.patientId(), c.plane(), c.sliceIndex())));
    return spark.createDataFrame(ids, new StructType().add(Tables.PATIENT_ID, "string").add(Tables.PLANE, "string")
        .add(Tables.SLICE_INDEX, "int"));
  }

  /** Every patient of the slices table (id, label, cohort, fold): those who can be asked about or shown. */
  private static Map<String, ExampleChooser.Patient> patients(Dataset<Row> slices) {
    Map<String, ExampleChooser.Patient> out = new LinkedHashMap<>();
    for (Row r : slices.select(Tables.PATIENT_ID, Tables.LABEL, Tables.COHORT, Tables.FOLD).distinct().collectAsList()) {
      String id = SparkTables.string(r, Tables.PATIENT_ID);
      out.put(id, new ExampleChooser.Patient(id, SparkTables.intValue(r, Tables.LABEL), SparkTables.string(r, Tables.COHORT),
          SparkTables.intOrNull(r, Tables.FOLD)));
    }
    return out;
  }

  /**
   * The consistency slices: the listed ones (patient/plane/slice_index), or N per grade (llm.consistency.slices = N),
   * each from another patient: patients drawn in a seeded order (llm.consistency.seed), preferring those with all four
   * modalities (so that every arm can show them), each with its slice of the most tumour pixels on {@code plane}.
   */
  static List<SliceId> consistencySlices(Settings s, Dataset<Row> slices, Map<String, ExampleChooser.Patient> patients,
      String plane) {
    List<String> listed = s.getList(ConfigKeys.LLM_CONSISTENCY_SLICES);
    List<SliceId> out = new ArrayList<>();
    if (listed.size() != 1 || !listed.get(0).matches("\\d+")) {
      for (String item : listed) {
        String[] p = item.split("/");
        if (p.length != 3 || !p[2].matches("\\d+")) {
          throw new ConfigException(ConfigKeys.LLM_CONSISTENCY_SLICES + ": '" + item
              + "' is neither a number of slices per grade nor patient/plane/slice_index");
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
    int perGrade = Integer.parseInt(listed.get(0));
    long seed = s.getLong(ConfigKeys.LLM_CONSISTENCY_SEED);
    Set<String> complete = new HashSet<>();
    // The slice with the most tumour pixels per patient on the plane (ties: the lower index).
    Map<String, Row> best = new TreeMap<>();
    for (Row r : slices.where(col(Slices.IN_TUMOUR).and(col(Tables.PLANE).equalTo(plane)))
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.SLICE_INDEX), col(Slices.TUMOUR_PIXELS),
            Arrays.asList(slices.columns()).contains(Slices.MONTAGE_PNG)
                ? col(Slices.MONTAGE_PNG).isNotNull().as("montage") : lit(false).as("montage"))
        .collectAsList()) {
      String id = SparkTables.string(r, Tables.PATIENT_ID);
      if (r.getBoolean(4)) {
        complete.add(id);
      }
      Row b = best.get(id);
      long px = SparkTables.longValue(r, Slices.TUMOUR_PIXELS);
      int index = SparkTables.intValue(r, Tables.SLICE_INDEX);
      if (b == null || px > SparkTables.longValue(b, Slices.TUMOUR_PIXELS)
          || (px == SparkTables.longValue(b, Slices.TUMOUR_PIXELS) && index < SparkTables.intValue(b, Tables.SLICE_INDEX))) {
        best.put(id, r);
      }
    }
    for (int label : new int[] {1, 0}) {
      List<String> ids = best.entrySet().stream().filter(e -> SparkTables.intValue(e.getValue(), Tables.LABEL) == label)
          .map(Map.Entry::getKey)
          .sorted(Comparator.comparing((String id) -> !complete.contains(id)).thenComparingLong(id -> mix(seed, id))
              .thenComparing(id -> id))
          .limit(perGrade).toList();
      ids.forEach(id -> out.add(new SliceId(id, label, plane, SparkTables.intValue(best.get(id), Tables.SLICE_INDEX))));
    }
    return out;
  }

  private static long mix(long seed, String id) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    return h;
  }

  /** Per arm, the rows it can show, with what it shows; the patients it cannot, with why. */
  private static final class Inputs {
    private final Settings settings;
    private final Warehouse warehouse;
    private final String cnnRun;
    private final Dataset<Row> base;
    private final Map<String, ExampleChooser.Patient> patients;
    private final Map<String, byte[]> exampleImages = new HashMap<>();
    private Dataset<Row> overlays;
    private Map<String, Double> scores;
    private List<Row> exampleSlices;
    private List<Row> asked;
    private ExampleChooser.Embeddings embeddings;
    private Map<String, List<String>> modalities;

    Inputs(Settings settings, Warehouse warehouse, String cnnRun, Dataset<Row> base,
        Map<String, ExampleChooser.Patient> patients) {
      this.settings = settings;
      this.warehouse = warehouse;
      this.cnnRun = cnnRun;
      this.base = base;
      this.patients = patients;
    }

    Map<String, byte[]> exampleImages() {
      return exampleImages;
    }

    void release() {
      if (overlays != null) {
        overlays.unpersist();
      }
    }

    /** The plan columns for the arm: the slice's facts, IMAGE, the examples and the stated score. */
    Dataset<Row> rows(String arm, ArmInput input, Map<String, Set<String>> reasons) {
      Dataset<Row> rows;
      switch (input.shown()) {
        case MONTAGE:
          for (Row r : base.where(col(Slices.MONTAGE_PNG).isNull()).select(Tables.PATIENT_ID).distinct().collectAsList()) {
            reasons.computeIfAbsent(montageMissing(r.getString(0)), k -> new HashSet<>()).add(r.getString(0));
          }
          rows = base.where(col(Slices.MONTAGE_PNG).isNotNull()).withColumn(IMAGE, col(Slices.MONTAGE_PNG));
          return plain(rows);
        case FEW_SHOT:
        case FEW_SHOT_GRID:
          return fewShot(arm, input, reasons);
        case CNN_INFORMED:
          return cnnInformed(arm, reasons);
        default:
          return plain(base.withColumn(IMAGE, col(Slices.FLAIR_PNG)));
      }
    }

    private static Dataset<Row> plain(Dataset<Row> rows) {
      return withoutExamples(rows).withColumn(LlmCalls.STATED_P_HGG, lit(null).cast(DataTypes.DoubleType))
          .drop(Slices.FLAIR_PNG, Slices.MONTAGE_PNG);
    }

    /** Why a patient's tumour slices have no montage. */
    private String montageMissing(String patientId) {
      if (modalities == null) {
        modalities = new HashMap<>();
        if (warehouse.exists(Patients.NAME)) {
          for (Row r : warehouse.read(Patients.NAME).select(Tables.PATIENT_ID, Patients.MODALITIES).collectAsList()) {
            modalities.put(SparkTables.string(r, Tables.PATIENT_ID), SparkTables.list(r, Patients.MODALITIES));
          }
        }
      }
      List<String> have = modalities.get(patientId);
      if (have != null) {
        List<String> missing = new ArrayList<>(List.of("t1", "t1ce", "t2", "flair"));
        missing.removeAll(have);
        if (!missing.isEmpty()) {
          return "missing modalities " + String.join(", ", missing);
        }
      }
      return "no montage in the slices table (ingested with ingest.montage=false or by an older version: rerun ingest)";
    }

    private Dataset<Row> fewShot(String arm, ArmInput input, Map<String, Set<String>> reasons) {
      if (exampleSlices == null) {
        // Each cv patient's example slice per plane: its slice with the most tumour pixels (ties: the lower index).
        Map<String, Row> best = new TreeMap<>();
        for (Row r : warehouse.read(Slices.NAME).where(col(Slices.IN_TUMOUR).and(col(Tables.COHORT).equalTo(Tables.COHORT_CV)))
            .select(Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX, Slices.TUMOUR_PIXELS).collectAsList()) {
          String k = SparkTables.string(r, Tables.PATIENT_ID) + "|" + SparkTables.string(r, Tables.PLANE);
          Row b = best.get(k);
          long px = SparkTables.longValue(r, Slices.TUMOUR_PIXELS);
          if (b == null || px > SparkTables.longValue(b, Slices.TUMOUR_PIXELS) || (px == SparkTables.longValue(b, Slices.TUMOUR_PIXELS)
              && SparkTables.intValue(r, Tables.SLICE_INDEX) < SparkTables.intValue(b, Tables.SLICE_INDEX))) {
            best.put(k, r);
          }
        }
        exampleSlices = new ArrayList<>(best.values());
        asked = base.select(Tables.PATIENT_ID, Tables.PLANE).distinct().collectAsList();
      }
      if (ArmInput.KNN.equals(input.selection()) && embeddings == null) {
        embeddings = embeddings(arm);
      }
      Map<String, Map<String, Integer>> slicesByPlane = new HashMap<>(); // plane -> patient -> slice index
      for (Row r : exampleSlices) {
        slicesByPlane.computeIfAbsent(SparkTables.string(r, Tables.PLANE), k -> new HashMap<>())
            .put(SparkTables.string(r, Tables.PATIENT_ID), SparkTables.intValue(r, Tables.SLICE_INDEX));
      }
      ExampleChooser chooser = new ExampleChooser(new ArrayList<>(patients.values()), settings.getLong(ConfigKeys.LLM_FEWSHOT_SEED));
      List<Row> choices = new ArrayList<>();
      Map<String, List<String>> idsByChoice = new HashMap<>();
      for (Row r : asked) {
        String id = r.getString(0);
        String plane = r.getString(1);
        ExampleChooser.Patient p = patients.get(id);
        Map<String, Integer> withSlice = slicesByPlane.getOrDefault(plane, Map.of());
        ExampleChooser.Choice c = p == null ? ExampleChooser.Choice.skip("not in the patients table")
            : ArmInput.KNN.equals(input.selection()) ? chooser.nearest(p, plane, input.examples(), withSlice.keySet(), embeddings)
            : chooser.random(p, plane, input.examples(), withSlice.keySet());
        if (c.skipped() != null) {
          reasons.computeIfAbsent(c.skipped(), k -> new HashSet<>()).add(id);
          continue;
        }
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (ExampleChooser.Patient e : c.examples()) {
          ids.add(e.id() + ":" + plane + ":" + withSlice.get(e.id()));
          labels.add(e.label());
        }
        idsByChoice.put(id + "|" + plane, ids);
        choices.add(RowFactory.create(id, plane, ids.toArray(new String[0]), labels.toArray(new Integer[0])));
      }
      fetchImages(idsByChoice.values().stream().flatMap(List::stream).filter(i -> !exampleImages.containsKey(i)).toList());
      List<Row> withDigest = new ArrayList<>();
      for (Row c : choices) {
        withDigest.add(RowFactory.create(c.get(0), c.get(1), c.get(2), c.get(3), digest(List.of((String[]) c.get(2)))));
      }
      StructType schema = new StructType().add(Tables.PATIENT_ID, DataTypes.StringType).add(Tables.PLANE, DataTypes.StringType)
          .add(EXAMPLE_IDS, DataTypes.createArrayType(DataTypes.StringType))
          .add(EXAMPLE_LABELS, DataTypes.createArrayType(DataTypes.IntegerType)).add(EXAMPLES_DIGEST, DataTypes.StringType);
      Dataset<Row> frame = warehouse.spark().createDataFrame(withDigest, schema);
      return base.join(frame, new String[] {Tables.PATIENT_ID, Tables.PLANE})
          .withColumn(IMAGE, col(Slices.FLAIR_PNG)).withColumn(LlmCalls.STATED_P_HGG, lit(null).cast(DataTypes.DoubleType))
          .drop(Slices.FLAIR_PNG, Slices.MONTAGE_PNG);
    }

    /** The examples' FLAIR PNGs, fetched once to the driver (each cv patient's one slice per plane at most). */
    private void fetchImages(List<String> ids) {
      if (ids.isEmpty()) {
        return;
      }
      List<Row> keys = new ArrayList<>();
      for (String id : new HashSet<>(ids)) {
        String[] p = id.split(":");
        keys.add(RowFactory.create(p[0], p[1], Integer.parseInt(p[2])));
      }
      Dataset<Row> keyFrame = warehouse.spark().createDataFrame(keys, new StructType().add(Tables.PATIENT_ID, "string")
          .add(Tables.PLANE, "string").add(Tables.SLICE_INDEX, "int"));
      for (Row r : warehouse.read(Slices.NAME).join(keyFrame, new String[] {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX})
          .select(Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX, Slices.FLAIR_PNG).collectAsList()) {
        exampleImages.put(r.getString(0) + ":" + r.getString(1) + ":" + r.getInt(2), SparkTables.bytes(r, Slices.FLAIR_PNG));
      }
    }

    /** SHA-256 over the examples' ids and images, in order: a new draw or a new image is a new call. */
    private String digest(List<String> ids) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String id : ids) {
          md.update(id.getBytes(StandardCharsets.UTF_8));
          md.update(MessageDigest.getInstance("SHA-256").digest(exampleImages.get(id)));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private ExampleChooser.Embeddings embeddings(String arm) {
      Map<Integer, Map<String, double[]>> byFold = new HashMap<>();
      if (warehouse.exists(CnnEmbeddings.NAME)) {
        for (Row r : warehouse.read(CnnEmbeddings.NAME).where(col(Tables.RUN_ID).equalTo(cnnRun))
            .select(Tables.FOLD, Tables.PATIENT_ID, CnnEmbeddings.EMBEDDING).collectAsList()) {
          List<Double> e = SparkTables.list(r, CnnEmbeddings.EMBEDDING);
          byFold.computeIfAbsent(SparkTables.intValue(r, Tables.FOLD), k -> new HashMap<>())
              .put(SparkTables.string(r, Tables.PATIENT_ID), e.stream().mapToDouble(Double::doubleValue).toArray());
        }
      }
      if (byFold.isEmpty()) {
        throw new IllegalStateException("arm " + arm + " chooses its examples by the CNN's embeddings, and run " + cnnRun
            + " has no " + CnnEmbeddings.NAME + " rows: run train-cnn with --run-id " + cnnRun + " first (or set "
            + ConfigKeys.LLM_CNN_RUN + " to a run that has them)");
      }
      return new ExampleChooser.Embeddings() {
        @Override
        public double[] of(int fold, String patientId) {
          Map<String, double[]> m = byFold.get(fold);
          return m == null ? null : m.get(patientId);
        }

        @Override
        public Set<Integer> folds() {
          return byFold.keySet();
        }
      };
    }

    private Dataset<Row> cnnInformed(String arm, Map<String, Set<String>> reasons) {
      Map<String, Integer> foldOf = new HashMap<>();
      patients.values().forEach(p -> foldOf.put(p.id(), p.cv() ? p.fold() : null));
      if (scores == null) {
        scores = CnnEvidence.scores(warehouse, cnnRun, foldOf);
        if (scores.isEmpty() || !CnnEvidence.hasMasks(warehouse, cnnRun)) {
          throw new IllegalStateException("arm " + arm + " shows the CNN's P(HGG) and the U-Net's outline of run " + cnnRun
              + ", which has " + (scores.isEmpty() ? "no train-cnn predictions" : "no train-seg masks (seg_masks)")
              + ": run train-cnn and train-seg with --run-id " + cnnRun + " first (or set " + ConfigKeys.LLM_CNN_RUN + ")");
        }
        // Drawn once: read for the skip count here, then for the plan the job persists (release() frees them).
        overlays = CnnEvidence.overlays(warehouse, cnnRun, base.select(Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX,
            Slices.FLAIR_PNG), foldOf).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      }
      List<Row> scoreRows = new ArrayList<>();
      scores.forEach((id, p) -> scoreRows.add(RowFactory.create(id, p)));
      Dataset<Row> scoreFrame = warehouse.spark().createDataFrame(scoreRows, new StructType()
          .add(Tables.PATIENT_ID, DataTypes.StringType).add(LlmCalls.STATED_P_HGG, DataTypes.DoubleType));
      Dataset<Row> rows = base.drop(Slices.FLAIR_PNG, Slices.MONTAGE_PNG)
          .join(overlays, new String[] {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX})
          .join(scoreFrame, Tables.PATIENT_ID);
      Set<String> shown = new HashSet<>();
      rows.select(Tables.PATIENT_ID).distinct().collectAsList().forEach(r -> shown.add(r.getString(0)));
      for (Row r : base.select(Tables.PATIENT_ID).distinct().collectAsList()) {
        String id = r.getString(0);
        if (!shown.contains(id)) {
          reasons.computeIfAbsent(scores.containsKey(id) ? "no U-Net outline of the patient in run " + cnnRun
              : "no CNN score of the patient in run " + cnnRun + " (not CNN-usable, or not scored)", k -> new HashSet<>()).add(id);
        }
      }
      return withoutExamples(rows);
    }
  }

  /** The plan's example columns, empty: for arms that show no examples. */
  private static Dataset<Row> withoutExamples(Dataset<Row> rows) {
    return rows.withColumn(EXAMPLE_IDS, array().cast(DataTypes.createArrayType(DataTypes.StringType)))
        .withColumn(EXAMPLE_LABELS, array().cast(DataTypes.createArrayType(DataTypes.IntegerType)))
        .withColumn(EXAMPLES_DIGEST, lit(null).cast(DataTypes.StringType));
  }

  /**
   * Rows of slices with their facts and flair_png (and a call key, arm and sample) as calls that show the FLAIR slice
   * alone, in the plan's columns (the LLM benchmark's calls).
   */
  public static Dataset<Row> showingTheSliceAlone(Dataset<Row> rows) {
    return withoutExamples(rows).drop(EXAMPLES_DIGEST).withColumn(IMAGE, col(Slices.FLAIR_PNG))
        .withColumn(LlmCalls.STATED_P_HGG, lit(null).cast(DataTypes.DoubleType));
  }
}
