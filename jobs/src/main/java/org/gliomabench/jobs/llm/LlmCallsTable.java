package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.udf.fanout.CallRecord;

/** The llm_calls table: its schema, rows from call records (via the journal's JSON), and its latest view. */
public final class LlmCallsTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LlmCallsTable() {}

  public static final StructType SCHEMA = new StructType()
      .add(LlmCalls.CALL_KEY, StringType, false)
      .add(Tables.RUN_ID, StringType, false)
      .add(LlmCalls.ARM, StringType, false)
      .add(LlmCalls.SIMULATED, BooleanType, false)
      .add(LlmCalls.ENDPOINT, StringType, true)
      .add(LlmCalls.MODEL, StringType, false)
      .add(LlmCalls.SERVER_MODEL, StringType, true)
      .add(LlmCalls.PROMPT_VERSION, StringType, false)
      .add(Tables.PATIENT_ID, StringType, false)
      .add(Tables.LABEL, IntegerType, true)
      .add(Tables.COHORT, StringType, true)
      .add(Tables.FOLD, IntegerType, true)
      .add(Tables.PLANE, StringType, false)
      .add(Tables.SLICE_INDEX, IntegerType, false)
      .add(LlmCalls.SAMPLE, IntegerType, false)
      .add(LlmCalls.STATUS, StringType, false)
      .add(LlmCalls.ATTEMPTS, IntegerType, false)
      .add(LlmCalls.HTTP_STATUS, IntegerType, true)
      .add(LlmCalls.LATENCY_MS, LongType, false)
      .add(LlmCalls.RAW_TEXT, StringType, true)
      .add(LlmCalls.CHOICE, IntegerType, true)
      .add(LlmCalls.STRICT_FORMAT, BooleanType, true)
      .add(LlmCalls.P_HGG, DoubleType, true)
      .add(LlmCalls.LOGPROBS_RETURNED, BooleanType, true)
      .add(LlmCalls.LOCATION_KIND, StringType, true)
      .add(LlmCalls.LOCATION, createArrayType(DoubleType, false), true)
      .add(LlmCalls.ERROR, StringType, true)
      .add(LlmCalls.FINISHED_AT, TimestampType, false);

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
    Object[] v = new Object[SCHEMA.size()];
    for (int i = 0; i < v.length; i++) {
      String name = SCHEMA.fields()[i].name();
      JsonNode f = n.get(name);
      if (f == null || f.isNull()) {
        v[i] = null;
      } else if (name.equals(LlmCalls.FINISHED_AT)) {
        v[i] = new Timestamp(f.asLong());
      } else if (name.equals(LlmCalls.LOCATION)) {
        double[] d = new double[f.size()];
        for (int j = 0; j < d.length; j++) {
          d[j] = f.get(j).asDouble();
        }
        v[i] = d;
      } else if (SCHEMA.fields()[i].dataType() == IntegerType) {
        v[i] = f.asInt();
      } else if (SCHEMA.fields()[i].dataType() == LongType) {
        v[i] = f.asLong();
      } else if (SCHEMA.fields()[i].dataType() == DoubleType) {
        v[i] = f.asDouble();
      } else if (SCHEMA.fields()[i].dataType() == BooleanType) {
        v[i] = f.asBoolean();
      } else {
        v[i] = f.asText();
      }
    }
    return new GenericRowWithSchema(v, SCHEMA);
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
      return warehouse.spark().createDataFrame(java.util.List.of(), SCHEMA);
    }
    return latest(warehouse.read(LlmCalls.NAME).where(col(Tables.RUN_ID).equalTo(runId)));
  }
}
