package org.gliomabench.jobs.results;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Results.Comparisons;
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
