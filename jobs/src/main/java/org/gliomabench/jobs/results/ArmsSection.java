package org.gliomabench.jobs.results;

import static org.gliomabench.jobs.warehouse.SparkTables.doubleOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.intValue;
import static org.gliomabench.jobs.warehouse.SparkTables.list;
import static org.gliomabench.jobs.warehouse.SparkTables.longValue;
import static org.gliomabench.jobs.warehouse.SparkTables.string;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmArmPlans;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.Results.ConsistencyByGrade;
import org.gliomabench.core.Tables.Results.ModelOrInput;
import org.gliomabench.core.metrics.Metric;

/**
 * The report's answer to "is it the model or its input?": every LLM arm against the general arm (same plane) and the
 * CNN fold ensemble on the same test patients (model_or_input), whether a CNN-informed arm adds to the CNN or only
 * follows it, what each arm showed and sent (llm_arm_plans), and the stratified consistency test per grade beside the
 * study's own figures (llm_consistency_grades).
 */
final class ArmsSection {
  private final ReportJob page;

  ArmsSection(ReportJob page) {
    this.page = page;
  }

  void write() {
    List<ModelOrInputTable.ArmRow> rows = ModelOrInputTable.fromTable(page.runRows(ModelOrInput.NAME));
    List<Row> plans = page.runRows(LlmArmPlans.NAME);
    if (rows.isEmpty() && plans.isEmpty()) {
      return;
    }
    StringBuilder html = page.html();
    page.section("Model or input? Each LLM arm against the general arm and the CNN");
    if (!rows.isEmpty()) {
      html.append("<table id=\"model-or-input\"><tr><th>arm, plane (what it is shown)</th><th>n</th><th>accuracy</th>"
          + "<th>specificity</th><th>balanced accuracy</th><th>AUC</th><th>vs general: balanced accuracy difference (p)</th>"
          + "<th>vs CNN fold ensemble</th><th>agrees with the CNN</th></tr>\n");
      for (ModelOrInputTable.ArmRow r : rows) {
        html.append("<tr><td class=\"name\">").append(ReportJob.esc(ModelOrInputTable.label(r)))
            .append(r.simulated() ? " <span class=\"sim\">" + ReportJob.SIMULATED + "</span>" : "").append("</td><td>")
            .append(r.n()).append("</td>");
        for (Metric m : HeadlineTable.METRICS) {
          html.append("<td>").append(MetricsTable.withInterval(r.metrics().get(m.id()))).append("</td>");
        }
        html.append("<td>").append(ReportJob.esc(ModelOrInputTable.versus(r.vsGeneral()))).append("</td><td>")
            .append(ReportJob.esc(ModelOrInputTable.versus(r.vsCnn()))).append("</td><td>")
            .append(ReportJob.esc(ModelOrInputTable.agreement(r))).append("</td></tr>\n");
      }
      html.append("</table>\n<p class=\"note\">Held-out test cohort; values with 95 % bootstrap intervals. Differences are"
          + " this row's balanced accuracy minus the other's on the patients both answered, with McNemar's exact test and"
          + " DeLong's test on the same patients. An arm is a prompt plus what it is shown: the FLAIR slice (the study),"
          + " the four modalities as one montage, labelled examples (random, or nearest by the CNN's learned features), or"
          + " the U-Net's outline and the CNN's score.</p>\n");
      for (String f : ModelOrInputTable.cnnInformedFindings(rows)) {
        html.append("<p>").append(ReportJob.esc(f)).append("</p>\n");
      }
    }
    if (!plans.isEmpty()) {
      page.openDetails("What each arm was shown and sent (llm_arm_plans)");
      html.append("<table><tr><th>arm</th><th>prompt</th><th>shown</th><th>examples</th><th>requests</th><th>images</th>"
          + "<th>patients</th><th>skipped patients, why</th></tr>\n");
      plans.sort(Comparator.comparing(r -> string(r, LlmCalls.ARM)));
      for (Row p : plans) {
        List<String> why = list(p, LlmArmPlans.SKIPPED_REASONS);
        int k = intValue(p, LlmArmPlans.EXAMPLES_PER_CALL);
        html.append("<tr><td class=\"name\">").append(page.armLabelHtml(string(p, LlmCalls.ARM))).append("</td><td>")
            .append(ReportJob.esc(string(p, LlmCalls.PROMPT_VERSION))).append("</td><td>")
            .append(ReportJob.esc(string(p, LlmArmPlans.SHOWN))).append("</td><td>")
            .append(k == 0 ? "" : k + " (" + ReportJob.esc(string(p, LlmArmPlans.EXAMPLE_SELECTION)) + ", "
                + ReportJob.esc(string(p, LlmArmPlans.LAYOUT)) + ")").append("</td><td>")
            .append(longValue(p, LlmArmPlans.REQUESTS)).append("</td><td>").append(longValue(p, LlmArmPlans.IMAGES))
            .append("</td><td>").append(intValue(p, LlmArmPlans.PATIENTS)).append("</td><td>")
            .append(intValue(p, LlmArmPlans.SKIPPED_PATIENTS))
            .append(why == null || why.isEmpty() ? "" : ": " + ReportJob.esc(String.join("; ", why))).append("</td></tr>\n");
      }
      html.append("</table>\n");
      page.closeDetails();
    }
    consistencyByGrade();
  }

