package org.gliomabench.core.config;

/**
 * Every configuration key, in one place. Defaults live in {@code conf/glioma-bench.properties} (also packed
 * in the jobs jar); a {@code --conf} file overrides them and {@code --set key=value} overrides both. Keys that
 * start with {@code spark.} are handed to the SparkSession as they are.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  // ---- every stage ------------------------------------------------------------------------------
  /** Root of the Parquet warehouse; table T lives at {@code <warehouse>/T/}. Any Hadoop URI. */
  public static final String WAREHOUSE = "warehouse.dir";
  /** The run id; empty means a new one. The same id resumes. */
  public static final String RUN_ID = "run.id";
  /** Spark SQL database the result tables are registered in. */
  public static final String DATABASE = "warehouse.database";
  /** Master used when the job is not started by spark-submit (local runs). */
  public static final String SPARK_MASTER = "spark.master";
  /** Base seed; stages derive their own seeds from it unless given one. */
  public static final String SEED = "study.seed";

  // ---- synth --------------------------------------------------------------------------------------
  public static final String SYNTH_DIR = "synth.dir";
  public static final String SYNTH_PATIENTS = "synth.patients";
  public static final String SYNTH_LGG_FRACTION = "synth.lgg.fraction";
  /** Volume shape x,y,z in voxels. */
  public static final String SYNTH_SHAPE = "synth.shape";
  public static final String SYNTH_SEED = "synth.seed";

  // ---- ingest -------------------------------------------------------------------------------------
  /** The BraTS folder (patient folders beneath it, name_mapping.csv beside them). */
  public static final String DATA_DIR = "data.dir";
  /** Optional CSV of grades (columns patient id + grade) that replaces name_mapping.csv. */
  public static final String DATA_LABELS = "data.labels";
  /** Stop at the first rejected patient instead of recording it and going on. */
  public static final String INGEST_STRICT = "ingest.strict";
  /** Crop extent around the tumour centre in voxels, x,y,z (RAS axes). */
  public static final String INGEST_CROP_EXTENT = "ingest.crop.extent";
  /** The CNN input shape D,H,W (axial slices, rows, columns); channels are always the 4 modalities. */
  public static final String INGEST_VOLUME_SHAPE = "ingest.volume.shape";
  /** Planes rendered into the slices table. */
  public static final String INGEST_PLANES = "ingest.slices.planes";
  /** Which slices are rendered: all, brain (containing brain voxels) or tumour. */
  public static final String INGEST_SLICE_SCOPE = "ingest.slices.scope";
  /** Lower and upper brain-intensity percentiles of the PNG window. */
  public static final String INGEST_WINDOW_LOW = "ingest.window.low.percentile";
  public static final String INGEST_WINDOW_HIGH = "ingest.window.high.percentile";
  /** Patients per Spark partition when reading volumes on executors. */
  public static final String INGEST_PATIENTS_PER_PARTITION = "ingest.patients.per.partition";

  // ---- cohort splits ------------------------------------------------------------------------------
  public static final String SPLIT_TEST_FRACTION = "split.test.fraction";
  public static final String SPLIT_FOLDS = "split.folds";
  public static final String SPLIT_SEED = "split.seed";

  // ---- train-cnn ----------------------------------------------------------------------------------



  // ---- llm-slices ---------------------------------------------------------------------------------



  // ---- aggregate / report -------------------------------------------------------------------------
  /** Bootstrap resamples per metric interval (patients resampled with replacement). */
  public static final String AGGREGATE_BOOTSTRAP_RESAMPLES = "aggregate.bootstrap.resamples";
  /** Confidence level of the bootstrap intervals. */
  public static final String AGGREGATE_BOOTSTRAP_LEVEL = "aggregate.bootstrap.level";
  public static final String AGGREGATE_BOOTSTRAP_SEED = "aggregate.bootstrap.seed";
  /** Winner-takes-all tie order among the buckets lgg, hgg, none, unparseable (first wins a tie). */
  public static final String AGGREGATE_VOTE_TIE_ORDER = "aggregate.vote.tie.order";
  /** The LLM arms' score for AUC: gldr, mean_p_hgg, or auto (mean_p_hgg where every patient has it). */
  public static final String AGGREGATE_LLM_SCORE = "aggregate.llm.score";
  /** Chart size in pixels, width,height. */
  public static final String REPORT_CHART_SIZE = "report.chart.size";



  /** Keys whose values must never be printed (API keys are read from the environment, but be safe). */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase();
    return k.contains("secret") || k.contains("password") || k.contains("token")
        || (k.contains("key") && !k.endsWith("-env") && !k.endsWith(".env"));
  }
}
