package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CentreBias;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmLocalisation;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.MetricsAcrossFolds;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.jobs.results.ResultRows.AcrossFolds;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.MetricValue;

/** Spark schemas of the tables aggregate writes, and the conversions from {@link ResultRows}. */
public final class ResultSchemas {
  private ResultSchemas() {}

  public static final StructType METRICS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Predictions.MODEL, StringType, false)
      .add(Tables.PLANE, StringType, true)
      .add(Tables.COHORT, StringType, true)
      .add(Tables.FOLD, IntegerType, true)
      .add(Metrics.METRIC, StringType, false)
      .add(Metrics.VALUE, DoubleType, true)
      .add(Metrics.CI_LOW, DoubleType, true)
      .add(Metrics.CI_HIGH, DoubleType, true)
      .add(Metrics.N, IntegerType, false)
      .add(LlmVotes.SCORE_SOURCE, StringType, true);

  /** Predictions rows of cnn_ensemble and cnn_selected: the shared columns, the score source and the fold models. */
  public static final StructType CNN_TEST_PREDICTIONS = org.gliomabench.jobs.TableSchemas.PREDICTIONS
      .add(LlmVotes.SCORE_SOURCE, StringType, true)
      .add(Predictions.FOLD_MODELS, StringType, true);

  static List<Row> cnnTestRows(String runId, List<ResultRows.Prediction> rows, CnnTestModels.Result cnn) {
    String all = cnn.folds().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    return rows.stream().map(p -> RowFactory.create(runId, p.model(), null, p.cohort(), null, p.patientId(), p.label(),
        p.score(), p.pred(), p.threshold(), p.scoreSource(),
        Predictions.MODEL_CNN_ENSEMBLE.equals(p.model()) ? all : Integer.toString(cnn.selectedFold()))).toList();
  }

  public static final StructType ACROSS_FOLDS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Predictions.MODEL, StringType, false)
      .add(Tables.PLANE, StringType, true)
      .add(Tables.COHORT, StringType, true)
      .add(Metrics.METRIC, StringType, false)
      .add(MetricsAcrossFolds.MEAN, DoubleType, true)
      .add(MetricsAcrossFolds.SD, DoubleType, true)
      .add(MetricsAcrossFolds.FOLDS, IntegerType, false)
      .add(MetricsAcrossFolds.COUNTED, IntegerType, false);

  public static final StructType COMPARISONS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Tables.COHORT, StringType, true)
      .add(Tables.FOLD, IntegerType, true)
      .add(Comparisons.MODEL_A, StringType, false)
      .add(Comparisons.MODEL_B, StringType, false)
      .add(Comparisons.PLANE_B, StringType, true)
      .add(Comparisons.N, IntegerType, false)
      .add(Comparisons.BOTH_CORRECT, IntegerType, false)
      .add(Comparisons.ONLY_A_CORRECT, IntegerType, false)
      .add(Comparisons.ONLY_B_CORRECT, IntegerType, false)
      .add(Comparisons.BOTH_WRONG, IntegerType, false)
      .add(Comparisons.MCNEMAR_P, DoubleType, false)
      .add(Comparisons.AUC_A, DoubleType, true)
      .add(Comparisons.AUC_B, DoubleType, true)
      .add(Comparisons.AUC_DIFFERENCE, DoubleType, true)
      .add(Comparisons.DELONG_Z, DoubleType, true)
      .add(Comparisons.DELONG_P, DoubleType, true);

  /** llm_localisation: one row per run x arm x located slice call (and the baseline's rows); see Tables.LlmLocalisation. */
  public static final StructType LLM_LOCALISATION = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(LlmLocalisation.ARM, StringType, false)
      .add(LlmCalls.SIMULATED, BooleanType, true)
      .add(LlmCalls.MODEL, StringType, true)
      .add(LlmCalls.PROMPT_VERSION, StringType, true)
      .add(LlmCalls.CALL_KEY, StringType, true)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, true)
      .add(Tables.COHORT, StringType, true)
      .add(Tables.FOLD, IntegerType, true)
      .add(Tables.PLANE, StringType, false)
      .add(Tables.SLICE_INDEX, IntegerType, false)
      .add(Slices.WIDTH, IntegerType, false)
      .add(Slices.HEIGHT, IntegerType, false)
      .add(LlmLocalisation.LOCATION_KIND, StringType, false)
      .add(LlmLocalisation.DICE, DoubleType, true)
      .add(LlmLocalisation.HIT, BooleanType, false)
      .add(LlmLocalisation.PRED_X, DoubleType, false)
      .add(LlmLocalisation.PRED_Y, DoubleType, false)
      .add(LlmLocalisation.TRUE_X, DoubleType, false)
      .add(LlmLocalisation.TRUE_Y, DoubleType, false)
      .add(LlmLocalisation.DISTANCE_PX, DoubleType, false)
      .add(LlmLocalisation.PRED_TO_IMAGE_CENTRE_PX, DoubleType, false)
      .add(LlmLocalisation.TRUE_TO_IMAGE_CENTRE_PX, DoubleType, false)
      .add(LlmLocalisation.PRED_PIXELS, LongType, true)
      .add(LlmLocalisation.TRUE_PIXELS, LongType, false);

  /** llm_centre_bias: one row per run x arm x plane x location kind; see Tables.CentreBias. */
  public static final StructType CENTRE_BIAS = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(LlmLocalisation.ARM, StringType, false)
      .add(LlmCalls.SIMULATED, BooleanType, true)
      .add(Tables.PLANE, StringType, false)
      .add(LlmLocalisation.LOCATION_KIND, StringType, false)
      .add(CentreBias.N, LongType, false)
      .add(CentreBias.HIT_RATE, DoubleType, true)
      .add(CentreBias.MEAN_DICE, DoubleType, true)
      .add(CentreBias.MEAN_DISTANCE_PX, DoubleType, true)
      .add(CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX, DoubleType, true)
      .add(CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX, DoubleType, true)
      .add(CentreBias.CORR_X, DoubleType, true)
      .add(CentreBias.CORR_Y, DoubleType, true)
      .add(CentreBias.BASELINE_DISTANCE_PX, DoubleType, true)
      .add(CentreBias.VERDICT, StringType, false);

  /**
   * segmentation as aggregate writes it for the LLM arms and the baseline (partitions run_id x model; the
   * CNN's cnn_seg rows come from train-seg): hd95 is null here (a box from a chat answer has no contour
   * worth a Hausdorff distance), pred/true_voxels are pixel sums over the patient's scored slices.
   */
  public static final StructType SEGMENTATION = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Segmentation.MODEL, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, true)
      .add(Tables.COHORT, StringType, true)
      .add(Tables.FOLD, IntegerType, true)
      .add(Tables.PLANE, StringType, true)
      .add(Segmentation.REGION, StringType, false)
      .add(Segmentation.DICE, DoubleType, true)
      .add(Segmentation.HD95, DoubleType, true)
      .add(Segmentation.PRED_VOXELS, LongType, true)
      .add(Segmentation.TRUE_VOXELS, LongType, true)
      .add(Segmentation.SLICES, IntegerType, true)
      .add(Segmentation.HIT_RATE, DoubleType, true)
      .add(Segmentation.MEAN_DISTANCE_PX, DoubleType, true)
      .add(Segmentation.REFERENCE, StringType, true);

  /** The LLM arms' per-patient aggregate (columns arm, location_kind, ...) selected into {@link #SEGMENTATION}. */
  static Column[] segmentationColumns(String runId) {
    return new Column[] {lit(runId).as(Tables.RUN_ID), col(LlmLocalisation.ARM).as(Segmentation.MODEL),
        col(Tables.PATIENT_ID), col(Tables.LABEL).cast(IntegerType).as(Tables.LABEL), col(Tables.COHORT),
        col(Tables.FOLD).cast(IntegerType).as(Tables.FOLD), col(Tables.PLANE),
        col(LlmLocalisation.LOCATION_KIND).as(Segmentation.REGION), col(Segmentation.DICE),
        lit(null).cast(DoubleType).as(Segmentation.HD95), col(Segmentation.PRED_VOXELS).cast(LongType).as(Segmentation.PRED_VOXELS),
        col(Segmentation.TRUE_VOXELS).cast(LongType).as(Segmentation.TRUE_VOXELS), col(Segmentation.SLICES),
        col(Segmentation.HIT_RATE), col(Segmentation.MEAN_DISTANCE_PX),
        coalesce(col(Segmentation.REFERENCE), lit(Segmentation.REFERENCE_CONSENSUS)).as(Segmentation.REFERENCE)};
  }

  public static List<Row> metricRows(String runId, List<MetricValue> values) {
    return values.stream().map(m -> RowFactory.create(runId, m.group().model(), m.group().plane(), m.group().cohort(),
        m.group().fold(), m.metric(), m.value(), m.ciLow(), m.ciHigh(), m.n(), m.scoreSource())).toList();
  }

  public static List<Row> acrossFoldRows(String runId, List<AcrossFolds> values) {
    return values.stream().map(a -> RowFactory.create(runId, a.model(), a.plane(), a.cohort(), a.metric(), a.mean(),
        a.sd(), a.folds(), a.counted())).toList();
  }

  public static List<Row> comparisonRows(String runId, List<Comparison> values) {
    return values.stream().map(c -> RowFactory.create(runId, c.cohort(), c.fold(), c.modelA(), c.modelB(), c.planeB(),
        c.n(), c.bothCorrect(), c.onlyACorrect(), c.onlyBCorrect(), c.bothWrong(), c.mcnemarP(), c.aucA(), c.aucB(),
        c.aucDifference(), c.delongZ(), c.delongP())).toList();
  }
}
