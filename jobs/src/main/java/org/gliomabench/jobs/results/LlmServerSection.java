package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.gliomabench.jobs.warehouse.SparkTables.boolOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.intOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.string;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.udf.client.FailureReason;

/**
 * The report's "LLM servers" section: per arm, which server and model answered, the calls by status, whether the
 * logprobs behind P(HGG) came back (and so which score its AUC uses, per plane), and every distinct reason its
 * calls failed for, with what to change. Read from llm_calls (latest row per call) and predictions.
 */
final class LlmServerSection {
  private final ReportJob page;
  private final Warehouse warehouse;
  private final String runId;

  LlmServerSection(ReportJob page, Warehouse warehouse, String runId) {
    this.page = page;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  /** Per arm, what the section says; public to the package for tests. */
  record Arm(String name, String endpoint, String model, List<String> serverModels, boolean simulated,
      Map<String, Long> byStatus, long withLogprobs, long withoutLogprobs, Map<FailureReason, Long> reasons,
      Map<String, String> scoreByPlane) {

    boolean logprobsMissing() {
      return withLogprobs == 0 && withoutLogprobs > 0;
    }
  }

  void write() {
    List<Arm> arms = arms();
    if (arms.isEmpty()) {
      return;
    }
    StringBuilder html = page.html();
    page.section("LLM servers: answers, logprobs and failures per arm");
    html.append("<table><tr><th>arm</th><th>endpoint</th><th>model asked / served</th><th>calls by status</th>"
        + "<th>logprobs</th><th>AUC score per plane</th></tr>\n");
    for (Arm a : arms) {
      String logprobs = a.withLogprobs() + a.withoutLogprobs() == 0 ? "not asked for (llm.logprobs=false, or a server kind without them)"
          : a.logprobsMissing() ? "<b>asked for, none came back</b> (" + a.withoutLogprobs() + " answers)"
          : a.withLogprobs() + " answers with, " + a.withoutLogprobs() + " without";
      StringBuilder scores = new StringBuilder();
      a.scoreByPlane().forEach((plane, source) -> scores.append(scores.length() == 0 ? "" : ", ").append(ReportJob.esc(plane))
          .append(": ").append(ReportJob.esc(source.equals("mean_p_hgg") ? "P(HGG)" : source.toUpperCase(java.util.Locale.ROOT))));
      html.append("<tr><td>").append(page.armLabelHtml(a.name())).append("</td><td>").append(ReportJob.esc(a.endpoint()))
          .append("</td><td>").append(ReportJob.esc(a.model())).append(" / ").append(ReportJob.esc(String.join(", ", a.serverModels())))
          .append("</td><td>").append(ReportJob.esc(a.byStatus())).append("</td><td>").append(logprobs).append("</td><td>")
          .append(scores.length() == 0 ? "no classify votes" : scores).append("</td></tr>\n");
    }
    html.append("</table>\n");
    for (Arm a : arms) {
      if (a.logprobsMissing()) {
        html.append("<p>Arm <b>").append(ReportJob.esc(a.name())).append("</b>: token logprobs were asked for, but none of its ")
            .append(a.withoutLogprobs()).append(" answers carried any (the server ignores the field), so p_hgg is empty and its"
                + " AUC uses GLDR (HGG / (HGG + LGG) slices), not P(HGG).</p>\n");
      }
    }
    boolean anyFailure = arms.stream().anyMatch(a -> !a.reasons().isEmpty());
    if (!anyFailure) {
      html.append("<p>No call failed.</p>\n");
      return;
    }
    html.append("<h3>Why calls failed</h3>\n<table><tr><th>arm</th><th>calls</th><th>reason (status: the server's message)</th>"
        + "<th>retried</th><th>what to change</th></tr>\n");
    for (Arm a : arms) {
      a.reasons().forEach((r, n) -> html.append("<tr><td>").append(ReportJob.esc(a.name())).append("</td><td>").append(n)
          .append("</td><td style=\"text-align:left\">").append(ReportJob.esc(r.label())).append("</td><td>")
          .append(r.permanent() ? "no (a client error)" : "yes, and a rerun retries").append("</td><td style=\"text-align:left\">")
          .append(ReportJob.esc(r.advice(a.model(), a.endpoint()))).append("</td></tr>\n"));
    }
    html.append("</table>\n");
  }

  /** The arms of the run's llm_calls, with what the section shows. */
  List<Arm> arms() {
    if (!warehouse.exists(LlmCalls.NAME)) {
      return List.of();
    }
    Dataset<Row> all = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(LlmCalls.NAME));
    if (!Arrays.asList(all.columns()).contains(Tables.RUN_ID)) {
      return List.of();
    }
    Dataset<Row> calls = LlmCallsView.latest(all.where(col(Tables.RUN_ID).equalTo(runId)));
    // Older call logs lack some columns: read them as null.
    List<Row> rows = calls.select(col(LlmCalls.ARM), optional(calls, LlmCalls.ENDPOINT, "string"),
        optional(calls, LlmCalls.MODEL, "string"), optional(calls, LlmCalls.SERVER_MODEL, "string"),
        optional(calls, LlmCalls.SIMULATED, "boolean"), col(LlmCalls.STATUS), optional(calls, LlmCalls.HTTP_STATUS, "int"),
        optional(calls, LlmCalls.ERROR, "string"), optional(calls, LlmCalls.LOGPROBS_RETURNED, "boolean")).collectAsList();
    Map<String, List<Row>> byArm = new TreeMap<>();
    rows.forEach(r -> byArm.computeIfAbsent(string(r, LlmCalls.ARM), k -> new ArrayList<>()).add(r));
    Map<String, Map<String, String>> scores = scoreSources();
    List<Arm> out = new ArrayList<>();
    byArm.forEach((arm, rs) -> {
      Map<String, Long> status = new TreeMap<>();
      Map<FailureReason, Long> reasons = new LinkedHashMap<>();
      long with = 0;
      long without = 0;
      List<String> served = new ArrayList<>();
      for (Row r : rs) {
        String s = string(r, LlmCalls.STATUS);
        status.merge(s, 1L, Long::sum);
        if (!LlmCalls.STATUS_OK.equals(s) && !LlmCalls.STATUS_PARSE_ERROR.equals(s)) {
          reasons.merge(FailureReason.of(s, intOrNull(r, LlmCalls.HTTP_STATUS), string(r, LlmCalls.ERROR)), 1L, Long::sum);
        }
        Boolean logprobs = boolOrNull(r, LlmCalls.LOGPROBS_RETURNED);
        if (logprobs != null) {
          if (logprobs) {
            with++;
          } else {
            without++;
          }
        }
        String serverModel = string(r, LlmCalls.SERVER_MODEL);
        if (serverModel != null && !served.contains(serverModel)) {
          served.add(serverModel);
        }
      }
      Map<FailureReason, Long> sorted = new LinkedHashMap<>();
      reasons.entrySet().stream().sorted(Map.Entry.<FailureReason, Long>comparingByValue().reversed())
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      Row first = rs.get(0);
      out.add(new Arm(arm, Objects.toString(string(first, LlmCalls.ENDPOINT), ""),
          Objects.toString(string(first, LlmCalls.MODEL), arm), served,
          Boolean.TRUE.equals(boolOrNull(first, LlmCalls.SIMULATED)), status, with, without, sorted,
          scores.getOrDefault(arm, Map.of())));
    });
    return out;
  }

  private static org.apache.spark.sql.Column optional(Dataset<Row> d, String column, String type) {
    return (Arrays.asList(d.columns()).contains(column) ? col(column).cast(type) : lit(null).cast(type)).as(column);
  }

  /** Per arm and plane, the score its AUC used (score_source of its predictions rows). */
  private Map<String, Map<String, String>> scoreSources() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    if (!warehouse.exists(Predictions.NAME)) {
      return out;
    }
    Dataset<Row> p = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(Predictions.NAME))
        .where(col(Tables.RUN_ID).equalTo(runId));
    if (!Arrays.asList(p.columns()).contains(LlmVotes.SCORE_SOURCE)) {
      return out;
    }
    for (Row r : p.where(col(LlmVotes.SCORE_SOURCE).isNotNull().and(col(Tables.PLANE).isNotNull()))
        .select(Predictions.MODEL, Tables.PLANE, LlmVotes.SCORE_SOURCE).distinct().collectAsList()) {
      out.computeIfAbsent(string(r, Predictions.MODEL), k -> new TreeMap<>())
          .put(string(r, Tables.PLANE), string(r, LlmVotes.SCORE_SOURCE));
    }
    return out;
  }
}
