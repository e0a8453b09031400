package org.gliomabench.core;

import static org.gliomabench.core.TableSpec.Type.BINARY;
import static org.gliomabench.core.TableSpec.Type.BOOLEAN;
import static org.gliomabench.core.TableSpec.Type.DOUBLE;
import static org.gliomabench.core.TableSpec.Type.DOUBLE_ARRAY;
import static org.gliomabench.core.TableSpec.Type.INT;
import static org.gliomabench.core.TableSpec.Type.INT_ARRAY;
import static org.gliomabench.core.TableSpec.Type.LONG;
import static org.gliomabench.core.TableSpec.Type.STRING;
import static org.gliomabench.core.TableSpec.Type.STRING_ARRAY;
import static org.gliomabench.core.TableSpec.Type.TIMESTAMP;

import java.util.List;

/**
 * The table contract: every table, its columns in order with their types, nullability and meaning, and its
 * partitioning, declared once per table as a {@link TableSpec} ({@code TABLE} in each table's class). Tables
 * live at {@code <warehouse>/<name>/} as Parquet; the jobs module derives their Spark schemas, row builders and
 * readers from these declarations ({@code jobs.SparkTables}). Columns are snake_case; run-produced tables carry
 * {@code run_id}. The column name constants are what queries and readers use.
 */
public final class Tables {
  private Tables() {}

  public static final String RUN_ID = "run_id";
  public static final String PATIENT_ID = "patient_id";
  public static final String LABEL = "label";
  public static final String COHORT = "cohort";
  public static final String FOLD = "fold";
  public static final String PLANE = "plane";
  public static final String SLICE_INDEX = "slice_index";

  /** Cohort values. */
  public static final String COHORT_TEST = "test";
  public static final String COHORT_CV = "cv";

  /** One row per accepted patient (written by ingest). */
  public static final class Patients {
    private Patients() {}
    public static final String NAME = "patients";
    public static final String GRADE = "grade";
    public static final String SOURCE = "source";
    public static final String MODALITIES = "modalities";
    public static final String CNN_USABLE = "cnn_usable";
    public static final String CNN_UNUSABLE_REASON = "cnn_unusable_reason";
    public static final String SHAPE = "shape";
    public static final String VOXEL_SIZE = "voxel_size";
    public static final String ORIENTATION = "orientation";
    public static final String BBOX_I0 = "bbox_i0";
    public static final String BBOX_I1 = "bbox_i1";
    public static final String BBOX_J0 = "bbox_j0";
    public static final String BBOX_J1 = "bbox_j1";
    public static final String BBOX_K0 = "bbox_k0";
    public static final String BBOX_K1 = "bbox_k1";
    public static final String AXIAL_FIRST = "axial_first";
    public static final String AXIAL_LAST = "axial_last";
    public static final String CORONAL_FIRST = "coronal_first";
    public static final String CORONAL_LAST = "coronal_last";
    public static final String SAGITTAL_FIRST = "sagittal_first";
    public static final String SAGITTAL_LAST = "sagittal_last";
    public static final String TUMOUR_VOXELS = "tumour_voxels";
    public static final String VOXELS_NCR = "voxels_ncr";
    public static final String VOXELS_ED = "voxels_ed";
    public static final String VOXELS_ET = "voxels_et";
    public static final String LABEL_CONVENTION = "label_convention";
    public static final String FINGERPRINT = "fingerprint";
    public static final String PREPROCESS_KEY = "preprocess_key";
    public static final String SPLIT_KEY = "split_key";

    /** Not partitioned: ingest replaces the whole table. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(PATIENT_ID, STRING)
        .required(GRADE, STRING, "'HGG' or 'LGG'")
        .required(LABEL, INT, "1 HGG, 0 LGG")
        .required(COHORT, STRING, "'test' or 'cv'")
        .nullable(FOLD, INT, "0 .. split.folds-1; null for the test cohort")
        .required(SOURCE, STRING, "the patient's folder")
        .required(MODALITIES, STRING_ARRAY)
        .required(CNN_USABLE, BOOLEAN)
        .nullable(CNN_UNUSABLE_REASON, STRING)
        .required(SHAPE, INT_ARRAY)
        .required(VOXEL_SIZE, DOUBLE_ARRAY)
        .required(ORIENTATION, STRING)
        .required(BBOX_I0, INT, "tumour bounding box in the files' voxel indices, inclusive, per array axis")
        .required(BBOX_I1, INT)
        .required(BBOX_J0, INT)
        .required(BBOX_J1, INT)
        .required(BBOX_K0, INT)
        .required(BBOX_K1, INT)
        .required(AXIAL_FIRST, INT, "slice ranges (inclusive) that hold tumour, per plane, in slice_index units")
        .required(AXIAL_LAST, INT)
        .required(CORONAL_FIRST, INT)
        .required(CORONAL_LAST, INT)
        .required(SAGITTAL_FIRST, INT)
        .required(SAGITTAL_LAST, INT)
        .required(TUMOUR_VOXELS, LONG, "voxels with a non-zero label in the original segmentation")
        .required(VOXELS_NCR, LONG, "voxels per BraTS label: necrotic / non-enhancing core (1, with 2013-2015's 3 merged)")
        .required(VOXELS_ED, LONG, "oedema (2)")
        .required(VOXELS_ET, LONG, "enhancing (4)")
        .required(LABEL_CONVENTION, STRING)
        .required(FINGERPRINT, STRING, "hash of the source files' names, sizes and modification times (incremental re-ingest)")
        .required(PREPROCESS_KEY, STRING, "hash of the preprocessing settings; a re-ingest reuses a patient's rows only if unchanged")
        .required(SPLIT_KEY, STRING,
            "the split parameters the cohort/fold were drawn with; assignments are kept across re-ingests only if equal")
        .build();
  }

  /** One row per CNN-usable patient: the cropped, resized, normalised 4-channel tensor. */
  public static final class Volumes {
    private Volumes() {}
    public static final String NAME = "volumes";
    public static final String SHAPE = "shape";
    public static final String TENSOR = "tensor";
    public static final String MASK = "mask";
    public static final String MODALITIES = "modalities";
    public static final String CROP_ORIGIN = "crop_origin";
    public static final String CROP_EXTENT = "crop_extent";
    public static final String NORMALISATION = "normalisation";

    /** Not partitioned: ingest replaces the whole table. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(PATIENT_ID, STRING)
        .required(LABEL, INT)
        .required(COHORT, STRING)
        .nullable(FOLD, INT)
        .required(SHAPE, INT_ARRAY, "[C, D, H, W]: modalities (t1, t1ce, t2, flair), axial slices (inferior to superior),"
            + " rows (anterior to posterior), columns (right to left)")
        .required(TENSOR, BINARY, "float32 little-endian, C-order over shape")
        .required(MASK, BINARY, "uint8 BraTS labels (0, 1, 2, 4), C-order over shape[1..3], nearest-neighbour resized")
        .required(MODALITIES, STRING_ARRAY)
        .required(CROP_ORIGIN, INT_ARRAY)
        .required(CROP_EXTENT, INT_ARRAY)
        .required(NORMALISATION, STRING)
        .build();
  }

  /** One row per patient x plane x slice: the FLAIR slice as an 8-bit PNG plus its tumour mask facts. */
  public static final class Slices {
    private Slices() {}
    public static final String NAME = "slices";
    public static final String IN_TUMOUR = "in_tumour";
    public static final String IN_BRAIN = "in_brain";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String FLAIR_PNG = "flair_png";
    public static final String MASK_PNG = "mask_png";
    public static final String TUMOUR_PIXELS = "tumour_pixels";
    public static final String MASK_X0 = "mask_x0";
    public static final String MASK_Y0 = "mask_y0";
    public static final String MASK_X1 = "mask_x1";
    public static final String MASK_Y1 = "mask_y1";
    public static final String MONTAGE_PNG = "montage_png";

