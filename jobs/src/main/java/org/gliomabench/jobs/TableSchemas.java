package org.gliomabench.jobs;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.IngestErrors;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables.Volumes;

/** Spark schemas of the tables, built from the names in {@link Tables}. */
public final class TableSchemas {
  private TableSchemas() {}

  public static final StructType PATIENTS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Patients.GRADE, StringType, false)
      .add(Tables.LABEL, IntegerType, false)
      .add(Tables.COHORT, StringType, false)
      .add(Tables.FOLD, IntegerType, true)
      .add(Patients.SOURCE, StringType, false)
      .add(Patients.MODALITIES, createArrayType(StringType, false), false)
      .add(Patients.CNN_USABLE, BooleanType, false)
      .add(Patients.CNN_UNUSABLE_REASON, StringType, true)
      .add(Patients.SHAPE, createArrayType(IntegerType, false), false)
      .add(Patients.VOXEL_SIZE, createArrayType(DoubleType, false), false)
      .add(Patients.ORIENTATION, StringType, false)
      .add(Patients.BBOX_I0, IntegerType, false)
      .add(Patients.BBOX_I1, IntegerType, false)
      .add(Patients.BBOX_J0, IntegerType, false)
      .add(Patients.BBOX_J1, IntegerType, false)
      .add(Patients.BBOX_K0, IntegerType, false)
      .add(Patients.BBOX_K1, IntegerType, false)
      .add(Patients.AXIAL_FIRST, IntegerType, false)
      .add(Patients.AXIAL_LAST, IntegerType, false)
      .add(Patients.CORONAL_FIRST, IntegerType, false)
      .add(Patients.CORONAL_LAST, IntegerType, false)
      .add(Patients.SAGITTAL_FIRST, IntegerType, false)
      .add(Patients.SAGITTAL_LAST, IntegerType, false)
      .add(Patients.TUMOUR_VOXELS, LongType, false)
      .add(Patients.VOXELS_NCR, LongType, false)
      .add(Patients.VOXELS_ED, LongType, false)
      .add(Patients.VOXELS_ET, LongType, false)
      .add(Patients.LABEL_CONVENTION, StringType, false)
      .add(Patients.FINGERPRINT, StringType, false)
      .add(Patients.PREPROCESS_KEY, StringType, false)
      .add(Patients.SPLIT_KEY, StringType, false);

  public static final StructType VOLUMES = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, false)
      .add(Tables.COHORT, StringType, false)
      .add(Tables.FOLD, IntegerType, true)
      .add(Volumes.SHAPE, createArrayType(IntegerType, false), false)
      .add(Volumes.TENSOR, BinaryType, false)
      .add(Volumes.MASK, BinaryType, false)
      .add(Volumes.MODALITIES, createArrayType(StringType, false), false)
      .add(Volumes.CROP_ORIGIN, createArrayType(IntegerType, false), false)
      .add(Volumes.CROP_EXTENT, createArrayType(IntegerType, false), false)
      .add(Volumes.NORMALISATION, StringType, false);

  public static final StructType REFERENCE_MASKS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(ReferenceMasks.SHAPE, createArrayType(IntegerType, false), false)
      .add(ReferenceMasks.SPACING, createArrayType(DoubleType, false), false)
      .add(ReferenceMasks.ORIENTATION, StringType, false)
      .add(ReferenceMasks.REFERENCE, StringType, false)
      .add(ReferenceMasks.MASK_ENCODING, StringType, false)
      .add(ReferenceMasks.MASK, BinaryType, false);

  public static final StructType SLICES = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, false)
      .add(Tables.COHORT, StringType, false)
      .add(Tables.FOLD, IntegerType, true)
      .add(Tables.PLANE, StringType, false)
      .add(Tables.SLICE_INDEX, IntegerType, false)
      .add(Slices.IN_TUMOUR, BooleanType, false)
      .add(Slices.IN_BRAIN, BooleanType, false)
      .add(Slices.WIDTH, IntegerType, false)
      .add(Slices.HEIGHT, IntegerType, false)
      .add(Slices.FLAIR_PNG, BinaryType, false)
      .add(Slices.MASK_PNG, BinaryType, true)
      .add(Slices.TUMOUR_PIXELS, LongType, false)
      .add(Slices.MASK_X0, IntegerType, true)
      .add(Slices.MASK_Y0, IntegerType, true)
      .add(Slices.MASK_X1, IntegerType, true)
      .add(Slices.MASK_Y1, IntegerType, true);

  public static final StructType INGEST_ERRORS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(IngestErrors.SOURCE, StringType, false)
      .add(Tables.PATIENT_ID, StringType, true)
      .add(IngestErrors.KIND, StringType, false)
      .add(IngestErrors.MESSAGE, StringType, false)
      .add(IngestErrors.REJECTED, BooleanType, false);

  // ---- train-cnn ----------------------------------------------------------------------------------
  public static final StructType CNN_HISTORY = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.FOLD, IntegerType, false)
      .add(Tables.CnnHistory.EPOCH, IntegerType, false)
      .add(Tables.CnnHistory.FIT_LOSS, DoubleType, true)
      .add(Tables.CnnHistory.TRAIN_LOSS, DoubleType, true)
      .add(Tables.CnnHistory.TRAIN_ACCURACY, DoubleType, true)
      .add(Tables.CnnHistory.TRAIN_AUC, DoubleType, true)
      .add(Tables.CnnHistory.VAL_LOSS, DoubleType, true)
      .add(Tables.CnnHistory.VAL_ACCURACY, DoubleType, true)
      .add(Tables.CnnHistory.VAL_AUC, DoubleType, true)
      .add(Tables.CnnHistory.SECONDS, DoubleType, false)
      .add(Tables.CnnHistory.EXAMPLES_PER_SECOND, DoubleType, false)
      .add(Tables.CnnHistory.TRAIN_EXAMPLES, LongType, false);

  public static final StructType CNN_MODELS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.FOLD, IntegerType, false)
      .add(Tables.CnnModels.BEST_EPOCH, IntegerType, false)
      .add(Tables.CnnModels.CRITERION, StringType, false)
      .add(Tables.CnnModels.EPOCHS, IntegerType, false)
      .add(Tables.CnnModels.VAL_LOSS, DoubleType, true)
      .add(Tables.CnnModels.VAL_AUC, DoubleType, true)
      .add(Tables.CnnModels.THRESHOLD, DoubleType, false)
      .add(Tables.CnnModels.THRESHOLD_RULE, StringType, false)
      .add(Tables.CnnModels.MODEL_PATH, StringType, false)
      .add(Tables.CnnModels.TRAINING_MASTER, StringType, false)
      .add(Tables.CnnModels.BACKEND, StringType, false);

  /** Shared by every arm (see {@link Tables.Predictions}). */
  public static final StructType PREDICTIONS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.Predictions.MODEL, StringType, false)
      .add(Tables.PLANE, StringType, true)
      .add(Tables.COHORT, StringType, false)
      .add(Tables.FOLD, IntegerType, true)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, false)
      .add(Tables.Predictions.SCORE, DoubleType, true)
      .add(Tables.Predictions.PRED, IntegerType, true)
      .add(Tables.Predictions.THRESHOLD, DoubleType, true);
}