  /** The stratified consistency test: per arm, plane and grade, beside the study's one slice per grade. */
  private void consistencyByGrade() {
    List<Row> grades = page.runRows(ConsistencyByGrade.NAME);
    if (grades.isEmpty()) {
      return;
    }
    StringBuilder html = page.html();
    html.append("<h3>Consistency per grade: the same slice and prompt asked repeatedly, over several patients</h3>\n")
        .append("<table id=\"consistency-grades\"><tr><th>arm</th><th>plane</th><th>grade</th><th>slices</th>"
            + "<th>answers LGG / HGG / none / unparsed / failed</th><th>majority share, mean over slices (95 % CI)</th>"
            + "<th>answers naming the true grade</th><th>the study (one slice)</th></tr>\n");
    grades.sort(Comparator.comparing((Row r) -> string(r, LlmCalls.ARM)).thenComparing(r -> string(r, Tables.PLANE))
        .thenComparing(r -> -intValue(r, Tables.LABEL)));
    for (Row r : grades) {
      Double mean = doubleOrNull(r, ConsistencyByGrade.MEAN_MODAL_SHARE);
      Double lo = doubleOrNull(r, ConsistencyByGrade.CI_LOW);
      Double hi = doubleOrNull(r, ConsistencyByGrade.CI_HIGH);
      Double correct = doubleOrNull(r, ConsistencyByGrade.CORRECT_SHARE);
      boolean hgg = intValue(r, Tables.LABEL) == 1;
      html.append("<tr><td class=\"name\">").append(page.armLabelHtml(string(r, LlmCalls.ARM))).append("</td><td>")
          .append(ReportJob.esc(string(r, Tables.PLANE))).append("</td><td>").append(ReportJob.esc(string(r, ConsistencyByGrade.GRADE)))
          .append("</td><td>").append(intValue(r, ConsistencyByGrade.SLICES)).append("</td><td>")
          .append(longValue(r, LlmConsistency.N_LGG)).append(" / ").append(longValue(r, LlmConsistency.N_HGG)).append(" / ")
          .append(longValue(r, LlmConsistency.N_NO_GLIOMA)).append(" / ").append(longValue(r, LlmConsistency.N_PARSE_ERROR))
          .append(" / ").append(longValue(r, LlmConsistency.N_FAILED)).append("</td><td>")
          .append(mean == null ? "n/a" : String.format(Locale.ROOT, "%.2f", mean))
          .append(lo == null ? "" : String.format(Locale.ROOT, " (%.2f\u2013%.2f)", lo, hi)).append("</td><td>")
          .append(correct == null ? "n/a" : String.format(Locale.ROOT, "%.2f", correct)).append("</td><td>")
          .append(hgg ? "95 of 95 alike (1.00)" : "split 77 / 18 of 95 (0.81)").append("</td></tr>\n");
    }
    html.append("</table>\n<p class=\"note\">Each grade's slices come from different patients (llm.consistency.slices per"
        + " grade, seeded); the interval resamples the slices. The study asked one slice of each grade 95 times.</p>\n");
  }
}