    /** Not partitioned: ingest replaces the whole table. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(PATIENT_ID, STRING)
        .required(LABEL, INT)
        .required(COHORT, STRING)
        .nullable(FOLD, INT)
        .required(PLANE, STRING, "'axial', 'coronal' or 'sagittal'")
        .required(SLICE_INDEX, INT)
        .required(IN_TUMOUR, BOOLEAN)
        .required(IN_BRAIN, BOOLEAN)
        .required(WIDTH, INT)
        .required(HEIGHT, INT)
        .required(FLAIR_PNG, BINARY)
        .nullable(MASK_PNG, BINARY, "8-bit PNG of the BraTS labels in the same pixel grid (null when the slice has no tumour)")
        .required(TUMOUR_PIXELS, LONG)
        .nullable(MASK_X0, INT, "tumour bounding box in PNG pixel coordinates (x = column, y = row), inclusive; null without tumour")
        .nullable(MASK_Y0, INT)
        .nullable(MASK_X1, INT)
        .nullable(MASK_Y1, INT)
        .nullable(MONTAGE_PNG, BINARY, "tumour slices: 8-bit PNG of four labelled tiles, T1 and T1CE over T2 and FLAIR, each"
            + " windowed like flair_png; null for other slices, patients without all four modalities, or ingest.montage=false")
        .build();
  }

  /** One row per rejected input (or kept-with-a-warning patient, {@code rejected = false}). */
  public static final class IngestErrors {
    private IngestErrors() {}
    public static final String NAME = "ingest_errors";
    public static final String SOURCE = "source";
    public static final String KIND = "kind";
    public static final String MESSAGE = "message";
    public static final String REJECTED = "rejected";

    /** Not partitioned: ingest replaces the whole table. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(SOURCE, STRING, "the file or folder at fault")
        .nullable(PATIENT_ID, STRING, "null when no patient could be told")
        .required(KIND, STRING, "missing_modality, truncated_file, ... (README)")
        .required(MESSAGE, STRING)
        .required(REJECTED, BOOLEAN, "false: the patient was kept with a warning")
        .build();
  }

  /**
   * One row per accepted patient (every one has a segmentation): the reference segmentation in the ORIGINAL
   * voxels and the geometry to map a volume-grid mask back onto them (with volumes' crop_origin, crop_extent
   * and shape[1..3], which this table does not repeat). Written by ingest, so that scoring in the original
   * space (train-seg) and the report's overlays never read the NIfTI files (core seg.OriginalSpaceScorer).
   */
  public static final class ReferenceMasks {
    private ReferenceMasks() {}
    public static final String NAME = "reference_masks";
    /** The segmentation file's array shape [x, y, z]. */
    public static final String SHAPE = "shape";
    /** The segmentation file's voxel size in mm [x, y, z]: original-space HD95 is in these units. */
    public static final String SPACING = "spacing";
    /** Axis codes of the affine ingest oriented the patient by (the FLAIR's), as patients.orientation, e.g. "LPS". */
    public static final String ORIENTATION = "orientation";
    /** Segmentation.REFERENCE_PHANTOM or Segmentation.REFERENCE_CONSENSUS. */
    public static final String REFERENCE = "reference";
    /** How MASK is encoded: core seg.MaskCodec.FORMAT. */
    public static final String MASK_ENCODING = "mask_encoding";
    /** Region bits per voxel (bit 0 WT, 1 TC, 2 ET), file order (x fastest), encoded as MASK_ENCODING says. */
    public static final String MASK = "mask";

    /** Not partitioned: ingest replaces the whole table with the patients table. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(PATIENT_ID, STRING)
        .required(SHAPE, INT_ARRAY)
        .required(SPACING, DOUBLE_ARRAY)
        .required(ORIENTATION, STRING)
        .required(REFERENCE, STRING)
        .required(MASK_ENCODING, STRING)
        .required(MASK, BINARY)
        .build();
  }

  /** One row per command run: what ran, when, how it ended, with which configuration and versions. */
  public static final class Runs {
    private Runs() {}
    public static final String NAME = "runs";
    public static final String COMMAND = "command";
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String STATUS = "status";
    public static final String EXIT_CODE = "exit_code";
    public static final String CONFIG = "config";
    public static final String CONFIG_HASH = "config_hash";
    public static final String CODE_VERSION = "code_version";
    public static final String LIBRARY_VERSIONS = "library_versions";
    public static final String SEED = "seed";

    /** Not partitioned: each command appends its row. */
    public static final TableSpec TABLE = TableSpec.table(NAME)
        .required(RUN_ID, STRING)
        .required(COMMAND, STRING)
        .required(STARTED_AT, TIMESTAMP)
        .required(ENDED_AT, TIMESTAMP)
        .required(STATUS, STRING, "ok, ok_with_rejected_inputs, usage_error or failed")
        .required(EXIT_CODE, INT)
        .required(CONFIG, STRING, "the settings as key=value lines, secrets masked")
        .required(CONFIG_HASH, STRING)
        .required(CODE_VERSION, STRING)
        .required(LIBRARY_VERSIONS, STRING)
        .nullable(SEED, LONG, "study.seed")
        .build();
  }

  // ---- train-cnn tables ---------------------------------------------------------------------------
  /** One row per run x fold x epoch of CNN training; partitioned by run_id, fold. */
  public static final class CnnHistory {
    private CnnHistory() {}
    public static final String NAME = "cnn_history";
    public static final String EPOCH = "epoch";
    public static final String FIT_LOSS = "fit_loss";
    public static final String TRAIN_LOSS = "train_loss";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String TRAIN_AUC = "train_auc";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String VAL_AUC = "val_auc";
    public static final String SECONDS = "seconds";
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    public static final String TRAIN_EXAMPLES = "train_examples";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(EPOCH, INT)
        .nullable(FIT_LOSS, DOUBLE, "mean minibatch loss the workers reported while fitting the epoch")
        .nullable(TRAIN_LOSS, DOUBLE, "measured after the epoch on the fold's training part (each patient once)")
        .nullable(TRAIN_ACCURACY, DOUBLE)
        .nullable(TRAIN_AUC, DOUBLE)
        .nullable(VAL_LOSS, DOUBLE)
        .nullable(VAL_ACCURACY, DOUBLE)
        .nullable(VAL_AUC, DOUBLE)
        .required(SECONDS, DOUBLE, "wall seconds of the whole epoch (fit + scoring)")
        .required(EXAMPLES_PER_SECOND, DOUBLE, "training examples (after oversampling) per second of fitting")
        .required(TRAIN_EXAMPLES, LONG)
        .build();
  }

