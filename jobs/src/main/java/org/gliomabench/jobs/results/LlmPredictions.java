package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM arms' predictions rows of one run: llm_calls of the run, deduplicated, tallied and voted by
 * the queries llm_calls_latest.sql, llm_tally.sql and llm_votes.sql, joined to patients for the true
 * label, cohort and fold, in the columns of {@link Predictions#LLM_ROWS}.
 */
public final class LlmPredictions {
  private static final Logger LOG = LoggerFactory.getLogger(LlmPredictions.class);
  static final String CALLS_VIEW = "llm_calls_of_run";
  static final String LATEST_VIEW = "llm_calls_latest";
  static final String TALLY_VIEW = "llm_tally";
  static final String PATIENTS_VIEW = "patients";

  private final Warehouse warehouse;
  private final VoteRule voteRule;
  private final String llmScore;

  /** @param llmScore gldr, mean_p_hgg or auto */
  public LlmPredictions(Warehouse warehouse, VoteRule voteRule, String llmScore) {
    if (!Arrays.asList("gldr", "mean_p_hgg", "auto").contains(llmScore)) {
      throw new IllegalArgumentException("aggregate.llm.score must be gldr, mean_p_hgg or auto, got '" + llmScore + "'");
    }
    this.warehouse = warehouse;
    this.voteRule = voteRule;
    this.llmScore = llmScore;
  }

  /** The rows, or null when the run made no LLM calls. */
  public Dataset<Row> of(String runId) {
    if (!warehouse.exists(LlmCalls.NAME)) {
      LOG.info("no llm_calls table: no LLM arm to aggregate");
      return null;
    }
    SparkSession spark = warehouse.spark();
    Dataset<Row> calls = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(LlmCalls.NAME));
    calls = calls.filter(col(Tables.RUN_ID).equalTo(runId));
    calls.select(
        col(LlmCalls.CALL_KEY), col(LlmCalls.ARM), col(Tables.PATIENT_ID), col(Tables.PLANE),
        col(Tables.SLICE_INDEX), optional(calls, LlmCalls.SAMPLE, DataTypes.IntegerType), col(LlmCalls.STATUS),
        col(LlmCalls.ATTEMPTS).cast(DataTypes.IntegerType).as(LlmCalls.ATTEMPTS),
        col(LlmCalls.CHOICE).cast(DataTypes.IntegerType).as(LlmCalls.CHOICE),
        optional(calls, LlmCalls.P_HGG, DataTypes.DoubleType),
        optional(calls, LlmCalls.MODEL, DataTypes.StringType),
        optional(calls, LlmCalls.PROMPT_VERSION, DataTypes.StringType),
        optional(calls, LlmCalls.SIMULATED, DataTypes.BooleanType),
        optional(calls, LlmCalls.FINISHED_AT, DataTypes.TimestampType))
        .createOrReplaceTempView(CALLS_VIEW);
    if (spark.table(CALLS_VIEW).isEmpty()) {
      LOG.info("llm_calls has no rows of run {}: no LLM arm to aggregate", runId);
      return null;
    }
    warehouse.read(Patients.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD))
        .createOrReplaceTempView(PATIENTS_VIEW);
    spark.sql(SqlQueries.load(SqlQueries.LLM_CALLS_LATEST, Map.of())).createOrReplaceTempView(LATEST_VIEW);
    spark.sql(SqlQueries.load(SqlQueries.LLM_TALLY, Map.of())).createOrReplaceTempView(TALLY_VIEW);
    Map<String, String> p = new HashMap<>(voteRule.sqlParameters());
    p.put("run_id", runId);
    p.put("llm_score", llmScore);
    Dataset<Row> rows = SparkTables.conform(spark.sql(SqlQueries.load(SqlQueries.LLM_VOTES, p)), Predictions.LLM_ROWS);
    long unknown = spark.table(TALLY_VIEW).join(spark.table(PATIENTS_VIEW),
        spark.table(TALLY_VIEW).col(Tables.PATIENT_ID).equalTo(spark.table(PATIENTS_VIEW).col(Tables.PATIENT_ID)),
        "left_anti").count();
    if (unknown > 0) {
      LOG.warn("{} patient x plane x arm tallies name patients missing from the patients table (no true label); "
          + "they are left out of predictions", unknown);
    }
    return rows;
  }

  private static Column optional(Dataset<Row> calls, String column, org.apache.spark.sql.types.DataType type) {
    boolean present = Arrays.asList(calls.columns()).contains(column);
    return (present ? col(column).cast(type) : lit(null).cast(type)).as(column);
  }
}
