package org.gliomabench.jobs.seg;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.SegHistory;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.Tables.SegModels;
import org.gliomabench.core.Tables.Segmentation;

/** Spark schemas of the segmentation tables, from the names in {@link Tables}. */
public final class SegSchemas {
  private SegSchemas() {}

  public static final StructType SEG_HISTORY = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.FOLD, IntegerType, false)
      .add(SegHistory.EPOCH, IntegerType, false)
      .add(SegHistory.FIT_LOSS, DoubleType, true)
      .add(SegHistory.VAL_LOSS, DoubleType, true)
      .add(SegHistory.VAL_DICE_WT, DoubleType, true)
      .add(SegHistory.VAL_DICE_TC, DoubleType, true)
      .add(SegHistory.VAL_DICE_ET, DoubleType, true)
      .add(SegHistory.SECONDS, DoubleType, false)
      .add(SegHistory.EXAMPLES_PER_SECOND, DoubleType, true)
      .add(SegHistory.TRAIN_EXAMPLES, LongType, false);

  public static final StructType SEG_MODELS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.FOLD, IntegerType, false)
      .add(SegModels.BEST_EPOCH, IntegerType, false)
      .add(SegModels.EPOCHS, IntegerType, false)
      .add(SegModels.VAL_DICE_WT, DoubleType, true)
      .add(SegModels.DIMENSIONS, StringType, false)
      .add(SegModels.LOSS, StringType, false)
      .add(SegModels.MODEL_PATH, StringType, false)
      .add(SegModels.TRAINING_MASTER, StringType, false)
      .add(SegModels.BACKEND, StringType, false);

  public static final StructType SEG_MASKS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.FOLD, IntegerType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.COHORT, StringType, false)
      .add(SegMasks.SHAPE, createArrayType(IntegerType, false), false)
      .add(SegMasks.MASK, BinaryType, false)
      .add(SegMasks.CROP_ORIGIN, createArrayType(IntegerType, false), false)
      .add(SegMasks.CROP_EXTENT, createArrayType(IntegerType, false), false);
}