  /** One row per run x fold: the kept model of the fold; partitioned by run_id, fold. */
  public static final class CnnModels {
    private CnnModels() {}
    public static final String NAME = "cnn_models";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String CRITERION = "criterion";
    public static final String EPOCHS = "epochs";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_AUC = "val_auc";
    public static final String THRESHOLD = "threshold";
    public static final String THRESHOLD_RULE = "threshold_rule";
    public static final String MODEL_PATH = "model_path";
    public static final String TRAINING_MASTER = "training_master";
    public static final String BACKEND = "backend";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(BEST_EPOCH, INT)
        .required(CRITERION, STRING, "val_loss or val_auc")
        .required(EPOCHS, INT)
        .nullable(VAL_LOSS, DOUBLE)
        .nullable(VAL_AUC, DOUBLE)
        .required(THRESHOLD, DOUBLE)
        .required(THRESHOLD_RULE, STRING, "'fixed' or 'youden'")
        .required(MODEL_PATH, STRING)
        .required(TRAINING_MASTER, STRING)
        .required(BACKEND, STRING, "ND4J build that trained it: onednn-avx2, plain or cuda")
        .build();
  }

  /**
   * One row per run x fold model x patient it embedded: the activations of the CNN's 128-unit dense layer (the
   * learned features few-shot-knn arms find neighbours by). Each fold's kept model embeds every cv patient (those it
   * trained on flagged) and the test cohort; partitioned by run_id, fold.
   */
  public static final class CnnEmbeddings {
    private CnnEmbeddings() {}
    public static final String NAME = "cnn_embeddings";
    public static final String PATIENT_FOLD = "patient_fold";
    public static final String TRAINED_ON = "trained_on";
    public static final String EMBEDDING = "embedding";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT, "the fold whose kept model embedded the patient")
        .required(PATIENT_ID, STRING)
        .required(LABEL, INT)
        .required(COHORT, STRING)
        .nullable(PATIENT_FOLD, INT, "the patient's own fold (null for the test cohort)")
        .required(TRAINED_ON, BOOLEAN, "whether the model trained on the patient (cv patients of the other folds)")
        .required(EMBEDDING, DOUBLE_ARRAY, "the dense layer's 128 ReLU activations")
        .build();
  }

  /**
   * One row per run x model x patient (x plane for the LLM): the score P(HGG) and the predicted label.
   * Partitioned by run_id, model, fold: a writer replaces whole (run, model, fold) partitions. The CNN
   * writes model "cnn", plane null, fold = the fold whose model scored (its validation part has cohort
   * "cv", the test cohort "test").
   */
  public static final class Predictions {
    private Predictions() {}
    public static final String NAME = "predictions";
    public static final String MODEL = "model";
    public static final String SCORE = "score";
    public static final String PRED = "pred";
    public static final String THRESHOLD = "threshold";
    public static final String MODEL_CNN = "cnn";
    /**
     * Written by aggregate from the fold models' test-cohort rows (fold null, cohort "test"): the mean of
     * the fold models' scores, predicted HGG at the mean of their thresholds.
     */
    public static final String MODEL_CNN_ENSEMBLE = "cnn_ensemble";
    /** Written by aggregate: the test-cohort rows of the one fold model chosen by validation (fold null). */
    public static final String MODEL_CNN_SELECTED = "cnn_selected";
    /** train-multitask's fold rows: the grade head of the multi-task U-Net, written as the CNN writes "cnn". */
    public static final String MODEL_MULTITASK = "multitask";
    /** Written by aggregate from the multi-task fold models' test rows, by the cnn_ensemble rule. */
    public static final String MODEL_MULTITASK_ENSEMBLE = "multitask_ensemble";
    public static final String FOLD_MODELS = "fold_models";
    public static final String[] PARTITION_COLUMNS = {RUN_ID, MODEL, FOLD};

    /** The CNN's fold rows (train-cnn): the columns every arm writes. */
    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(PARTITION_COLUMNS)
        .required(RUN_ID, STRING)
        .required(MODEL, STRING, "'cnn', 'cnn_ensemble', 'cnn_selected', 'multitask', 'multitask_ensemble' or the LLM"
            + " arm's name")
        .nullable(PLANE, STRING, "null for the CNN")
        .required(COHORT, STRING)
        .nullable(FOLD, INT)
        .required(PATIENT_ID, STRING)
        .required(LABEL, INT)
        .nullable(SCORE, DOUBLE, "P(HGG), or the LLM arm's score (score_source)")
        .nullable(PRED, INT)
        .nullable(THRESHOLD, DOUBLE, "threshold on score that gave pred")
        .build();

    /** The rows of cnn_ensemble, cnn_selected and multitask_ensemble (aggregate). */
    public static final TableSpec CNN_TEST_ROWS = TABLE.variant("cnn_test")
        .nullable(Results.LlmVotes.SCORE_SOURCE, STRING)
        .nullable(FOLD_MODELS, STRING, "the fold models behind the row, e.g. \"0,1,2,3,4\" or \"2\"")
        .build();

    /** The LLM arms' rows (aggregate, from llm_votes.sql): the vote and its tally instead of a threshold. */
    public static final TableSpec LLM_ROWS = TABLE.variant("llm").without(THRESHOLD)
        .nullable(Results.LlmVotes.N_LGG, INT)
        .nullable(Results.LlmVotes.N_HGG, INT)
        .nullable(Results.LlmVotes.N_NONE, INT)
        .nullable(Results.LlmVotes.N_UNPARSEABLE, INT)
        .nullable(Results.LlmVotes.N_FAILED, INT, "calls that never got an answer (http_error, timeout, ...): not part of the tally")
        .nullable(Results.LlmVotes.VOTE, STRING, "the winner-takes-all vote: 'LGG', 'HGG', 'none', 'unparseable' or 'no_answer'")
        .nullable(Results.LlmVotes.GLDR, DOUBLE, "HGG / (HGG + LGG) slices")
        .nullable(Results.LlmVotes.MEAN_P_HGG, DOUBLE)
        .nullable(Results.LlmVotes.SCORE_SOURCE, STRING, "what score holds: 'gldr' or 'mean_p_hgg'")
        .nullable(Results.LlmVotes.LLM_MODEL, STRING, "the served model name(s) behind the arm")
        .nullable(Results.LlmVotes.SIMULATED, BOOLEAN)
        .build();
  }



