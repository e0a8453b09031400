package org.gliomabench.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every configuration key, in one place. Defaults live in {@code conf/glioma-bench.properties} (also packed
 * in the jobs jar, always loaded) and nowhere else: code reads a key without a fallback. A key without a default
 * there says why with {@link NoDefault}. A {@code --conf} file overrides the defaults and {@code --set key=value}
 * overrides both. Keys that start with {@code spark.} are handed to the SparkSession as they are.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** A key that conf/glioma-bench.properties gives no default, and why (checked by the jobs' ConfigKeysTest). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface NoDefault {
    String value();
  }

  /** A constant here that is not a key: an arm name or a key prefix. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface NotAKey {}

  // ---- every stage ------------------------------------------------------------------------------
  /** Root of the Parquet warehouse; table T lives at {@code <warehouse>/T/}. Any Hadoop URI. */
  public static final String WAREHOUSE = "warehouse.dir";
  /** The run id; empty means a new one. The same id resumes. */
  @NoDefault("a new run id unless one is given (--run-id)")
  public static final String RUN_ID = "run.id";
  /** Spark SQL database the result tables are registered in. */
  public static final String DATABASE = "warehouse.database";
  /**
   * Where the catalog of {@link #DATABASE} lives. {@code warehouse}: an embedded Hive metastore (Derby) under
   * {@code <warehouse>/_catalog/}, so that any later Spark session given the warehouse sees the tables; a
   * catalog implementation or metastore URI in Spark's own settings (a cluster's spark-defaults.conf,
   * hive-site.xml, --conf) wins, and a warehouse on a remote file system without one falls back to
   * {@code session}. {@code spark}: Spark's own settings only. {@code session}: Spark's in-memory catalog,
   * gone when the process ends (sql and sql-server register the warehouse's tables at start).
   */
  public static final String CATALOG = "warehouse.catalog";
  /** Master used when the job is not started by spark-submit (local runs). */
  public static final String SPARK_MASTER = "spark.master";
  /**
   * Seconds a writer waits for another's commit ({@code <warehouse>/_lock}, held for the seconds a commit takes)
   * before it gives up (exit status 5).
   */
  public static final String WAREHOUSE_LOCK_WAIT = "warehouse.lock.wait.seconds";
  /**
   * Seconds without a heartbeat after which the commit lock or a claim of a writer on another host counts as dead
   * and is taken over; one whose writer ran on this host is taken over as soon as its process is gone.
   */
  public static final String WAREHOUSE_LOCK_STALE = "warehouse.lock.stale.seconds";
  /**
   * On a cluster: seconds that work may wait with no task running (no executor can be had, or none can take a
   * task) before the job is stopped with a message naming what it asked for. 0 waits forever, as Spark does.
   */
  public static final String CLUSTER_EXECUTORS_WAIT = "cluster.executors.wait.seconds";
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
  @NoDefault("the user's data (--data); study without it makes the synthetic cohort")
  public static final String DATA_DIR = "data.dir";
  /** Optional CSV of grades (columns patient id + grade) that replaces name_mapping.csv. */
  @NoDefault("optional: name_mapping.csv or the HGG/LGG folders give the grades without it")
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
  /**
   * Render the four-modality montage (T1, T1CE, T2, FLAIR tiles) of every tumour slice into {@code slices.montage_png},
   * what the montage LLM arm is shown (patients without all four modalities get none).
   */
  public static final String INGEST_MONTAGE = "ingest.montage";
  /** Patients per Spark partition when reading volumes on executors. */
  public static final String INGEST_PATIENTS_PER_PARTITION = "ingest.patients.per.partition";

  // ---- cohort splits ------------------------------------------------------------------------------
  public static final String SPLIT_TEST_FRACTION = "split.test.fraction";
  public static final String SPLIT_FOLDS = "split.folds";
  public static final String SPLIT_SEED = "split.seed";

  // ---- training: train-cnn and train-seg -------------------------------------------------------------
  // The arms read these through the same chain: the arm's own key (cnn.X, seg.X, multitask.X) when set, else
  // train.X, whose default is in conf/glioma-bench.properties (Settings.forArm). The arms' values for epochs, batch
  // size, learning rate, checkpoints and averaging frequency differ, so those defaults are written per arm.
  /** Why a train.X key has no default of its own: the arms' values differ, so the defaults are the arms' keys. */
  private static final String PER_ARM_DEFAULT = "the arms' defaults differ: cnn.X, seg.X and multitask.X hold them";
  /** Why an arm's key has no default: it overrides train.X, whose default applies when it is unset. */
  private static final String SHARED_DEFAULT = "an arm's override of train.X, whose default applies when it is unset";
  /** The shared prefix of the training keys. */
  @NotAKey
  public static final String TRAIN = "train.";
  /** Folds to train: "all" (every fold present in volumes) or a comma list such as "0,3". */
  public static final String TRAIN_FOLDS = "train.folds";
  /**
   * Folds one invocation trains at the same time, each on workers of its own (their executors, where there are
   * enough): 0 as many as the memory plan's workers allow (at least one worker per fold), 1 one after another,
   * each with every worker.
   */
  public static final String TRAIN_PARALLEL_FOLDS = "train.parallel.folds";
  @NoDefault(PER_ARM_DEFAULT)
  public static final String TRAIN_EPOCHS = "train.epochs";
  /** Examples per minibatch per worker (the U-Net: volumes in 3d, axial slices in 2d). */
  @NoDefault(PER_ARM_DEFAULT)
  public static final String TRAIN_BATCH_SIZE = "train.batch.size";
  /** Adam learning rate. */
  @NoDefault(PER_ARM_DEFAULT)
  public static final String TRAIN_LEARNING_RATE = "train.learning.rate";
  /** Seed of weights, batch order and Spark splits; empty means study.seed. */
  public static final String TRAIN_SEED = "train.seed";
  /** Checkpoint (model + updater) every N epochs; the last epoch is always checkpointed. */
  @NoDefault(PER_ARM_DEFAULT)
  public static final String TRAIN_CHECKPOINT_EVERY = "train.checkpoint.every";
  /** Where checkpoints go; empty means {@code <warehouse>/_checkpoints/<arm>}. Any Hadoop URI. */
  public static final String TRAIN_CHECKPOINT_DIR = "train.checkpoint.dir";
  /** Epochs this invocation may train (0: no limit); a rerun with the same run id goes on from there. */
  public static final String TRAIN_EPOCH_BUDGET = "train.epoch.budget";
  /** Distributed training: "averaging" (parameter averaging) or "sharing" (DL4J's SharedTrainingMaster; CNN only). */
  public static final String TRAIN_MASTER = "train.training.master";
  /** Parameter averaging: minibatches each worker fits between two averagings. */
  @NoDefault(PER_ARM_DEFAULT)
  public static final String TRAIN_AVERAGING_FREQUENCY = "train.averaging.frequency";
  /** DL4J training workers; empty means one per Spark task slot (cores / spark.task.cpus; one per GPU). */
  public static final String TRAIN_WORKERS = "train.workers";
  /** Minibatches each worker prefetches asynchronously (0: none). */
  public static final String TRAIN_WORKER_PREFETCH = "train.worker.prefetch";
  /** OpenMP threads per DL4J worker; empty means the cores a worker's task slot has (cores / workers). */
  public static final String TRAIN_WORKER_THREADS = "train.worker.threads";
  /**
   * Where the training copy of the volumes table goes (each patient's tensor and mask as files, read an example at
   * a time by the workers); empty means {@code <warehouse>/_train/tensors}. Any Hadoop URI the executors share.
   */
  public static final String TRAIN_TENSOR_DIR = "train.tensor.dir";
  /**
   * How parameter averaging ships the network's parameters and Adam state to the workers and back: files (through
   * files beside the training copy, so Spark's heap never holds them) or spark (inside Spark's broadcast and task
   * results).
   */
  public static final String TRAIN_EXCHANGE = "train.exchange";

  // ---- train-cnn: the CNN arm's own keys (cnn.X also overrides train.X, see above) -------------------------
  @NotAKey
  public static final String CNN = "cnn";
  @NoDefault(SHARED_DEFAULT)
  public static final String CNN_FOLDS = "cnn.folds";
  public static final String CNN_EPOCHS = "cnn.epochs";
  public static final String CNN_BATCH_SIZE = "cnn.batch.size";
  public static final String CNN_LEARNING_RATE = "cnn.learning.rate";
  public static final String CNN_CHECKPOINT_EVERY = "cnn.checkpoint.every";
  @NoDefault(SHARED_DEFAULT)
  public static final String CNN_EPOCH_BUDGET = "cnn.epoch.budget";
  @NoDefault(SHARED_DEFAULT)
  public static final String CNN_TRAINING_MASTER = "cnn.training.master";
  public static final String CNN_AVERAGING_FREQUENCY = "cnn.averaging.frequency";
  /** Memory layout of the CNN's 3D activations: ndhwc (default, faster with oneDNN on CPU) or ncdhw. */
  public static final String CNN_LAYOUT = "cnn.layout";
  /** Which epoch's model a fold keeps: val_loss (lowest) or val_auc (highest). */
  public static final String CNN_BEST_METRIC = "cnn.best.metric";
  /** Decision threshold on P(HGG): a number, or "youden" (chosen on the fold's validation part). */
  public static final String CNN_THRESHOLD = "cnn.threshold";
  /** Also score the training part after each epoch (train loss/accuracy/AUC in cnn_history). */
  public static final String CNN_TRAIN_METRICS = "cnn.train.metrics";
  /**
   * Write cnn_embeddings: each fold's kept model embeds every cv patient (those it trained on included) and the test
   * cohort, the dense layer's activations that few-shot-knn LLM arms choose their examples by. Costs one forward
   * pass per patient and fold.
   */
  public static final String CNN_EMBEDDINGS = "cnn.embeddings";
  /** Gradient sharing: initial encoding threshold, UDP port, controller (driver) address, network mask. */
  public static final String CNN_SHARING_THRESHOLD = "cnn.sharing.threshold";
  public static final String CNN_SHARING_PORT = "cnn.sharing.port";
  public static final String CNN_SHARING_CONTROLLER = "cnn.sharing.controller";
  public static final String CNN_SHARING_NETWORK_MASK = "cnn.sharing.network.mask";
  /** bench cnn: the shape C,D,H,W and batch of the step-time comparison, steps timed, python for PyTorch. */
  public static final String BENCH_CNN_SHAPE = "bench.cnn.shape";
  public static final String BENCH_CNN_BATCH = "bench.cnn.batch";
  public static final String BENCH_CNN_STEPS = "bench.cnn.steps";
  public static final String BENCH_CNN_SPARK_SHAPE = "bench.cnn.spark.shape";
  public static final String BENCH_CNN_SPARK_EXAMPLES = "bench.cnn.spark.examples";
  public static final String BENCH_CNN_PYTHON = "bench.cnn.python";
  /** bench cnn: batch of the peak-memory step at the study's shape; whether to time the plain ND4J build too. */
  public static final String BENCH_CNN_MEMORY_BATCH = "bench.cnn.memory.batch";
  public static final String BENCH_CNN_PLAIN = "bench.cnn.plain";
  /**
   * bench cnn and bench seg: also time torch.compile of PyTorch's faster eager layout, and the cap in seconds on
   * that side's start, compilation and warm-up (past it the side is stopped and its row says so).
   */
  public static final String BENCH_TORCH_COMPILE = "bench.torch.compile";
  public static final String BENCH_TORCH_COMPILE_TIMEOUT_S = "bench.torch.compile.timeout.s";



  // ---- train-seg: the U-Net arm's own keys (seg.X also overrides train.X) --------------------------------
  @NotAKey
  public static final String SEG = "seg";
  @NoDefault(SHARED_DEFAULT)
  public static final String SEG_FOLDS = "seg.folds";
  public static final String SEG_EPOCHS = "seg.epochs";
  public static final String SEG_BATCH_SIZE = "seg.batch.size";
  public static final String SEG_LEARNING_RATE = "seg.learning.rate";
  public static final String SEG_CHECKPOINT_EVERY = "seg.checkpoint.every";
  @NoDefault(SHARED_DEFAULT)
  public static final String SEG_EPOCH_BUDGET = "seg.epoch.budget";
  public static final String SEG_AVERAGING_FREQUENCY = "seg.averaging.frequency";
  /** "3d" (the U-Net on whole volumes) or "2d" (the same topology on the volumes' axial slices). */
  public static final String SEG_DIMENSIONS = "seg.dimensions";
  /** "dice_bce" (soft Dice + binary cross-entropy) or "dice" (soft Dice alone). */
  public static final String SEG_LOSS = "seg.loss";
  /** Filters of the first U-Net level; doubled per level down. */
  public static final String SEG_BASE_FILTERS = "seg.base.filters";
  /** 2x down levels of the U-Net; D, H, W are zero-padded up to a multiple of 2^levels. */
  public static final String SEG_LEVELS = "seg.levels";
  /** Memory layout of the 3D U-Net's activations: ndhwc (default, faster with oneDNN on CPU) or ncdhw. */
  public static final String SEG_LAYOUT = "seg.layout";

  // ---- train-multitask: the U-Net with a grade head (multitask.X also overrides train.X) -----------------
  @NotAKey
  public static final String MULTITASK = "multitask";
  @NoDefault(SHARED_DEFAULT)
  public static final String MULTITASK_FOLDS = "multitask.folds";
  public static final String MULTITASK_EPOCHS = "multitask.epochs";
  /** Examples per minibatch per worker: volumes in 3d (at least 2: half HGG, half LGG), axial slices in 2d. */
  public static final String MULTITASK_BATCH_SIZE = "multitask.batch.size";
  public static final String MULTITASK_LEARNING_RATE = "multitask.learning.rate";
  public static final String MULTITASK_CHECKPOINT_EVERY = "multitask.checkpoint.every";
  @NoDefault(SHARED_DEFAULT)
  public static final String MULTITASK_EPOCH_BUDGET = "multitask.epoch.budget";
  public static final String MULTITASK_AVERAGING_FREQUENCY = "multitask.averaging.frequency";
  /** The weight of the grade's binary cross-entropy beside the segmentation loss. */
  public static final String MULTITASK_GRADE_WEIGHT = "multitask.grade.weight";
  /** Which epoch's model a fold keeps: val_loss (lowest joint loss), val_auc or val_dice_wt (highest). */
  public static final String MULTITASK_BEST_METRIC = "multitask.best.metric";
  /** Decision threshold on P(HGG): a number, or "youden" (chosen on the fold's validation part). */
  public static final String MULTITASK_THRESHOLD = "multitask.threshold";
  /** Why the U-Net's own keys have no multitask default: both arms train the same U-Net unless told otherwise. */
  private static final String SEG_DEFAULT = "the U-Net's shape follows seg.X unless multitask.X is set";
  /** The U-Net of the multi-task arm: multitask.X over seg.X (dimensions, loss, base filters, levels). */
  @NoDefault(SEG_DEFAULT)
  public static final String MULTITASK_DIMENSIONS = "multitask.dimensions";
  @NoDefault(SEG_DEFAULT)
  public static final String MULTITASK_LOSS = "multitask.loss";
  @NoDefault(SEG_DEFAULT)
  public static final String MULTITASK_BASE_FILTERS = "multitask.base.filters";
  @NoDefault(SEG_DEFAULT)
  public static final String MULTITASK_LEVELS = "multitask.levels";

  // ---- llm-slices ---------------------------------------------------------------------------------
  // Per-arm keys: every llm.X below may be given per arm as llm.arm.<name>.X (see llmArmKey); an arm reads them
  // through Settings.forArm(llmArmPrefix(name), LLM), the chain the training arms use too.
  /** The shared prefix of the LLM keys. */
  @NotAKey
  public static final String LLM = "llm.";
  /** OpenAI-compatible base URL (e.g. http://127.0.0.1:8000/v1); empty starts the SIMULATED server on loopback. */
  public static final String LLM_ENDPOINT = "llm.endpoint";
  /** Model name sent to the server; against the simulated server it is prefixed "simulated-". */
  public static final String LLM_MODEL = "llm.model";
  /** Name of the arm that --endpoint/--model describe (when llm.arms is empty). */
  public static final String LLM_ARM = "llm.arm";
  /** Several arms in one run: comma-separated names, each configured with llm.arm.<name>.* keys. */
  public static final String LLM_ARMS = "llm.arms";
  /** Name of the environment variable that holds the API key (the key itself is never a setting). */
  @NoDefault("optional: servers on loopback usually need no key")
  public static final String LLM_API_KEY_ENV = "llm.api-key-env";
  /**
   * Prompt template id: classify-v1 (the study's prompt), classify-montage-v1, classify-fewshot-v1,
   * classify-fewshot-grid-v1, classify-cnn-informed-v1, locate-centre-v1, locate-box-v1, locate-polygon-v1. The prompt
   * decides what each request shows (udf.prompt.Shown). Without llm.arm.<name>.prompt an arm named montage,
   * few-shot-K, few-shot-knn-K or cnn-informed gets the prompt its name says; any other arm llm.prompt.
   */
  public static final String LLM_PROMPT = "llm.prompt";
  public static final String LLM_TEMPERATURE = "llm.temperature";
  public static final String LLM_MAX_TOKENS = "llm.max.tokens";
  /** Base seed sent to the server (sample s sends seed + s); empty sends none. */
  public static final String LLM_SEED = "llm.seed";
  /**
   * The server's kind: auto (asked at /v1/models and /health), vllm, ollama, llamacpp, transformers or openai. It
   * decides whether logprobs are asked for, which constrained decoding is allowed and in which request field, and
   * how the model name is checked before the calls (README: "LLM servers").
   */
  public static final String LLM_SERVER = "llm.server";
  /** Ask for token logprobs (vLLM, Ollama, llama.cpp return them) to record P(HGG). */
  public static final String LLM_LOGPROBS = "llm.logprobs";
  public static final String LLM_TOP_LOGPROBS = "llm.top.logprobs";
  /**
   * Constrained answers: none, guided-regex (vLLM guided_regex; llama.cpp as a GBNF grammar) or json-schema
   * (response_format: vLLM, Ollama, llama.cpp, OpenAI); refused where the arm's llm.server kind lacks it.
   */
  public static final String LLM_CONSTRAINED = "llm.constrained";
  /** Planes whose tumour slices are sent. */
  public static final String LLM_PLANES = "llm.planes";
  /** Cohorts whose slices are sent (test, cv); empty means all. */
  public static final String LLM_COHORTS = "llm.cohorts";
  /** Send every k-th tumour slice of a plane (1 = all, as the study did); per arm as llm.arm.<name>.slice.stride. */
  public static final String LLM_SLICE_STRIDE = "llm.slice.stride";
  /**
   * Consistency test: samples per chosen slice (the study: 95) for classify arms (locate arms ask once); 0 skips the
   * test; per arm as llm.arm.<name>.repeat.
   */
  public static final String LLM_REPEAT = "llm.repeat";
  /**
   * Consistency slices: a number N picks N slices per grade, each from another patient (seeded by
   * llm.consistency.seed; each patient's slice with the most tumour, on the first of llm.planes), or a
   * comma-separated list of patient/plane/slice_index. The study asked one of each grade.
   */
  public static final String LLM_CONSISTENCY_SLICES = "llm.consistency.slices";
  /** Seed of the consistency slices' draw. */
  public static final String LLM_CONSISTENCY_SEED = "llm.consistency.seed";
  /**
   * Few-shot arms: labelled examples per request, half HGG and half LGG (even, at least 2). An arm's own
   * llm.arm.<name>.fewshot.k wins, then the K of an arm named few-shot-K or few-shot-knn-K, then this.
   */
  public static final String LLM_FEWSHOT_K = "llm.fewshot.k";
  /**
   * Few-shot arms: how examples are chosen from the cv cohort (never a test patient, the patient asked about or a
   * patient of its fold): random (seeded) or knn (nearest by the CNN's embeddings, cnn_embeddings). An arm's own
   * setting wins, then knn for an arm named few-shot-knn-K, then this.
   */
  public static final String LLM_FEWSHOT_SELECTION = "llm.fewshot.selection";
  /**
   * Few-shot arms: images (each example its own image, for servers that take several per request) or grid (the
   * examples and the slice as tiles of one image, for servers trained on one image, e.g. Llama 3.2 Vision).
   */
  public static final String LLM_FEWSHOT_LAYOUT = "llm.fewshot.layout";
  /** Few-shot arms: seed of the random examples drawn per patient and plane. */
  public static final String LLM_FEWSHOT_SEED = "llm.fewshot.seed";
  /**
   * The run whose train-cnn and train-seg tables (predictions, cnn_embeddings, seg_masks) the few-shot-knn and
   * cnn-informed arms read; empty: this run.
   */
  @NoDefault("empty: the run being written")
  public static final String LLM_CNN_RUN = "llm.cnn.run";
  /** The arm every other arm is compared with in aggregate's model_or_input table (the study's prompt and slice). */
  public static final String LLM_COMPARE_GENERAL = "llm.compare.general";
  /** Spark partitions of the call plan; 0 means the default parallelism. */
  public static final String LLM_PARTITIONS = "llm.partitions";
  /** Calls in flight per executor JVM (per arm). */
  public static final String LLM_CONCURRENCY = "llm.concurrency";
  /** Requests per second per arm endpoint, shared out across executors; 0 means no limit. */
  public static final String LLM_RATE_LIMIT = "llm.rate.limit";
  public static final String LLM_CONNECT_TIMEOUT_MS = "llm.timeout.connect.ms";
  /** Hard limit on one attempt (request sent to full answer received). */
  public static final String LLM_RESPONSE_TIMEOUT_MS = "llm.timeout.response.ms";
  public static final String LLM_RETRY_MAX_ATTEMPTS = "llm.retry.max.attempts";
  public static final String LLM_RETRY_BASE_MS = "llm.retry.base.ms";
  public static final String LLM_RETRY_MAX_BACKOFF_MS = "llm.retry.max.backoff.ms";
  /** Retry budget of one call: no new attempt starts after this much time since its first. */
  public static final String LLM_RETRY_BUDGET_MS = "llm.retry.budget.ms";
  /** Longest Retry-After honoured; a longer one ends the call (http_error 429), to be retried by a rerun. */
  public static final String LLM_RETRY_AFTER_MAX_MS = "llm.retry.after.max.ms";
  public static final String LLM_PROGRESS_SECONDS = "llm.progress.seconds";
  /** Call journal files are closed (made durable on stores without flush, e.g. S3) at least this often. */
  public static final String LLM_JOURNAL_ROLL_SECONDS = "llm.journal.roll.seconds";
  // The SIMULATED server (used when no endpoint is given): latency, answer policy, injected faults.
  public static final String LLM_SIM_LATENCY_MS = "llm.sim.latency.ms";
  public static final String LLM_SIM_JITTER_MS = "llm.sim.jitter.ms";
  /** Probability of answering HGG (1): the majority-class bias the study saw. */
  public static final String LLM_SIM_P_HGG = "llm.sim.p.hgg";
  public static final String LLM_SIM_P_NO_GLIOMA = "llm.sim.p.no.glioma";
  /** Fraction of answers in one of the study's broken formats. */
  public static final String LLM_SIM_MALFORMED = "llm.sim.malformed";
  /** Fraction of requests answered with a fault (429 with Retry-After, 500, hang, dropped connection, garbage). */
  public static final String LLM_SIM_FAULTS = "llm.sim.faults";
  public static final String LLM_SIM_RETRY_AFTER_S = "llm.sim.retry.after.s";
  public static final String LLM_SIM_SEED = "llm.sim.seed";

  // bench llm: the SIMULATED server at a fixed latency, the fan-out against the ideal and a per-row UDF.
  public static final String LLM_BENCH_LATENCY_MS = "llm.bench.latency.ms";
  public static final String LLM_BENCH_CALLS = "llm.bench.calls";
  public static final String LLM_BENCH_NAIVE_CALLS = "llm.bench.naive.calls";
  public static final String LLM_BENCH_FAULTS = "llm.bench.faults";

  // ---- export-finetune ----------------------------------------------------------------------------
  /** Output folder of the fine-tuning dataset (JSONL + images/). */
  public static final String FINETUNE_DIR = "finetune.dir";
  /** The validation fold (exported as val.jsonl); empty exports every cv fold as training. */
  public static final String FINETUNE_VAL_FOLD = "finetune.val.fold";
  public static final String FINETUNE_PLANES = "finetune.planes";
  public static final String FINETUNE_SEED = "finetune.seed";

  // ---- finetune (LoRA / QLoRA SFT in a Python process; PEFT + TRL) ----------------------------------
  /** The base model: a Hugging Face id or a local folder the Python side can load. */
  public static final String FINETUNE_BASE = "finetune.base";
  /** Output folder: adapter/, merged/ (with --merge), finetune.json, finetune.log, the script that ran. */
  public static final String FINETUNE_OUT = "finetune.out";
  /** Optimiser steps (-1: finetune.epochs over train.jsonl). */
  public static final String FINETUNE_MAX_STEPS = "finetune.max.steps";
  public static final String FINETUNE_EPOCHS = "finetune.epochs";
  public static final String FINETUNE_LORA_R = "finetune.lora.r";
  public static final String FINETUNE_LORA_ALPHA = "finetune.lora.alpha";
  public static final String FINETUNE_LEARNING_RATE = "finetune.learning.rate";
  public static final String FINETUNE_BATCH_SIZE = "finetune.batch.size";
  /** QLoRA: the base in 4 bits (bitsandbytes; needs a CUDA GPU). */
  public static final String FINETUNE_QLORA = "finetune.qlora";
  /** Also write a merged model (base + adapter) that transformers serve and vLLM serve as a plain model. */
  public static final String FINETUNE_MERGE = "finetune.merge";
  /** The Python interpreter that has torch, transformers, peft, trl, datasets (scripts/tiny_llm/requirements.txt). */
  public static final String FINETUNE_PYTHON = "finetune.python";
  /** auto (CUDA when there is one), cpu or cuda. */
  public static final String FINETUNE_DEVICE = "finetune.device";

  /** The per-arm spelling of an llm.X key: llm.arm.<arm>.X. */
  public static String llmArmKey(String arm, String key) {
    if (!key.startsWith(LLM)) {
      throw new IllegalArgumentException("not an llm key: " + key);
    }
    return llmArmPrefix(arm) + key.substring(LLM.length());
  }

  /** The prefix of an LLM arm's own keys: llm.arm.<arm>. */
  public static String llmArmPrefix(String arm) {
    return LLM + "arm." + arm + ".";
  }


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
  /** Patients drawn as segmentation overlays (largest axial tumour slice); 0 for none. */
  public static final String REPORT_SEG_OVERLAYS = "report.seg.overlays";

  // ---- sql / sql-server -----------------------------------------------------------------------------
  /** sql: how result rows are printed: table (aligned, with a header), tsv or csv. */
  public static final String SQL_OUTPUT = "sql.output";
  /** sql: at most this many rows are printed per statement (the rest are counted, not shown). */
  public static final String SQL_MAX_ROWS = "sql.max.rows";
  /** sql, sql-server: re-register every warehouse table at start, not only those missing from the catalog. */
  public static final String SQL_REFRESH = "sql.refresh";
  /** sql-server: the address the Thrift JDBC server binds to (loopback by default: it has no authentication). */
  public static final String SQL_SERVER_HOST = "sql.server.host";
  /** sql-server: the Thrift JDBC server's port. */
  public static final String SQL_SERVER_PORT = "sql.server.port";



  // ---- bench seg ----------------------------------------------------------------------------------
  /**
   * bench seg: the U-Net step time DL4J vs PyTorch. Shape C,D,H,W (padded up to a multiple of 2^levels like
   * the network does), batch, steps timed after one warm-up, first-level filters, 2x down levels, loss
   * (dice or dice_bce), python for PyTorch.
   */
  public static final String BENCH_SEG_SHAPE = "bench.seg.shape";
  public static final String BENCH_SEG_BATCH = "bench.seg.batch";
  public static final String BENCH_SEG_STEPS = "bench.seg.steps";
  /** Untimed steps every side takes before the timed rounds (DL4J's workspaces take their sizes over the first ones). */
  public static final String BENCH_SEG_WARMUP = "bench.seg.warmup";
  public static final String BENCH_SEG_FILTERS = "bench.seg.filters";
  public static final String BENCH_SEG_LEVELS = "bench.seg.levels";
  public static final String BENCH_SEG_LOSS = "bench.seg.loss";
  public static final String BENCH_SEG_PYTHON = "bench.seg.python";
  /** bench scale: patients synthesised at BraTS size, their shape x,y,z, and epochs of fold 0 trained per arm. */
  public static final String BENCH_SCALE_PATIENTS = "bench.scale.patients";
  public static final String BENCH_SCALE_SHAPE = "bench.scale.shape";
  public static final String BENCH_SCALE_EPOCHS = "bench.scale.epochs";
  /** bench scale: also train the U-Net (its epoch at the study's shape is the longest part). */
  public static final String BENCH_SCALE_SEG = "bench.scale.seg";
  /** bench scale: also train the multi-task U-Net (the U-Net's cost plus its grade head, LGG oversampled). */
  public static final String BENCH_SCALE_MULTITASK = "bench.scale.multitask";
  /** bench scale: where its cohort, warehouse and logs go (empty: a temporary folder, deleted afterwards). */
  public static final String BENCH_SCALE_DIR = "bench.scale.dir";
  /** bench scale: keep the temporary folder for a look at the logs. */
  public static final String BENCH_SCALE_KEEP = "bench.scale.keep";
  /** bench scale as a check (CI): fail when an epoch shuffles tensor bytes or a JVM's peak RSS passes the bound. */
  public static final String BENCH_SCALE_CHECK = "bench.scale.check";
  public static final String BENCH_SCALE_MAX_RSS_GB = "bench.scale.max.rss.gb";

  // ---- bench ingest -------------------------------------------------------------------------------
  /** bench ingest: timed runs per reader after one warm-up (the medians are reported); the cases come from data.dir. */
  public static final String BENCH_INGEST_REPEAT = "bench.ingest.repeat";

  /** Keys whose values must never be printed (API keys are read from the environment, but be safe). */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase();
    return k.contains("secret") || k.contains("password") || k.contains("token")
        || (k.contains("key") && !k.endsWith("-env") && !k.endsWith(".env"));
  }
}
