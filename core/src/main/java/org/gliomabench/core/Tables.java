package org.gliomabench.core;

/**
 * The table contract: every table name and column that more than one stage (or an analyst) relies on.
 * Tables live at {@code <warehouse>/<name>/} as Parquet; Spark schemas are built from these names in
 * the jobs module ({@code TableSchemas}). Columns are snake_case; run-produced tables carry {@code run_id}.
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
    /** Tumour bounding box in the files' voxel indices, inclusive, per array axis. */
    public static final String BBOX_I0 = "bbox_i0";
    public static final String BBOX_I1 = "bbox_i1";
    public static final String BBOX_J0 = "bbox_j0";
    public static final String BBOX_J1 = "bbox_j1";
    public static final String BBOX_K0 = "bbox_k0";
    public static final String BBOX_K1 = "bbox_k1";
    /** Slice ranges (inclusive) that hold tumour, per plane, in slice_index units. */
    public static final String AXIAL_FIRST = "axial_first";
    public static final String AXIAL_LAST = "axial_last";
    public static final String CORONAL_FIRST = "coronal_first";
    public static final String CORONAL_LAST = "coronal_last";
    public static final String SAGITTAL_FIRST = "sagittal_first";
    public static final String SAGITTAL_LAST = "sagittal_last";
    /** Voxels with a non-zero label in the original segmentation. */
    public static final String TUMOUR_VOXELS = "tumour_voxels";
    /** Voxels per BraTS label: necrotic / non-enhancing core (1, with 2013-2015's 3 merged), oedema (2), enhancing (4). */
    public static final String VOXELS_NCR = "voxels_ncr";
    public static final String VOXELS_ED = "voxels_ed";
    public static final String VOXELS_ET = "voxels_et";
    public static final String LABEL_CONVENTION = "label_convention";
    /** Hash of the source files' names, sizes and modification times (incremental re-ingest). */
    public static final String FINGERPRINT = "fingerprint";
    /** Hash of the preprocessing settings; a re-ingest reuses a patient's rows only if unchanged. */
    public static final String PREPROCESS_KEY = "preprocess_key";
    /** The split parameters the cohort/fold were drawn with; assignments are kept across re-ingests only if equal. */
    public static final String SPLIT_KEY = "split_key";
  }

  /** One row per CNN-usable patient: the cropped, resized, normalised 4-channel tensor. */
  public static final class Volumes {
    private Volumes() {}
    public static final String NAME = "volumes";
    /** [C, D, H, W]: modalities (t1, t1ce, t2, flair), axial slices (inferior to superior), rows (anterior to posterior), columns (right to left). */
    public static final String SHAPE = "shape";
    /** float32 little-endian, C-order over SHAPE. */
    public static final String TENSOR = "tensor";
    /** uint8 BraTS labels (0, 1, 2, 4), C-order over SHAPE[1..3], nearest-neighbour resized. */
    public static final String MASK = "mask";
    public static final String MODALITIES = "modalities";
    public static final String CROP_ORIGIN = "crop_origin";
    public static final String CROP_EXTENT = "crop_extent";
    public static final String NORMALISATION = "normalisation";
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
    /** 8-bit PNG of the BraTS labels in the same pixel grid (null when the slice has no tumour). */
    public static final String MASK_PNG = "mask_png";
    public static final String TUMOUR_PIXELS = "tumour_pixels";
    /** Tumour bounding box in PNG pixel coordinates (x = column, y = row), inclusive; null without tumour. */
    public static final String MASK_X0 = "mask_x0";
    public static final String MASK_Y0 = "mask_y0";
    public static final String MASK_X1 = "mask_x1";
    public static final String MASK_Y1 = "mask_y1";
  }

  /** One row per rejected input (or kept-with-a-warning patient, {@code rejected = false}). */
  public static final class IngestErrors {
    private IngestErrors() {}
    public static final String NAME = "ingest_errors";
    public static final String SOURCE = "source";
    public static final String KIND = "kind";
    public static final String MESSAGE = "message";
    public static final String REJECTED = "rejected";
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
  }

  // ---- train-cnn tables ---------------------------------------------------------------------------
  /** One row per run x fold x epoch of CNN training; partitioned by run_id, fold. */
  public static final class CnnHistory {
    private CnnHistory() {}
    public static final String NAME = "cnn_history";
    public static final String EPOCH = "epoch";
    /** Mean minibatch loss the workers reported while fitting the epoch. */
    public static final String FIT_LOSS = "fit_loss";
    /** Measured after the epoch on the fold's training part (each patient once). */
    public static final String TRAIN_LOSS = "train_loss";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String TRAIN_AUC = "train_auc";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String VAL_AUC = "val_auc";
    /** Wall seconds of the whole epoch (fit + scoring). */
    public static final String SECONDS = "seconds";
    /** Training examples (after oversampling) per second of fitting. */
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    public static final String TRAIN_EXAMPLES = "train_examples";
  }

  /** One row per run x fold: the kept model of the fold; partitioned by run_id, fold. */
  public static final class CnnModels {
    private CnnModels() {}
    public static final String NAME = "cnn_models";
    public static final String BEST_EPOCH = "best_epoch";
    /** val_loss or val_auc. */
    public static final String CRITERION = "criterion";
    public static final String EPOCHS = "epochs";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_AUC = "val_auc";
    public static final String THRESHOLD = "threshold";
    /** "fixed" or "youden". */
    public static final String THRESHOLD_RULE = "threshold_rule";
    public static final String MODEL_PATH = "model_path";
    public static final String TRAINING_MASTER = "training_master";
    /** ND4J build that trained it: onednn-avx2, plain or cuda. */
    public static final String BACKEND = "backend";
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
    /** Threshold on score that gave pred. */
    public static final String THRESHOLD = "threshold";
    public static final String MODEL_CNN = "cnn";
    /**
     * Written by aggregate from the fold models' test-cohort rows (fold null, cohort "test"): the mean of
     * the fold models' scores, predicted HGG at the mean of their thresholds.
     */
    public static final String MODEL_CNN_ENSEMBLE = "cnn_ensemble";
    /** Written by aggregate: the test-cohort rows of the one fold model chosen by validation (fold null). */
    public static final String MODEL_CNN_SELECTED = "cnn_selected";
    /** The fold models behind a cnn_ensemble or cnn_selected row, e.g. "0,1,2,3,4" or "2". */
    public static final String FOLD_MODELS = "fold_models";
    public static final String[] PARTITION_COLUMNS = {RUN_ID, MODEL, FOLD};
  }



  // ---- llm-slices tables --------------------------------------------------------------------------
  /**
   * One row per call attempt series (a call), appended as calls finish; partitioned by run_id. A rerun may
   * add a newer row for a call_key whose earlier row was not terminal: read through the latest row per
   * (run_id, arm, call_key), terminal rows first (jobs LlmCallsTable.latest).
   */
  public static final class LlmCalls {
    private LlmCalls() {}
    public static final String NAME = "llm_calls";
    /** SHA-256 of model, prompt version, image, slice identity, sample and decoding parameters. */
    public static final String CALL_KEY = "call_key";
    public static final String ARM = "arm";
    /** True when the arm is the SIMULATED server. */
    public static final String SIMULATED = "simulated";
    /** Endpoint with credentials and query removed. */
    public static final String ENDPOINT = "endpoint";
    public static final String MODEL = "model";
    /** The model name the server reported in its answer. */
    public static final String SERVER_MODEL = "server_model";
    public static final String PROMPT_VERSION = "prompt_version";
    public static final String SAMPLE = "sample";
    public static final String STATUS = "status";
    public static final String ATTEMPTS = "attempts";
    public static final String HTTP_STATUS = "http_status";
    public static final String LATENCY_MS = "latency_ms";
    public static final String RAW_TEXT = "raw_text";
    /** 0 LGG, 1 HGG, 2 no glioma; null unless status is ok (classify prompts). */
    public static final String CHOICE = "choice";
    /** True when the answer followed the requested format exactly (the study tallied the rest apart). */
    public static final String STRICT_FORMAT = "strict_format";
    /** P(HGG) from the top logprobs of the choice token, when the server returned them. */
    public static final String P_HGG = "p_hgg";
    /**
     * Whether the answer carried token logprobs: null when none were asked for (llm.logprobs=false, or a server
     * kind without them), false when they were asked for and none came back.
     */
    public static final String LOGPROBS_RETURNED = "logprobs_returned";
    /** Locate prompts: 'centre', 'box' or 'polygon'. */
    public static final String LOCATION_KIND = "location_kind";
    /** Locate prompts: x,y pairs in PNG pixels (centre: 1 pair; box: x0,y0,x1,y1; polygon: n pairs). */
    public static final String LOCATION = "location";
    /** Why a call failed or an answer did not parse (never holds credentials). */
    public static final String ERROR = "error";
    public static final String FINISHED_AT = "finished_at";

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
    /** The most frequent choice and its share of the samples. */
    public static final String MODAL_CHOICE = "modal_choice";
    public static final String MODAL_SHARE = "modal_share";
  }


  // ---- segmentation: train-seg (CNN) and aggregate (LLM localisation) -----------------------------

  /** One row per run x fold x epoch of U-Net training; partitioned by run_id, fold. */
  public static final class SegHistory {
    private SegHistory() {}
    public static final String NAME = "seg_history";
    public static final String EPOCH = "epoch";
    /** Mean minibatch loss the workers reported while fitting the epoch. */
    public static final String FIT_LOSS = "fit_loss";
    /** Mean loss over the fold's validation patients after the epoch. */
    public static final String VAL_LOSS = "val_loss";
    /** Mean per-patient Dice on the validation patients, on the volume grid, per region. */
    public static final String VAL_DICE_WT = "val_dice_wt";
    public static final String VAL_DICE_TC = "val_dice_tc";
    public static final String VAL_DICE_ET = "val_dice_et";
    public static final String SECONDS = "seconds";
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    public static final String TRAIN_EXAMPLES = "train_examples";
  }

  /** One row per run x fold: the kept U-Net of the fold; partitioned by run_id, fold. */
  public static final class SegModels {
    private SegModels() {}
    public static final String NAME = "seg_models";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String EPOCHS = "epochs";
    /** Validation whole-tumour Dice of the kept epoch (the selection criterion). */
    public static final String VAL_DICE_WT = "val_dice_wt";
    /** '3d' (volumes) or '2d' (axial slices of the volumes). */
    public static final String DIMENSIONS = "dimensions";
    /** 'dice' or 'dice_bce'. */
    public static final String LOSS = "loss";
    public static final String MODEL_PATH = "model_path";
    public static final String TRAINING_MASTER = "training_master";
    public static final String BACKEND = "backend";
  }

  /**
   * One row per run x fold x patient scored by the fold's U-Net (validation and test patients): the
   * predicted regions on the volume grid, to map back to the original volume (overlays, rescoring);
   * partitioned by run_id, fold.
   */
  public static final class SegMasks {
    private SegMasks() {}
    public static final String NAME = "seg_masks";
    /** [D, H, W] of the volume grid (Volumes.SHAPE[1..3]). */
    public static final String SHAPE = "shape";
    /** uint8 per voxel, C-order over SHAPE: bit 0 whole tumour, bit 1 tumour core, bit 2 enhancing tumour. */
    public static final String MASK = "mask";
    /** Copied from volumes: where the grid lies in the original volume (RAS x, y, z voxels). */
    public static final String CROP_ORIGIN = "crop_origin";
    public static final String CROP_EXTENT = "crop_extent";
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
    /** 95th-percentile symmetric Hausdorff distance in mm (CNN) or pixels (LLM); null when a mask is empty. */
    public static final String HD95 = "hd95";
    public static final String PRED_VOXELS = "pred_voxels";
    public static final String TRUE_VOXELS = "true_voxels";
    /** LLM rows: slices scored for the patient; their hit rate (centre) and mean distance to the centroid. */
    public static final String SLICES = "slices";
    public static final String HIT_RATE = "hit_rate";
    public static final String MEAN_DISTANCE_PX = "mean_distance_px";
    /** What the masks compared against are: 'synthetic_phantom' (exact) or 'brats_consensus' (annotators' consensus, not ground truth). */
    public static final String REFERENCE = "reference";
    public static final String REFERENCE_PHANTOM = "synthetic_phantom";
    public static final String REFERENCE_CONSENSUS = "brats_consensus";
    public static final String MODEL_CNN_SEG = "cnn_seg";
    public static final String REGION_WT = "WT";
    public static final String REGION_TC = "TC";
    public static final String REGION_ET = "ET";
    public static final String REGION_BOX = "box";
    public static final String REGION_POLYGON = "polygon";
    public static final String REGION_CENTRE = "centre";
    public static final String[] PARTITION_COLUMNS = {RUN_ID, MODEL};
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
    /** Box/polygon rasterised at the slice's resolution, against the mask (null for centre answers). */
    public static final String DICE = "dice";
    /** The predicted point (centre answers) or shape's centre lies inside the mask. */
    public static final String HIT = "hit";
    public static final String PRED_X = "pred_x";
    public static final String PRED_Y = "pred_y";
    public static final String TRUE_X = "true_x";
    public static final String TRUE_Y = "true_y";
    /** Distance from the predicted centre to the mask's centroid. */
    public static final String DISTANCE_PX = "distance_px";
    /** Distance from the predicted centre to the image centre, and from the mask's centroid to it. */
    public static final String PRED_TO_IMAGE_CENTRE_PX = "pred_to_image_centre_px";
    public static final String TRUE_TO_IMAGE_CENTRE_PX = "true_to_image_centre_px";
    public static final String PRED_PIXELS = "pred_pixels";
    public static final String TRUE_PIXELS = "true_pixels";
    public static final String BASELINE_ARM = "baseline_image_centre";
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
    /** Pearson correlation of predicted and true centre coordinates (x and y); near 0 without localisation skill. */
    public static final String CORR_X = "corr_x";
    public static final String CORR_Y = "corr_y";
    /** The baseline's mean distance to the centroid on the same slices. */
    public static final String BASELINE_DISTANCE_PX = "baseline_distance_px";
    /** 'centre_biased', 'localises' or 'inconclusive' (rule in docs/segmentation.md). */
    public static final String VERDICT = "verdict";
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
     * arm x plane x patient; model = the arm name), beside the CNN's rows.
     */
    public static final class LlmVotes {
      private LlmVotes() {}
      public static final String N_LGG = "n_lgg";
      public static final String N_HGG = "n_hgg";
      public static final String N_NONE = "n_none";
      public static final String N_UNPARSEABLE = "n_unparseable";
      /** Calls that never got an answer (http_error, timeout, ...): not part of the tally. */
      public static final String N_FAILED = "n_failed";
      /** The winner-takes-all vote: 'LGG', 'HGG', 'none', 'unparseable' or 'no_answer'. */
      public static final String VOTE = "vote";
      public static final String GLDR = "gldr";
      public static final String MEAN_P_HGG = "mean_p_hgg";
      /** What score holds: 'gldr' or 'mean_p_hgg'. Also a metrics column (the CNN: 'p_hgg'). */
      public static final String SCORE_SOURCE = "score_source";
      /** The served model name(s) behind an LLM arm. */
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
    }

    /** Mean and SD of each metric over the folds of the cv cohort (and of the CNN's per-fold test rows). */
    public static final class MetricsAcrossFolds {
      private MetricsAcrossFolds() {}
      public static final String NAME = "metrics_across_folds";
      public static final String MEAN = "mean";
      public static final String SD = "sd";
      public static final String FOLDS = "folds";
      public static final String COUNTED = "counted";
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
      /** cnn_ensemble, cnn_selected, llm or baseline. */
      public static final String ROLE = "role";
      /** How a reader names the row, e.g. "general, axial plane". */
      public static final String LABEL = "label";
      /** What the row is made of: the folds and threshold rule, the selected fold and why, the score. */
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
      public static final String TP = "tp";
      public static final String FP = "fp";
      public static final String TN = "tn";
      public static final String FN = "fn";
      public static final String SCORE_SOURCE = "score_source";
      /** The model the p-values compare this row with (the reference row has none). */
      public static final String VERSUS = "versus";
      public static final String MCNEMAR_P = "mcnemar_p";
      public static final String DELONG_P = "delong_p";
      /** The answer in one quotable sentence (the same on every row of a run). */
      public static final String FINDING = "finding";
      public static final String ROLE_ENSEMBLE = "cnn_ensemble";
      public static final String ROLE_SELECTED = "cnn_selected";
      public static final String ROLE_LLM = "llm";
      public static final String ROLE_BASELINE = "baseline";
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
    }
  }



}