  // ---- llm-slices tables --------------------------------------------------------------------------
  /**
   * One row per call attempt series (a call), appended as calls finish; partitioned by run_id. A rerun may
   * add a newer row for a call_key whose earlier row was not terminal: read through the latest row per
   * (run_id, arm, call_key), terminal rows first (jobs LlmCallsView.latest).
   */
  public static final class LlmCalls {
    private LlmCalls() {}
    public static final String NAME = "llm_calls";
    public static final String CALL_KEY = "call_key";
    public static final String ARM = "arm";
    public static final String SIMULATED = "simulated";
    public static final String ENDPOINT = "endpoint";
    public static final String MODEL = "model";
    public static final String SERVER_MODEL = "server_model";
    public static final String PROMPT_VERSION = "prompt_version";
    public static final String SAMPLE = "sample";
    public static final String STATUS = "status";
    public static final String ATTEMPTS = "attempts";
    public static final String HTTP_STATUS = "http_status";
    public static final String LATENCY_MS = "latency_ms";
    public static final String RAW_TEXT = "raw_text";
    public static final String CHOICE = "choice";
    public static final String STRICT_FORMAT = "strict_format";
    public static final String P_HGG = "p_hgg";
    public static final String LOGPROBS_RETURNED = "logprobs_returned";
    public static final String LOCATION_KIND = "location_kind";
    public static final String LOCATION = "location";
    public static final String ERROR = "error";
    public static final String FINISHED_AT = "finished_at";
    public static final String EXAMPLES = "examples";
    public static final String IMAGES = "images";
    public static final String STATED_P_HGG = "stated_p_hgg";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
        .required(CALL_KEY, STRING, "SHA-256 of model, prompt version, image(s) shown, slice identity, sample, decoding"
            + " parameters and, where the arm shows them, the examples and the CNN's score")
        .required(RUN_ID, STRING)
        .required(ARM, STRING)
        .required(SIMULATED, BOOLEAN, "true when the arm is the SIMULATED server")
        .nullable(ENDPOINT, STRING, "endpoint with credentials and query removed")
        .required(MODEL, STRING)
        .nullable(SERVER_MODEL, STRING, "the model name the server reported in its answer")
        .required(PROMPT_VERSION, STRING)
        .required(PATIENT_ID, STRING)
        .nullable(LABEL, INT)
        .nullable(COHORT, STRING)
        .nullable(FOLD, INT)
        .required(PLANE, STRING)
        .required(SLICE_INDEX, INT)
        .required(SAMPLE, INT)
        .required(STATUS, STRING, "see the STATUS_ values")
        .required(ATTEMPTS, INT)
        .nullable(HTTP_STATUS, INT)
        .required(LATENCY_MS, LONG)
        .nullable(RAW_TEXT, STRING)
        .nullable(CHOICE, INT, "0 LGG, 1 HGG, 2 no glioma; null unless status is ok (classify prompts)")
        .nullable(STRICT_FORMAT, BOOLEAN,
            "true when the answer followed the requested format exactly (the study tallied the rest apart)")
        .nullable(P_HGG, DOUBLE, "P(HGG) from the top logprobs of the choice token, when the server returned them")
        .nullable(LOGPROBS_RETURNED, BOOLEAN, "whether the answer carried token logprobs: null when none were asked for"
            + " (llm.logprobs=false, or a server kind without them), false when they were asked for and none came back")
        .nullable(LOCATION_KIND, STRING, "locate prompts: 'centre', 'box' or 'polygon'")
        .nullable(LOCATION, DOUBLE_ARRAY,
            "locate prompts: x,y pairs in PNG pixels (centre: 1 pair; box: x0,y0,x1,y1; polygon: n pairs)")
        .nullable(ERROR, STRING, "why a call failed or an answer did not parse (never holds credentials)")
        .required(FINISHED_AT, TIMESTAMP)
        .nullable(EXAMPLES, STRING_ARRAY, "the labelled examples the request carried, as patient_id:plane:slice_index, in"
            + " the order shown; empty for arms without examples (null in rows written before the column existed)")
        .nullable(IMAGES, INT, "images in the request")
        .nullable(STATED_P_HGG, DOUBLE, "cnn-informed arms: the CNN's P(HGG) for the patient, as stated in the prompt")
        .build();

    /** Status values. ok and parse_error are terminal: a rerun of the run never repeats them. */
    public static final String STATUS_OK = "ok";
    public static final String STATUS_PARSE_ERROR = "parse_error";
    public static final String STATUS_HTTP_ERROR = "http_error";
    public static final String STATUS_TIMEOUT = "timeout";
    public static final String STATUS_CONNECTION_ERROR = "connection_error";
    public static final String STATUS_BAD_RESPONSE = "bad_response";
    public static final String STATUS_ERROR = "error";
  }

  /** One row per run x arm x consistency slice: the distribution of answers over repeated samples. */
  public static final class LlmConsistency {
    private LlmConsistency() {}
    public static final String NAME = "llm_consistency";
    public static final String SAMPLES = "samples";
    public static final String N_LGG = "n_lgg";
    public static final String N_HGG = "n_hgg";
    public static final String N_NO_GLIOMA = "n_no_glioma";
    public static final String N_PARSE_ERROR = "n_parse_error";
    public static final String N_FAILED = "n_failed";
    public static final String MODAL_CHOICE = "modal_choice";
    public static final String MODAL_SHARE = "modal_share";
    public static final String MODAL_SHARE_CI_LOW = "modal_share_ci_low";
    public static final String MODAL_SHARE_CI_HIGH = "modal_share_ci_high";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
        .required(RUN_ID, STRING)
        .required(LlmCalls.ARM, STRING)
        .required(LlmCalls.SIMULATED, BOOLEAN)
        .required(PATIENT_ID, STRING)
        .nullable(LABEL, INT)
        .required(PLANE, STRING)
        .required(SLICE_INDEX, INT)
        .required(SAMPLES, LONG)
        .required(N_LGG, LONG)
        .required(N_HGG, LONG)
        .required(N_NO_GLIOMA, LONG)
        .required(N_PARSE_ERROR, LONG)
        .required(N_FAILED, LONG)
        .nullable(MODAL_CHOICE, INT, "the most frequent choice")
        .nullable(MODAL_SHARE, DOUBLE, "its share of the samples")
        .nullable(MODAL_SHARE_CI_LOW, DOUBLE, "95 % Wilson score interval of that share")
        .nullable(MODAL_SHARE_CI_HIGH, DOUBLE)
        .build();
  }

  /**
   * One row per run x arm: what llm-slices planned for the arm before sending anything (what each request shows,
   * how many requests and images) and the patients it skipped, with why. Partitioned by run_id.
   */
  public static final class LlmArmPlans {
    private LlmArmPlans() {}
    public static final String NAME = "llm_arm_plans";
    public static final String SHOWN = "shown";
    public static final String LAYOUT = "layout";
    public static final String EXAMPLES_PER_CALL = "examples_per_call";
    public static final String EXAMPLE_SELECTION = "example_selection";
    public static final String REQUESTS = "requests";
    public static final String IMAGES = "images";
    public static final String PATIENTS = "patients";
    public static final String SKIPPED_PATIENTS = "skipped_patients";
    public static final String SKIPPED_REASONS = "skipped_reasons";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
        .required(RUN_ID, STRING)
        .required(LlmCalls.ARM, STRING)
        .required(LlmCalls.SIMULATED, BOOLEAN)
        .required(LlmCalls.MODEL, STRING)
        .required(LlmCalls.PROMPT_VERSION, STRING)
        .required(SHOWN, STRING, "'slice' (the FLAIR slice), 'montage', 'few_shot' or 'cnn_informed'")
        .nullable(LAYOUT, STRING, "few-shot arms: 'images' (one image each) or 'grid' (examples and the slice in one image)")
        .required(EXAMPLES_PER_CALL, INT)
        .nullable(EXAMPLE_SELECTION, STRING, "few-shot arms: 'random' or 'knn' (nearest by the CNN's embeddings)")
        .required(REQUESTS, LONG, "planned calls, consistency repeats included (one request each, before retries)")
        .required(IMAGES, LONG, "images those requests carry")
        .required(PATIENTS, INT, "patients with at least one planned call")
        .required(SKIPPED_PATIENTS, INT, "patients of the chosen planes and cohorts the arm cannot show")
        .nullable(SKIPPED_REASONS, STRING_ARRAY, "reason: patients, e.g. 'missing modalities t1ce: 2'")
        .build();
  }


  // ---- segmentation: train-seg (CNN) and aggregate (LLM localisation) -----------------------------

