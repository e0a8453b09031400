package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.jobs.SparkTables;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.udf.fanout.CallRecord;

/** The llm_calls table ({@link LlmCalls#TABLE}): rows from call records (via the journal's JSON), and its latest view. */
public final class LlmCallsTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LlmCallsTable() {}

  /** One JSON line of the journal (field names are the table's columns). */
  static String toJson(CallRecord r, String runId) {
    ObjectNode n = JSON.createObjectNode();
    n.put(LlmCalls.CALL_KEY, r.callKey());
    n.put(Tables.RUN_ID, runId);
    n.put(LlmCalls.ARM, r.arm());
    n.put(LlmCalls.SIMULATED, r.simulated());
    n.put(LlmCalls.ENDPOINT, r.endpoint());
    n.put(LlmCalls.MODEL, r.model());
    n.put(LlmCalls.SERVER_MODEL, r.serverModel());
    n.put(LlmCalls.PROMPT_VERSION, r.promptVersion());
    n.put(Tables.PATIENT_ID, r.patientId());
    n.put(Tables.LABEL, r.label());
    n.put(Tables.COHORT, r.cohort());
    n.put(Tables.FOLD, r.fold());
    n.put(Tables.PLANE, r.plane());
    n.put(Tables.SLICE_INDEX, r.sliceIndex());
    n.put(LlmCalls.SAMPLE, r.sample());
    n.put(LlmCalls.STATUS, r.status());
    n.put(LlmCalls.ATTEMPTS, r.attempts());
    n.put(LlmCalls.HTTP_STATUS, r.httpStatus());
    n.put(LlmCalls.LATENCY_MS, r.latencyMs());
    n.put(LlmCalls.RAW_TEXT, r.rawText());
    n.put(LlmCalls.CHOICE, r.choice());
    n.put(LlmCalls.STRICT_FORMAT, r.strictFormat());
    n.put(LlmCalls.P_HGG, r.pHgg());
    n.put(LlmCalls.LOGPROBS_RETURNED, r.logprobsReturned());
    n.put(LlmCalls.LOCATION_KIND, r.locationKind());
    if (r.location() != null) {
      ArrayNode a = n.putArray(LlmCalls.LOCATION);
      for (double v : r.location()) {
        a.add(v);
      }
    }
    n.put(LlmCalls.ERROR, r.error());
    n.put(LlmCalls.FINISHED_AT, r.finishedAtMillis());
    return n.toString();
  }

  /** A row of the table from a journal line; IOException for a torn (half-written) line. */
  static Row fromJson(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    if (n == null || !n.has(LlmCalls.FINISHED_AT)) {
      throw new IOException("incomplete journal line");
    }
    SparkTables.RowBuilder row = SparkTables.row(LlmCalls.TABLE);
    for (TableSpec.Column c : LlmCalls.TABLE.columns()) {
      JsonNode f = n.get(c.name());
      row.set(c.name(), f == null || f.isNull() ? null : value(c, f));
    }
    return row.build();
  }

  private static Object value(TableSpec.Column c, JsonNode f) {
    switch (c.type()) {
      case INT: return f.asInt();
      case LONG: return f.asLong();
      case DOUBLE: return f.asDouble();
      case BOOLEAN: return f.asBoolean();
      case TIMESTAMP: return new Timestamp(f.asLong());
      case DOUBLE_ARRAY: {
        double[] d = new double[f.size()];
        for (int j = 0; j < d.length; j++) {
          d[j] = f.get(j).asDouble();
        }
        return d;
      }
      default: return f.asText();
    }
  }

  /** Only the columns other stages read from a record (the bench and SQL functions return these). */
  static Row toRow(CallRecord r, String runId) {
    try {
      return fromJson(toJson(r, runId));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean isTerminal(String status) {
    return LlmCalls.STATUS_OK.equals(status) || LlmCalls.STATUS_PARSE_ERROR.equals(status);
  }

  /**
   * One row per (run_id, arm, call_key): the terminal row if there is one, else the latest. Reruns append
   * new rows for calls that failed, and a crash between writing the table and clearing the journal can
   * leave a call twice; readers go through this view.
   */
  public static Dataset<Row> latest(Dataset<Row> calls) {
    return calls
        .withColumn("_terminal", when(col(LlmCalls.STATUS).isin(LlmCalls.STATUS_OK, LlmCalls.STATUS_PARSE_ERROR), 1).otherwise(0))
        .withColumn("_rank", row_number().over(Window.partitionBy(Tables.RUN_ID, LlmCalls.ARM, LlmCalls.CALL_KEY)
            .orderBy(desc("_terminal"), desc(LlmCalls.FINISHED_AT))))
        .where(col("_rank").equalTo(1))
        .drop("_terminal", "_rank");
  }

  /** The latest rows of one run (empty when the table does not exist yet). */
  public static Dataset<Row> latestOfRun(Warehouse warehouse, String runId) {
    if (!warehouse.exists(LlmCalls.NAME)) {
      return SparkTables.frame(warehouse.spark(), LlmCalls.TABLE, java.util.List.of());
    }
    return latest(warehouse.read(LlmCalls.NAME).where(col(Tables.RUN_ID).equalTo(runId)));
  }
}
