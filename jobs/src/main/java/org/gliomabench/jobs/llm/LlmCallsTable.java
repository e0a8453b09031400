package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.sql.Timestamp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.udf.fanout.CallRecord;

/** The llm_calls table's rows from call records (via the journal's JSON); readers go through jobs.LlmCallsView. */
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
    ArrayNode examples = n.putArray(LlmCalls.EXAMPLES);
    (r.examples() == null ? java.util.List.<String>of() : r.examples()).forEach(examples::add);
    n.put(LlmCalls.IMAGES, r.images());
    n.put(LlmCalls.STATED_P_HGG, r.statedPHgg());
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
      case STRING_ARRAY: {
        String[] a = new String[f.size()];
        for (int j = 0; j < a.length; j++) {
          a[j] = f.get(j).asText();
        }
        return java.util.Arrays.asList(a);
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
}