  /** One row per run x fold x epoch of U-Net training; partitioned by run_id, fold. */
  public static final class SegHistory {
    private SegHistory() {}
    public static final String NAME = "seg_history";
    public static final String EPOCH = "epoch";
    public static final String FIT_LOSS = "fit_loss";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_DICE_WT = "val_dice_wt";
    public static final String VAL_DICE_TC = "val_dice_tc";
    public static final String VAL_DICE_ET = "val_dice_et";
    public static final String SECONDS = "seconds";
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    public static final String TRAIN_EXAMPLES = "train_examples";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(EPOCH, INT)
        .nullable(FIT_LOSS, DOUBLE, "mean minibatch loss the workers reported while fitting the epoch")
        .nullable(VAL_LOSS, DOUBLE, "mean loss over the fold's validation patients after the epoch")
        .nullable(VAL_DICE_WT, DOUBLE, "mean per-patient Dice on the validation patients, on the volume grid, per region")
        .nullable(VAL_DICE_TC, DOUBLE)
        .nullable(VAL_DICE_ET, DOUBLE)
        .required(SECONDS, DOUBLE)
        .nullable(EXAMPLES_PER_SECOND, DOUBLE)
        .required(TRAIN_EXAMPLES, LONG)
        .build();
  }

  /** One row per run x fold: the kept U-Net of the fold; partitioned by run_id, fold. */
  public static final class SegModels {
    private SegModels() {}
    public static final String NAME = "seg_models";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String EPOCHS = "epochs";
    public static final String VAL_DICE_WT = "val_dice_wt";
    public static final String DIMENSIONS = "dimensions";
    public static final String LOSS = "loss";
    public static final String MODEL_PATH = "model_path";
    public static final String TRAINING_MASTER = "training_master";
    public static final String BACKEND = "backend";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(BEST_EPOCH, INT)
        .required(EPOCHS, INT)
        .nullable(VAL_DICE_WT, DOUBLE, "validation whole-tumour Dice of the kept epoch (the selection criterion)")
        .required(DIMENSIONS, STRING, "'3d' (volumes) or '2d' (axial slices of the volumes)")
        .required(LOSS, STRING, "'dice' or 'dice_bce'")
        .required(MODEL_PATH, STRING)
        .required(TRAINING_MASTER, STRING)
        .required(BACKEND, STRING)
        .build();
  }

  /**
   * One row per run x fold x patient scored by the fold's U-Net (validation and test patients): the
   * predicted regions on the volume grid, to map back to the original volume (overlays, rescoring);
   * partitioned by run_id, fold.
   */
  public static final class SegMasks {
    private SegMasks() {}
    public static final String NAME = "seg_masks";
    public static final String SHAPE = "shape";
    public static final String MASK = "mask";
    public static final String CROP_ORIGIN = "crop_origin";
    public static final String CROP_EXTENT = "crop_extent";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(PATIENT_ID, STRING)
        .required(COHORT, STRING)
        .required(SHAPE, INT_ARRAY, "[D, H, W] of the volume grid (volumes.shape[1..3])")
        .required(MASK, BINARY, "uint8 per voxel, C-order over shape: bit 0 whole tumour, bit 1 tumour core, bit 2 enhancing tumour")
        .required(CROP_ORIGIN, INT_ARRAY, "copied from volumes: where the grid lies in the original volume (RAS x, y, z voxels)")
        .required(CROP_EXTENT, INT_ARRAY)
        .build();
  }

  /**
   * One row per run x model x patient x region (x plane for the LLM): overlap with the reference mask.
   * Partitioned by run_id, model. The CNN (model "cnn_seg") is scored in the original volume's space on
   * regions WT/TC/ET; LLM arms and the image-centre baseline per slice on the whole tumour, averaged over
   * the patient's scored slices, with region = the answer's kind ('box', 'polygon'; 'centre' rows carry
   * the hit rate in HIT_RATE and no Dice).
   */
  public static final class Segmentation {
    private Segmentation() {}
    public static final String NAME = "segmentation";
    public static final String MODEL = "model";
    public static final String REGION = "region";
    public static final String DICE = "dice";
    public static final String HD95 = "hd95";
    public static final String PRED_VOXELS = "pred_voxels";
    public static final String TRUE_VOXELS = "true_voxels";
    public static final String SLICES = "slices";
    public static final String HIT_RATE = "hit_rate";
    public static final String MEAN_DISTANCE_PX = "mean_distance_px";
    public static final String REFERENCE = "reference";
    public static final String REFERENCE_PHANTOM = "synthetic_phantom";
    public static final String REFERENCE_CONSENSUS = "brats_consensus";
    public static final String MODEL_CNN_SEG = "cnn_seg";
    /** train-multitask's rows: the segmentation of the multi-task U-Net, scored as cnn_seg. */
    public static final String MODEL_MULTITASK_SEG = "multitask_seg";
    public static final String REGION_WT = "WT";
    public static final String REGION_TC = "TC";
    public static final String REGION_ET = "ET";
    public static final String REGION_BOX = "box";
    public static final String REGION_POLYGON = "polygon";
    public static final String REGION_CENTRE = "centre";
    public static final String[] PARTITION_COLUMNS = {RUN_ID, MODEL};

    /**
     * One column set for both writers: train-seg's cnn_seg rows and aggregate's LLM rows (where hd95 is null: a
     * box from a chat answer has no contour worth a Hausdorff distance, and pred/true_voxels are pixel sums over
     * the patient's scored slices).
     */
    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(PARTITION_COLUMNS)
        .required(RUN_ID, STRING)
        .required(MODEL, STRING)
        .required(PATIENT_ID, STRING)
        .nullable(LABEL, INT)
        .nullable(COHORT, STRING)
        .nullable(FOLD, INT)
        .nullable(PLANE, STRING, "null for the CNN")
        .required(REGION, STRING)
        .nullable(DICE, DOUBLE)
        .nullable(HD95, DOUBLE,
            "95th-percentile symmetric Hausdorff distance in mm (CNN) or pixels (LLM); null when a mask is empty")
        .nullable(PRED_VOXELS, LONG)
        .nullable(TRUE_VOXELS, LONG)
        .nullable(SLICES, INT, "LLM rows: slices scored for the patient; their hit rate (centre) and mean distance to the centroid")
        .nullable(HIT_RATE, DOUBLE)
        .nullable(MEAN_DISTANCE_PX, DOUBLE)
        .nullable(REFERENCE, STRING, "what the masks compared against are: 'synthetic_phantom' (exact) or"
            + " 'brats_consensus' (annotators' consensus, not ground truth)")
        .build();
  }

  // ---- train-multitask: the U-Net with a grade head -----------------------------------------------

  /** One row per run x fold x epoch of multi-task training; partitioned by run_id, fold. */
  public static final class MultitaskHistory {
    private MultitaskHistory() {}
    public static final String NAME = "multitask_history";
    public static final String EPOCH = "epoch";
    public static final String FIT_LOSS = "fit_loss";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_SEG_LOSS = "val_seg_loss";
    public static final String VAL_GRADE_LOSS = "val_grade_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String VAL_AUC = "val_auc";
    public static final String VAL_DICE_WT = "val_dice_wt";
    public static final String VAL_DICE_TC = "val_dice_tc";
    public static final String VAL_DICE_ET = "val_dice_et";
    public static final String SECONDS = "seconds";
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    public static final String TRAIN_EXAMPLES = "train_examples";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(EPOCH, INT)
        .nullable(FIT_LOSS, DOUBLE, "mean minibatch loss (segmentation + grade) the workers reported while fitting")
        .nullable(VAL_LOSS, DOUBLE, "val_seg_loss + multitask.grade.weight x val_grade_loss")
        .nullable(VAL_SEG_LOSS, DOUBLE, "mean segmentation loss over the fold's validation patients")
        .nullable(VAL_GRADE_LOSS, DOUBLE, "binary cross-entropy of the validation patients' P(HGG)")
        .nullable(VAL_ACCURACY, DOUBLE, "the grade's, at 0.5")
        .nullable(VAL_AUC, DOUBLE)
        .nullable(VAL_DICE_WT, DOUBLE, "mean per-patient Dice on the validation patients, on the volume grid, per region")
        .nullable(VAL_DICE_TC, DOUBLE)
        .nullable(VAL_DICE_ET, DOUBLE)
        .required(SECONDS, DOUBLE, "wall seconds of the whole epoch (fit + validation)")
        .nullable(EXAMPLES_PER_SECOND, DOUBLE, "training examples (after oversampling) per second of fitting")
        .required(TRAIN_EXAMPLES, LONG)
        .build();
  }

