package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables;

/**
 * How every reader sees the llm_calls table (llm-slices, the results stages, the benchmarks): one row per call,
 * shared here as stage packages do not import each other.
 */
public final class LlmCallsView {
  private LlmCallsView() {}

  public static boolean isTerminal(String status) {
    return LlmCalls.STATUS_OK.equals(status) || LlmCalls.STATUS_PARSE_ERROR.equals(status);
  }

  /**
   * One row per (run_id, arm, call_key): the terminal row if there is one, else the latest. Reruns append
   * new rows for calls that failed, and a crash between writing the table and clearing the journal can
   * leave a call twice; readers go through this view. Tables written before finished_at order by attempts.
   */
  public static Dataset<Row> latest(Dataset<Row> calls) {
    String newest = Arrays.asList(calls.columns()).contains(LlmCalls.FINISHED_AT) ? LlmCalls.FINISHED_AT : LlmCalls.ATTEMPTS;
    return calls
        .withColumn("_terminal", when(col(LlmCalls.STATUS).isin(LlmCalls.STATUS_OK, LlmCalls.STATUS_PARSE_ERROR), 1).otherwise(0))
        .withColumn("_rank", row_number().over(Window.partitionBy(Tables.RUN_ID, LlmCalls.ARM, LlmCalls.CALL_KEY)
            .orderBy(desc("_terminal"), desc(newest))))
        .where(col("_rank").equalTo(1))
        .drop("_terminal", "_rank");
  }

  /** The latest rows of one run (empty when the table does not exist yet). */
  public static Dataset<Row> latestOfRun(Warehouse warehouse, String runId) {
    if (!warehouse.exists(LlmCalls.NAME)) {
      return SparkTables.frame(warehouse.spark(), LlmCalls.TABLE, List.of());
    }
    return latest(warehouse.read(LlmCalls.NAME).where(col(Tables.RUN_ID).equalTo(runId)));
  }
}