  /** One row per run x fold: the kept multi-task U-Net of the fold; partitioned by run_id, fold. */
  public static final class MultitaskModels {
    private MultitaskModels() {}
    public static final String NAME = "multitask_models";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String CRITERION = "criterion";
    public static final String EPOCHS = "epochs";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_AUC = "val_auc";
    public static final String VAL_DICE_WT = "val_dice_wt";
    public static final String THRESHOLD = "threshold";
    public static final String THRESHOLD_RULE = "threshold_rule";
    public static final String GRADE_WEIGHT = "grade_weight";
    public static final String DIMENSIONS = "dimensions";
    public static final String LOSS = "loss";
    public static final String MODEL_PATH = "model_path";
    public static final String TRAINING_MASTER = "training_master";
    public static final String BACKEND = "backend";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID, FOLD)
        .required(RUN_ID, STRING)
        .required(FOLD, INT)
        .required(BEST_EPOCH, INT)
        .required(CRITERION, STRING, "val_loss, val_auc or val_dice_wt")
        .required(EPOCHS, INT)
        .nullable(VAL_LOSS, DOUBLE)
        .nullable(VAL_AUC, DOUBLE)
        .nullable(VAL_DICE_WT, DOUBLE)
        .required(THRESHOLD, DOUBLE)
        .required(THRESHOLD_RULE, STRING, "'fixed' or 'youden'")
        .required(GRADE_WEIGHT, DOUBLE, "the grade's cross-entropy weight in the loss")
        .required(DIMENSIONS, STRING, "'3d' or '2d'")
        .required(LOSS, STRING, "the segmentation loss: 'dice' or 'dice_bce'")
        .required(MODEL_PATH, STRING)
        .required(TRAINING_MASTER, STRING)
        .required(BACKEND, STRING)
        .build();
  }

  /**
   * One row per run x arm x located slice call (sample 0): the LLM's answer scored against the slice's
   * true whole-tumour mask, in PNG pixels. The image-centre baseline adds rows with arm
   * {@link #BASELINE_ARM} for the same slices. Partitioned by run_id.
   */
  public static final class LlmLocalisation {
    private LlmLocalisation() {}
    public static final String NAME = "llm_localisation";
    public static final String ARM = "arm";
    public static final String LOCATION_KIND = "location_kind";
    public static final String DICE = "dice";
    public static final String HIT = "hit";
    public static final String PRED_X = "pred_x";
    public static final String PRED_Y = "pred_y";
    public static final String TRUE_X = "true_x";
    public static final String TRUE_Y = "true_y";
    public static final String DISTANCE_PX = "distance_px";
    public static final String PRED_TO_IMAGE_CENTRE_PX = "pred_to_image_centre_px";
    public static final String TRUE_TO_IMAGE_CENTRE_PX = "true_to_image_centre_px";
    public static final String PRED_PIXELS = "pred_pixels";
    public static final String TRUE_PIXELS = "true_pixels";
    public static final String BASELINE_ARM = "baseline_image_centre";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
        .required(RUN_ID, STRING)
        .required(ARM, STRING)
        .nullable(LlmCalls.SIMULATED, BOOLEAN)
        .nullable(LlmCalls.MODEL, STRING)
        .nullable(LlmCalls.PROMPT_VERSION, STRING)
        .nullable(LlmCalls.CALL_KEY, STRING, "null for the baseline")
        .required(PATIENT_ID, STRING)
        .nullable(LABEL, INT)
        .nullable(COHORT, STRING)
        .nullable(FOLD, INT)
        .required(PLANE, STRING)
        .required(SLICE_INDEX, INT)
        .required(Slices.WIDTH, INT)
        .required(Slices.HEIGHT, INT)
        .required(LOCATION_KIND, STRING)
        .nullable(DICE, DOUBLE, "box/polygon rasterised at the slice's resolution, against the mask (null for centre answers)")
        .required(HIT, BOOLEAN, "the predicted point (centre answers) or shape's centre lies inside the mask")
        .required(PRED_X, DOUBLE)
        .required(PRED_Y, DOUBLE)
        .required(TRUE_X, DOUBLE)
        .required(TRUE_Y, DOUBLE)
        .required(DISTANCE_PX, DOUBLE, "distance from the predicted centre to the mask's centroid")
        .required(PRED_TO_IMAGE_CENTRE_PX, DOUBLE, "distance from the predicted centre to the image centre")
        .required(TRUE_TO_IMAGE_CENTRE_PX, DOUBLE, "distance from the mask's centroid to the image centre")
        .nullable(PRED_PIXELS, LONG)
        .required(TRUE_PIXELS, LONG)
        .build();
  }

  /** One row per run x arm x plane x location kind: does the arm hug the image centre? */
  public static final class CentreBias {
    private CentreBias() {}
    public static final String NAME = "llm_centre_bias";
    public static final String N = "n";
    public static final String HIT_RATE = "hit_rate";
    public static final String MEAN_DICE = "mean_dice";
    public static final String MEAN_DISTANCE_PX = "mean_distance_px";
    public static final String MEAN_PRED_TO_IMAGE_CENTRE_PX = "mean_pred_to_image_centre_px";
    public static final String MEAN_TRUE_TO_IMAGE_CENTRE_PX = "mean_true_to_image_centre_px";
    public static final String CORR_X = "corr_x";
    public static final String CORR_Y = "corr_y";
    public static final String BASELINE_DISTANCE_PX = "baseline_distance_px";
    public static final String VERDICT = "verdict";

    public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
        .required(RUN_ID, STRING)
        .required(LlmLocalisation.ARM, STRING)
        .nullable(LlmCalls.SIMULATED, BOOLEAN)
        .required(PLANE, STRING)
        .required(LlmLocalisation.LOCATION_KIND, STRING)
        .required(N, LONG)
        .nullable(HIT_RATE, DOUBLE)
        .nullable(MEAN_DICE, DOUBLE)
        .nullable(MEAN_DISTANCE_PX, DOUBLE)
        .nullable(MEAN_PRED_TO_IMAGE_CENTRE_PX, DOUBLE)
        .nullable(MEAN_TRUE_TO_IMAGE_CENTRE_PX, DOUBLE)
        .nullable(CORR_X, DOUBLE,
            "Pearson correlation of predicted and true centre coordinates (x and y); near 0 without localisation skill")
        .nullable(CORR_Y, DOUBLE)
        .nullable(BASELINE_DISTANCE_PX, DOUBLE, "the baseline's mean distance to the centroid on the same slices")
        .required(VERDICT, STRING, "'centre_biased', 'localises' or 'inconclusive' (rule in docs/segmentation.md)")
        .build();
  }


  // ---- aggregate / report tables ------------------------------------------------------------------

  /**
   * The tables and columns aggregate and report add. They read llm_calls and llm_consistency (llm-slices
   * section), cnn_history and predictions (train-cnn section) and patients.
   */
  public static final class Results {
    private Results() {}

    /**
     * The columns aggregate adds to the LLM arms' rows of {@link Tables.Predictions} (one row per run x
     * arm x plane x patient; model = the arm name), beside the CNN's rows: {@link Tables.Predictions#LLM_ROWS}.
     * SCORE_SOURCE is also a metrics column (the CNN: 'p_hgg').
     */
    public static final class LlmVotes {
      private LlmVotes() {}
      public static final String N_LGG = "n_lgg";
      public static final String N_HGG = "n_hgg";
      public static final String N_NONE = "n_none";
      public static final String N_UNPARSEABLE = "n_unparseable";
      public static final String N_FAILED = "n_failed";
      public static final String VOTE = "vote";
      public static final String GLDR = "gldr";
      public static final String MEAN_P_HGG = "mean_p_hgg";
      public static final String SCORE_SOURCE = "score_source";
      public static final String LLM_MODEL = "llm_model";
      public static final String SIMULATED = "simulated";
    }

    /** One row per run x model x plane x cohort x fold x metric, with a bootstrap interval. */
    public static final class Metrics {
      private Metrics() {}
      public static final String NAME = "metrics";
      public static final String METRIC = "metric";
      public static final String VALUE = "value";
      public static final String CI_LOW = "ci_low";
      public static final String CI_HIGH = "ci_high";
      public static final String N = "n";
      /** The model name of the majority-class baseline rows. */
      public static final String BASELINE_MODEL = "baseline_always_hgg";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .required(Predictions.MODEL, STRING)
          .nullable(PLANE, STRING)
          .nullable(COHORT, STRING)
          .nullable(FOLD, INT)
          .required(METRIC, STRING)
          .nullable(VALUE, DOUBLE)
          .nullable(CI_LOW, DOUBLE)
          .nullable(CI_HIGH, DOUBLE)
          .required(N, INT)
          .nullable(LlmVotes.SCORE_SOURCE, STRING)
          .build();
    }

    /** Mean and SD of each metric over the folds of the cv cohort (and of the CNN's per-fold test rows). */
    public static final class MetricsAcrossFolds {
      private MetricsAcrossFolds() {}
      public static final String NAME = "metrics_across_folds";
      public static final String MEAN = "mean";
      public static final String SD = "sd";
      public static final String FOLDS = "folds";
      public static final String COUNTED = "counted";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .required(Predictions.MODEL, STRING)
          .nullable(PLANE, STRING)
          .nullable(COHORT, STRING)
          .required(Metrics.METRIC, STRING)
          .nullable(MEAN, DOUBLE)
          .nullable(SD, DOUBLE)
          .required(FOLDS, INT)
          .required(COUNTED, INT)
          .build();
    }

    /**
     * The study's answer on the held-out test cohort, one row per run x model (x plane): the CNN fold
     * ensemble, the fold chosen by validation, each LLM arm per plane and the always-HGG baseline, in display
     * order, with their metrics and intervals and the paired tests against the reference (the ensemble).
     * Written by aggregate (partition run_id); the report, summary.md and the notebooks open with it.
     */
    public static final class Headline {
      private Headline() {}
      public static final String NAME = "headline";
      public static final String POSITION = "position";
      public static final String ROLE = "role";
      public static final String LABEL = "label";
      public static final String DETAIL = "detail";
      public static final String SIMULATED = "simulated";
      public static final String N = "n";
      /** Metric columns: value, then _ci_low and _ci_high. */
      public static final String ACCURACY = "accuracy";
      public static final String SPECIFICITY = "specificity";
      public static final String BALANCED_ACCURACY = "balanced_accuracy";
      public static final String AUC = "auc";
      public static final String CI_LOW_SUFFIX = "_ci_low";
      public static final String CI_HIGH_SUFFIX = "_ci_high";
      /** The metrics the headline shows, each with its interval, in order. */
      public static final List<String> METRICS = List.of(ACCURACY, SPECIFICITY, BALANCED_ACCURACY, AUC);
      public static final String TP = "tp";
      public static final String FP = "fp";
      public static final String TN = "tn";
      public static final String FN = "fn";
      public static final String SCORE_SOURCE = "score_source";
      public static final String VERSUS = "versus";
      public static final String MCNEMAR_P = "mcnemar_p";
      public static final String DELONG_P = "delong_p";
      public static final String FINDING = "finding";
      public static final String ROLE_ENSEMBLE = "cnn_ensemble";
      public static final String ROLE_SELECTED = "cnn_selected";
      public static final String ROLE_MULTITASK = "multitask_ensemble";
      public static final String ROLE_LLM = "llm";
      public static final String ROLE_BASELINE = "baseline";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .required(POSITION, INT)
          .required(Predictions.MODEL, STRING)
          .nullable(PLANE, STRING)
          .required(ROLE, STRING, "cnn_ensemble, cnn_selected, multitask_ensemble, llm or baseline")
          .required(LABEL, STRING, "how a reader names the row, e.g. \"general, axial plane\"")
          .nullable(DETAIL, STRING, "what the row is made of: the folds and threshold rule, the selected fold and why, the score")
          .required(SIMULATED, BOOLEAN)
          .required(COHORT, STRING)
          .required(N, INT)
          .nullableWithIntervals(METRICS, CI_LOW_SUFFIX, CI_HIGH_SUFFIX)
          .nullable(TP, INT)
          .nullable(FP, INT)
          .nullable(TN, INT)
          .nullable(FN, INT)
          .nullable(SCORE_SOURCE, STRING)
          .nullable(VERSUS, STRING, "the model the p-values compare this row with (the reference row has none)")
          .nullable(MCNEMAR_P, DOUBLE)
          .nullable(DELONG_P, DOUBLE)
          .required(FINDING, STRING, "the answer in one quotable sentence (the same on every row of a run)")
          .build();
    }

    /**
     * Paired tests on the same patients: a CNN model (a: each fold's model, the ensemble, the selected fold)
     * against each LLM arm and plane (b), and the test-cohort CNN models against the always-HGG baseline
     * (b = baseline_always_hgg, plane null).
     */
    public static final class Comparisons {
      private Comparisons() {}
      public static final String NAME = "comparisons";
      public static final String MODEL_A = "model_a";
      public static final String MODEL_B = "model_b";
      public static final String PLANE_B = "plane_b";
      public static final String N = "n";
      public static final String BOTH_CORRECT = "both_correct";
      public static final String ONLY_A_CORRECT = "only_a_correct";
      public static final String ONLY_B_CORRECT = "only_b_correct";
      public static final String BOTH_WRONG = "both_wrong";
      public static final String MCNEMAR_P = "mcnemar_p";
      public static final String AUC_A = "auc_a";
      public static final String AUC_B = "auc_b";
      public static final String AUC_DIFFERENCE = "auc_difference";
      public static final String DELONG_Z = "delong_z";
      public static final String DELONG_P = "delong_p";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .nullable(COHORT, STRING)
          .nullable(FOLD, INT)
          .required(MODEL_A, STRING)
          .required(MODEL_B, STRING)
          .nullable(PLANE_B, STRING)
          .required(N, INT)
          .required(BOTH_CORRECT, INT)
          .required(ONLY_A_CORRECT, INT)
          .required(ONLY_B_CORRECT, INT)
          .required(BOTH_WRONG, INT)
          .required(MCNEMAR_P, DOUBLE)
          .nullable(AUC_A, DOUBLE)
          .nullable(AUC_B, DOUBLE)
          .nullable(AUC_DIFFERENCE, DOUBLE)
          .nullable(DELONG_Z, DOUBLE)
          .nullable(DELONG_P, DOUBLE)
          .build();
    }
    /**
     * The stratified consistency test per grade: for each run x classify arm x plane x grade, the answers to the
     * grade's consistency slices (llm.consistency.slices of them, from different patients) pooled, and the mean share
     * of each slice's majority answer with a bootstrap interval over the slices. Written by aggregate.
     */
    public static final class ConsistencyByGrade {
      private ConsistencyByGrade() {}
      public static final String NAME = "llm_consistency_grades";
      public static final String GRADE = "grade";
      public static final String SLICES = "slices";
      public static final String MEAN_MODAL_SHARE = "mean_modal_share";
      public static final String CI_LOW = "ci_low";
      public static final String CI_HIGH = "ci_high";
      public static final String CORRECT_SHARE = "correct_share";
      public static final String STUDY_MODAL_SHARE = "study_modal_share";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .required(LlmCalls.ARM, STRING)
          .required(LlmCalls.SIMULATED, BOOLEAN)
          .required(PLANE, STRING)
          .required(LABEL, INT)
          .required(GRADE, STRING, "'HGG' or 'LGG'")
          .required(SLICES, INT, "consistency slices of the grade (each from another patient)")
          .required(LlmConsistency.SAMPLES, LONG, "answers asked for, over all the grade's slices")
          .required(LlmConsistency.N_LGG, LONG)
          .required(LlmConsistency.N_HGG, LONG)
          .required(LlmConsistency.N_NO_GLIOMA, LONG)
          .required(LlmConsistency.N_PARSE_ERROR, LONG)
          .required(LlmConsistency.N_FAILED, LONG)
          .nullable(MEAN_MODAL_SHARE, DOUBLE, "mean over the slices of the share of each slice's most frequent answer")
          .nullable(CI_LOW, DOUBLE, "95 % percentile bootstrap interval of that mean, slices resampled (aggregate.bootstrap.*)")
          .nullable(CI_HIGH, DOUBLE)
          .nullable(CORRECT_SHARE, DOUBLE, "share of all answers that name the slice's true grade")
          .required(STUDY_MODAL_SHARE, DOUBLE, "the study's figure for its one slice of this grade: HGG 95/95, LGG 77/95"
              + " (its answers split 77/18)")
          .build();
    }

    /**
     * "Model or input?": every LLM arm (and each other test-cohort model beside the CNN's) per plane on the held-out
     * test cohort, against the general arm on the same plane and against the CNN fold ensemble, on the same patients;
     * with how often it agrees with the CNN and how it does where the two disagree. Written by aggregate.
     */
    public static final class ModelOrInput {
      private ModelOrInput() {}
      public static final String NAME = "model_or_input";
      public static final String SHOWN = "shown";
      public static final String GENERAL_ARM = "general_arm";
      public static final String N_VS_GENERAL = "n_vs_general";
      public static final String BALANCED_ACCURACY_VS_GENERAL = "balanced_accuracy_vs_general";
      public static final String MCNEMAR_P_VS_GENERAL = "mcnemar_p_vs_general";
      public static final String DELONG_P_VS_GENERAL = "delong_p_vs_general";
      public static final String N_VS_CNN = "n_vs_cnn";
      public static final String BALANCED_ACCURACY_VS_CNN = "balanced_accuracy_vs_cnn";
      public static final String MCNEMAR_P_VS_CNN = "mcnemar_p_vs_cnn";
      public static final String DELONG_P_VS_CNN = "delong_p_vs_cnn";
      public static final String AGREEMENT_WITH_CNN = "agreement_with_cnn";
      public static final String DISAGREEMENTS = "disagreements";
      public static final String ACCURACY_WHERE_DISAGREE = "accuracy_where_disagree";
      public static final String CNN_ACCURACY_WHERE_DISAGREE = "cnn_accuracy_where_disagree";

      public static final TableSpec TABLE = TableSpec.table(NAME).partitionedBy(RUN_ID)
          .required(RUN_ID, STRING)
          .required(Headline.POSITION, INT)
          .required(Predictions.MODEL, STRING)
          .nullable(PLANE, STRING, "null for models that see the volume (not slices)")
          .required(SHOWN, STRING, "what the model is shown: 'slice', 'montage', 'few_shot', 'cnn_informed', 'volume'")
          .required(Headline.SIMULATED, BOOLEAN)
          .required(Headline.N, INT)
          .nullableWithIntervals(Headline.METRICS, Headline.CI_LOW_SUFFIX, Headline.CI_HIGH_SUFFIX)
          .nullable(GENERAL_ARM, STRING, "the arm compared against as 'general' (llm.compare.general), null for that arm itself")
          .nullable(N_VS_GENERAL, INT, "test patients both answered")
          .nullable(BALANCED_ACCURACY_VS_GENERAL, DOUBLE, "this row's balanced accuracy minus general's, same patients")
          .nullable(MCNEMAR_P_VS_GENERAL, DOUBLE)
          .nullable(DELONG_P_VS_GENERAL, DOUBLE)
          .nullable(N_VS_CNN, INT, "test patients this row and the CNN fold ensemble both answered")
          .nullable(BALANCED_ACCURACY_VS_CNN, DOUBLE, "this row's balanced accuracy minus the ensemble's, same patients")
          .nullable(MCNEMAR_P_VS_CNN, DOUBLE)
          .nullable(DELONG_P_VS_CNN, DOUBLE)
          .nullable(AGREEMENT_WITH_CNN, DOUBLE, "share of those patients where its answer equals the ensemble's")
          .nullable(DISAGREEMENTS, INT, "patients where the two answers differ")
          .nullable(ACCURACY_WHERE_DISAGREE, DOUBLE, "its accuracy on those patients (null without any)")
          .nullable(CNN_ACCURACY_WHERE_DISAGREE, DOUBLE, "the ensemble's accuracy on the same patients")
          .build();
    }
  }


  /** Every declared column set, in the order of this file (the schema test walks it). */
  public static List<TableSpec> all() {
    return List.of(Patients.TABLE, Volumes.TABLE, Slices.TABLE, ReferenceMasks.TABLE, IngestErrors.TABLE, Runs.TABLE, CnnHistory.TABLE,
        CnnModels.TABLE, Predictions.TABLE, Predictions.CNN_TEST_ROWS, Predictions.LLM_ROWS, LlmCalls.TABLE,
        LlmConsistency.TABLE, LlmArmPlans.TABLE, CnnEmbeddings.TABLE, SegHistory.TABLE, SegModels.TABLE, SegMasks.TABLE,
        Segmentation.TABLE, MultitaskHistory.TABLE, MultitaskModels.TABLE,
        LlmLocalisation.TABLE, CentreBias.TABLE, Results.Metrics.TABLE, Results.MetricsAcrossFolds.TABLE,
        Results.Comparisons.TABLE, Results.Headline.TABLE, Results.ConsistencyByGrade.TABLE, Results.ModelOrInput.TABLE);
  }
}
