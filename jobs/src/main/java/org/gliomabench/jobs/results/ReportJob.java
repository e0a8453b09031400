package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CnnHistory;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.MetricsAcrossFolds;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.core.Tables.Runs;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.metrics.ConfusionCounts;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.HeadlineRow;
import org.gliomabench.jobs.results.ResultRows.MetricValue;
import org.gliomabench.jobs.results.ResultRows.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report} for one run: PNG charts, one HTML page that shows them with the metric tables, paired
 * tests and the run's configuration, and a Markdown summary, under {@code <warehouse>/reports/<run_id>/}.
 * Every arm whose name or served model contains "simulated" is marked SIMULATED wherever it appears.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  public static final String REPORTS = "reports";
  public static final String HTML = "index.html";
  public static final String MARKDOWN = "summary.md";
  static final String SIMULATED = "SIMULATED";

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;
  private final ReportCharts charts;
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final StringBuilder html = new StringBuilder();
  private Set<String> simulatedArms = new TreeSet<>();
  private boolean sectionOpen;

  public ReportJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
    int[] size = settings.getInts(ConfigKeys.REPORT_CHART_SIZE);
    this.charts = new ReportCharts(size[0], size[1]);
  }

  public record Summary(String directory, List<String> files, Set<String> simulatedArms) {}

  public Summary run() {
    AggregateJob aggregate = new AggregateJob(settings, warehouse, runId);
    if ((!warehouse.exists(Metrics.NAME) || runRows(Metrics.NAME).isEmpty()) && !aggregate.hasSegmentation()) {
      throw new IllegalStateException("no metrics of run " + runId + " in " + warehouse.path(Metrics.NAME)
          + ": run aggregate with --run-id " + runId + " first");
    }
    List<Row> predictionRows = runRows(Predictions.NAME);
    List<Prediction> predictions = aggregate.readPredictions();
    simulatedArms = aggregate.simulatedArms();
    List<MetricValue> metrics = readMetrics();

    List<HeadlineRow> headline = HeadlineTable.fromTable(runRows(Headline.NAME));
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>glioma-bench report ").append(esc(runId))
        .append("</title>\n<style>body{font-family:sans-serif;margin:1.2em 2em;max-width:1240px}table{border-collapse:collapse;"
            + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#eee}"
            + "td.name{text-align:left}tr.ref td{background:#f3f8ee}"
            + ".sim{color:#fff;background:#c0392b;padding:1px 6px;font-weight:bold;border-radius:3px}"
            + "img{max-width:100%;border:1px solid #ddd;margin:4px}pre{background:#f6f6f6;padding:8px;overflow:auto}"
            + ".finding{font-size:16px;line-height:1.4;border-left:4px solid #2471a3;padding:4px 12px;margin:8px 0;max-width:1180px}"
            + ".charts{display:flex;flex-wrap:wrap;align-items:flex-start;gap:4px}.cms{display:grid;"
            + "grid-template-columns:repeat(3,auto);gap:0}.cms img{margin:2px}.note{font-size:12px;color:#444;max-width:1180px}"
            + "details{margin:6px 0}summary{cursor:pointer;font-weight:bold;font-size:15px;padding:3px 0}"
            + "h1{margin:0.2em 0}h2{margin:0.8em 0 0.3em}"
            + "</style></head><body>\n");
    html.append("<h1>glioma-bench: HGG vs LGG, CNN vs vision LLM</h1>\n<p>Run <code>").append(esc(runId))
        .append("</code>. Warehouse <code>").append(esc(warehouse.root())).append("</code>.");
    if (!simulatedArms.isEmpty()) {
      html.append(" <span class=\"sim\">SIMULATED</span> LLM arm(s) ").append(esc(String.join(", ", simulatedArms)))
          .append(": answers from the simulated server, not a real vision LLM; their figures test the pipeline, not"
              + " the model.");
    }
    html.append("</p>\n");
    answer(headline, predictions, predictionRows);
    new ArmsSection(this).write();
    details(metrics, predictions, predictionRows);
    consistency();
    new LlmServerSection(this, warehouse, runId).write();
    new SegmentationSection(this, warehouse, runId, new SegmentationCharts(charts.width(), charts.height()),
        settings.getInt(ConfigKeys.REPORT_SEG_OVERLAYS), new CnnOverlayMasks(warehouse, runId)).write();
    new MultitaskSection(this).write();
    configuration();
    closeSection();
    html.append("</body></html>\n");

    String markdown = markdown(metrics, headline);
    files.put(HTML, html.toString().getBytes(StandardCharsets.UTF_8));
    files.put(MARKDOWN, markdown.getBytes(StandardCharsets.UTF_8));
    String dir = warehouse.root() + "/" + REPORTS + "/" + runId;
    write(dir);
    LOG.info("report {}: {} files under {}", runId, files.size(), dir);
    return new Summary(dir, new ArrayList<>(files.keySet()), simulatedArms);
  }

  // ---- sections -----------------------------------------------------------------------------------

  /**
   * The first screen: the one-sentence finding, the headline table (aggregate's headline rows) and the
   * charts that carry the answer: ROC of the CNN's answers against the LLM arms, GLDR per plane, and the
   * confusion matrices, all on the held-out test cohort.
   */
  private void answer(List<HeadlineRow> headline, List<Prediction> predictions, List<Row> predictionRows) {
    section("The answer: CNN vs vision LLM on the held-out test cohort");
    if (headline.isEmpty()) {
      html.append("<p>No headline for this run: no model was scored on a held-out test cohort, or aggregate predates"
          + " the headline table (rerun aggregate). The tables below hold every model, plane and fold.</p>\n");
      return;
    }
    List<Row> table = runRows(Headline.NAME);
    String finding = table.isEmpty() ? "" : table.get(0).getAs(Headline.FINDING);
    html.append("<p class=\"finding\" id=\"finding\">").append(esc(finding)).append("</p>\n");
    html.append("<table id=\"headline\"><tr><th>model (test cohort)</th><th>n</th><th>accuracy</th><th>specificity</th>"
        + "<th>balanced accuracy</th><th>AUC</th><th>McNemar p</th><th>DeLong p</th></tr>\n");
    for (HeadlineRow r : headline) {
      html.append(r.versus() == null && HeadlineTable.isCnnAnswer(r) ? "<tr class=\"ref\">" : "<tr>").append("<td class=\"name\">").append(esc(r.label()))
          .append(r.simulated() ? " <span class=\"sim\">" + SIMULATED + "</span>" : "").append("</td><td>").append(r.n())
          .append("</td>");
      HeadlineTable.METRICS.forEach(m -> html.append("<td>").append(MetricsTable.withInterval(r.metrics().get(m.id())))
          .append("</td>"));
      html.append("<td>").append(r.versus() == null ? "" : HeadlineTable.p(r.mcnemarP())).append("</td><td>")
          .append(r.versus() == null ? "" : HeadlineTable.p(r.delongP())).append("</td></tr>\n");
    }
    html.append("</table>\n<p class=\"note\">Values with 95 % bootstrap intervals (patients resampled). p-values: paired"
        + " tests on the same patients against the CNN fold ensemble, McNemar's exact test on the errors and DeLong's"
        + " test on the AUC (undefined, n/a, when a class has fewer than two patients). ");
    // The LLM rows share their detail but for the score: one line per distinct detail, naming the arms.
    Map<String, Set<String>> llmDetails = new LinkedHashMap<>();
    for (HeadlineRow r : headline) {
      if (r.detail() == null) {
        continue;
      }
      if (Headline.ROLE_LLM.equals(r.role())) {
        llmDetails.computeIfAbsent(r.detail(), d -> new TreeSet<>()).add(r.model());
      } else {
        html.append("<b>").append(esc(r.label())).append("</b>: ").append(esc(r.detail())).append(". ");
      }
    }
    llmDetails.forEach((detail, arms) -> html.append("<b>").append(llmDetails.size() == 1 ? "LLM arms"
        : "LLM arms " + esc(String.join(", ", arms))).append("</b>: ").append(esc(detail)).append(". "));
    html.append("</p>\n<div class=\"charts\">\n");
    answerRoc(headline, predictions);
    answerGldr(headline, predictionRows);
    html.append("<div class=\"cms\">\n");
    for (HeadlineRow r : headline) {
      ConfusionCounts c = new ConfusionCounts(count(r, "tp"), count(r, "fp"), count(r, "tn"), count(r, "fn"));
      image("answer_confusion_" + r.position() + "_" + safe(r.model()) + "_" + safe(Objects.toString(r.plane(), "all"))
          + ".png", charts.confusion(shortLabel(r), c, 230, 205));
    }
    html.append("</div>\n</div>\n");
  }

  private void answerRoc(List<HeadlineRow> headline, List<Prediction> predictions) {
    // The CNN's answers and each LLM arm on its plane of highest AUC: a curve per arm and plane would bury the
    // chart under its legend (every plane's curve is in the details).
    Map<String, HeadlineRow> bestPlane = new LinkedHashMap<>();
    for (HeadlineRow r : headline) {
      if (Headline.ROLE_LLM.equals(r.role())) {
        HeadlineRow b = bestPlane.get(r.model());
        double auc = r.value("auc") == null ? -1 : r.value("auc");
        if (b == null || auc > (b.value("auc") == null ? -1 : b.value("auc"))) {
          bestPlane.put(r.model(), r);
        }
      }
    }
    Map<String, ReportCharts.RocInput> curves = new LinkedHashMap<>();
    for (HeadlineRow r : headline) {
      if (Headline.ROLE_BASELINE.equals(r.role()) || (Headline.ROLE_LLM.equals(r.role()) && bestPlane.get(r.model()) != r)) {
        continue;
      }
      List<Prediction> rows = predictions.stream().filter(p -> Tables.COHORT_TEST.equals(p.cohort()) && p.fold() == null
          && r.model().equals(p.model()) && Objects.equals(r.plane(), p.plane()) && p.score() != null).toList();
      if (!rows.isEmpty()) {
        curves.put(shortLabel(r), new ReportCharts.RocInput(rows.stream().mapToInt(Prediction::label).toArray(),
            rows.stream().mapToDouble(Prediction::score).toArray()));
      }
    }
    if (!curves.isEmpty()) {
      image("answer_roc.png", charts.roc("ROC, test cohort: the CNN and each LLM arm's best plane", curves, 560, 470));
    }
  }

  private void answerGldr(List<HeadlineRow> headline, List<Row> predictionRows) {
    List<String> columns = new ArrayList<>();
    List<List<double[]>> points = new ArrayList<>();
    for (HeadlineRow r : headline) {
      if (!Headline.ROLE_LLM.equals(r.role())) {
        continue;
      }
      List<double[]> p = predictionRows.stream().filter(x -> x.schema().getFieldIndex(LlmVotes.GLDR).isDefined()
              && r.model().equals(x.getAs(Predictions.MODEL)) && Objects.equals(r.plane(), x.getAs(Tables.PLANE))
              && Tables.COHORT_TEST.equals(x.getAs(Tables.COHORT)) && x.getAs(LlmVotes.GLDR) != null)
          .sorted(Comparator.comparing(x -> x.<String>getAs(Tables.PATIENT_ID)))
          .map(x -> new double[] {x.<Double>getAs(LlmVotes.GLDR), ((Number) x.getAs(Tables.LABEL)).doubleValue()})
          .toList();
      if (!p.isEmpty()) {
        columns.add((headline.stream().map(HeadlineRow::model).distinct().filter(m -> !MetricsCalculator.isCnn(m)
            && !Metrics.BASELINE_MODEL.equals(m)).count() > 1 ? r.model() + " " : "") + r.plane());
        points.add(p);
      }
    }
    if (!columns.isEmpty()) {
      image("answer_gldr.png", charts.gldrStrip("GLDR per test patient and plane"
          + (headline.stream().anyMatch(h -> Headline.ROLE_LLM.equals(h.role()) && h.simulated()) ? " (" + SIMULATED + ")" : ""),
          columns, points, 560, 470));
    }
  }

  /** A headline row's name on a chart. */
  private String shortLabel(HeadlineRow r) {
    switch (r.role()) {
      case Headline.ROLE_ENSEMBLE: return "CNN ensemble";
      case Headline.ROLE_SELECTED: return r.label().replace(" (selected by validation)", " (selected)");
      case Headline.ROLE_MULTITASK: return "multi-task ensemble";
      case Headline.ROLE_BASELINE: return "always HGG";
      default: return armLabel(r.model()) + " " + r.plane();
    }
  }

  private static int count(HeadlineRow r, String metric) {
    Double v = r.value(metric);
    return v == null ? 0 : (int) Math.round(v);
  }

  /** Every other table and per-fold chart, folded away under the answer. */
  private void details(List<MetricValue> metrics, List<Prediction> predictions, List<Row> predictionRows) {
    boolean acrossFolds = !runRows(MetricsAcrossFolds.NAME).isEmpty();
    boolean comparisons = !runRows(Comparisons.NAME).isEmpty();
    boolean scores = predictions.stream().anyMatch(p -> p.score() != null);
    boolean gldr = predictionRows.stream().anyMatch(r -> r.schema().getFieldIndex(LlmVotes.GLDR).isDefined()
        && r.getAs(Tables.PLANE) != null && !MetricsCalculator.isCnn(r.getAs(Predictions.MODEL)));
    boolean history = !runRows(CnnHistory.NAME).isEmpty();
    if (metrics.isEmpty() && !acrossFolds && !comparisons && !scores && !gldr && !history) {
      return; // a segmentation-only run: no empty section
    }
    section("Details: every model, plane, cohort and fold");
    if (!metrics.isEmpty()) {
      openDetails("Every metric per model, plane, cohort and fold (95 % bootstrap intervals)");
      metricsTable(metrics);
      closeDetails();
    }
    if (acrossFolds) {
      openDetails("Across folds: mean and SD");
      acrossFolds();
      closeDetails();
    }
    if (comparisons) {
      openDetails("Paired tests of every CNN model (each fold, the ensemble, the selected fold) against each LLM arm");
      comparisons();
      closeDetails();
    }
    if (scores) {
      openDetails("ROC curves of every model and fold");
      roc(predictions);
      closeDetails();
    }
    if (!metrics.isEmpty()) {
      openDetails("Confusion matrices of every model and fold");
      confusion(metrics);
      closeDetails();
    }
    if (gldr) {
      openDetails("GLDR per patient, per arm and plane (figures 16-18)");
      gldr(predictionRows);
      closeDetails();
    }
    if (history) {
      openDetails("CNN training: accuracy and loss per epoch, per fold (figures 12-15)");
      cnnHistory();
      closeDetails();
    }
  }

  private void metricsTable(List<MetricValue> metrics) {
    Map<Group, Map<String, MetricValue>> rows = new LinkedHashMap<>();
    metrics.stream().sorted(Comparator.comparing((MetricValue m) -> Objects.toString(m.group().cohort()))
            .thenComparing(m -> m.group().model()).thenComparing(m -> Objects.toString(m.group().plane()))
            .thenComparing(m -> m.group().fold() == null ? -1 : m.group().fold()))
        .forEach(m -> rows.computeIfAbsent(m.group(), g -> new LinkedHashMap<>()).put(m.metric(), m));
    html.append("<table><tr><th>cohort</th><th>fold</th><th>model</th><th>plane</th><th>n</th><th>score</th>");
    MetricsTable.SHORT.forEach(m -> html.append("<th>").append(m.id()).append("</th>"));
    html.append("<th>tp/fp/tn/fn</th></tr>\n");
    rows.forEach((g, byMetric) -> {
      MetricValue any = byMetric.values().iterator().next();
      html.append("<tr><td>").append(esc(g.cohort())).append("</td><td>").append(esc(g.fold())).append("</td><td>")
          .append(armLabelHtml(g.model())).append("</td><td>").append(esc(g.plane())).append("</td><td>")
          .append(any.n()).append("</td><td>").append(esc(any.scoreSource())).append("</td>");
      MetricsTable.SHORT.forEach(m -> html.append("<td>").append(MetricsTable.withInterval(byMetric.get(m.id()))).append("</td>"));
      html.append("<td>").append(count(byMetric, "tp")).append('/').append(count(byMetric, "fp")).append('/')
          .append(count(byMetric, "tn")).append('/').append(count(byMetric, "fn")).append("</td></tr>\n");
    });
    html.append("</table>\n<p>Rows <code>").append(Metrics.BASELINE_MODEL).append("</code> always answer HGG: an arm"
        + " no better than them has learnt nothing. The LLM arms' AUC uses the score named in the score column.</p>\n");
  }

  private void acrossFolds() {
    List<Row> rows = runRows(MetricsAcrossFolds.NAME);
    if (rows.isEmpty()) {
      return;
    }
    html.append("<table><tr><th>model</th><th>plane</th><th>cohort</th><th>metric</th><th>mean</th><th>sd</th><th>folds</th></tr>\n");
    rows.stream().filter(r -> MetricsTable.SHORT.stream().anyMatch(m -> m.id().equals(r.getAs(Metrics.METRIC))))
        .sorted(Comparator.comparing((Row r) -> r.<String>getAs(Predictions.MODEL) + Objects.toString(r.getAs(Tables.PLANE))
            + r.getAs(Tables.COHORT) + r.getAs(Metrics.METRIC)))
        .forEach(r -> html.append("<tr><td>").append(armLabelHtml(r.getAs(Predictions.MODEL))).append("</td><td>")
            .append(esc(r.getAs(Tables.PLANE))).append("</td><td>").append(esc(r.getAs(Tables.COHORT))).append("</td><td>")
            .append(esc(r.getAs(Metrics.METRIC))).append("</td><td>").append(num(r.getAs(MetricsAcrossFolds.MEAN)))
            .append("</td><td>").append(num(r.getAs(MetricsAcrossFolds.SD))).append("</td><td>")
            .append(r.<Integer>getAs(MetricsAcrossFolds.COUNTED)).append('/').append(r.<Integer>getAs(MetricsAcrossFolds.FOLDS))
            .append("</td></tr>\n"));
    html.append("</table>\n");
  }

  private void comparisons() {
    List<Row> rows = runRows(Comparisons.NAME);
    if (rows.isEmpty()) {
      return;
    }
    html.append("<table><tr><th>cohort</th><th>fold</th><th>a</th><th>b</th><th>plane b</th><th>n</th>"
        + "<th>both right</th><th>only a</th><th>only b</th><th>both wrong</th><th>McNemar exact p</th>"
        + "<th>AUC a</th><th>AUC b</th><th>difference</th><th>DeLong z</th><th>DeLong p</th></tr>\n");
    for (Row r : rows) {
      html.append("<tr><td>").append(esc(r.getAs(Tables.COHORT))).append("</td><td>").append(esc(r.getAs(Tables.FOLD)))
          .append("</td><td>").append(armLabelHtml(r.getAs(Comparisons.MODEL_A))).append("</td><td>")
          .append(armLabelHtml(r.getAs(Comparisons.MODEL_B))).append("</td><td>").append(esc(r.getAs(Comparisons.PLANE_B)));
      for (String c : List.of(Comparisons.N, Comparisons.BOTH_CORRECT, Comparisons.ONLY_A_CORRECT,
          Comparisons.ONLY_B_CORRECT, Comparisons.BOTH_WRONG)) {
        html.append("</td><td>").append(r.<Integer>getAs(c));
      }
      for (String c : List.of(Comparisons.MCNEMAR_P, Comparisons.AUC_A, Comparisons.AUC_B, Comparisons.AUC_DIFFERENCE,
          Comparisons.DELONG_Z, Comparisons.DELONG_P)) {
        html.append("</td><td>").append(num(r.getAs(c)));
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void cnnHistory() {
    List<Row> rows = runRows(CnnHistory.NAME);
    if (rows.isEmpty()) {
      html.append("<p>No cnn_history rows for this run.</p>\n");
      return;
    }
    Map<Integer, List<Row>> byFold = new TreeMap<>();
    rows.forEach(r -> byFold.computeIfAbsent(intOrMinus1(r.getAs(Tables.FOLD)), f -> new ArrayList<>()).add(r));
    byFold.forEach((fold, epochs) -> {
      epochs.sort(Comparator.comparing(r -> ((Number) r.getAs(CnnHistory.EPOCH)).intValue()));
      Map<String, double[][]> accuracy = new LinkedHashMap<>();
      accuracy.put("train accuracy", points(epochs, CnnHistory.TRAIN_ACCURACY));
      accuracy.put("validation accuracy", points(epochs, CnnHistory.VAL_ACCURACY));
      Map<String, double[][]> loss = new LinkedHashMap<>();
      loss.put("train loss", points(epochs, CnnHistory.TRAIN_LOSS));
      loss.put("validation loss", points(epochs, CnnHistory.VAL_LOSS));
      image("cnn_fold" + fold + "_accuracy.png", charts.perEpoch("CNN fold " + fold + ": accuracy", "accuracy", accuracy));
      image("cnn_fold" + fold + "_loss.png", charts.perEpoch("CNN fold " + fold + ": loss", "binary cross-entropy", loss));
    });
  }

  private void gldr(List<Row> predictionRows) {
    List<Row> llm = predictionRows.stream().filter(r -> r.schema().getFieldIndex(LlmVotes.GLDR).isDefined()
        && r.getAs(Tables.PLANE) != null && !Predictions.MODEL_CNN.equals(r.getAs(Predictions.MODEL))).toList();
    if (llm.isEmpty()) {
      return;
    }
    boolean hasTest = llm.stream().anyMatch(r -> Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)));
    html.append("<p>GLDR per ").append(hasTest ? "test " : "").append("patient and plane, coloured by the true grade.</p>\n");
    Map<String, List<Row>> byArmPlane = new TreeMap<>();
    llm.stream().filter(r -> !hasTest || Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)))
        .forEach(r -> byArmPlane.computeIfAbsent(r.getAs(Predictions.MODEL) + "\t" + r.getAs(Tables.PLANE),
            k -> new ArrayList<>()).add(r));
    byArmPlane.forEach((key, rows) -> {
      rows.sort(Comparator.comparing(r -> r.<String>getAs(Tables.PATIENT_ID)));
      String[] armPlane = key.split("\t");
      byte[] png = charts.gldr("GLDR, " + armLabel(armPlane[0]) + ", " + armPlane[1] + " plane",
          rows.stream().map(r -> r.<String>getAs(Tables.PATIENT_ID)).toList(),
          rows.stream().map(r -> (Double) r.getAs(LlmVotes.GLDR)).toList(),
          rows.stream().map(r -> ((Number) r.getAs(Tables.LABEL)).intValue()).toList());
      image("gldr_" + safe(armPlane[0]) + "_" + safe(armPlane[1]) + ".png", png);
    });
  }

  private void roc(List<Prediction> predictions) {
    boolean hasTest = predictions.stream().anyMatch(p -> Tables.COHORT_TEST.equals(p.cohort()));
    Map<String, List<Prediction>> byCurve = new TreeMap<>();
    predictions.stream().filter(p -> p.score() != null && (!hasTest || Tables.COHORT_TEST.equals(p.cohort())))
        .forEach(p -> byCurve.computeIfAbsent(curveName(p), k -> new ArrayList<>()).add(p));
    Map<String, ReportCharts.RocInput> curves = new LinkedHashMap<>();
    byCurve.forEach((name, rows) -> curves.put(name, new ReportCharts.RocInput(
        rows.stream().mapToInt(Prediction::label).toArray(), rows.stream().mapToDouble(Prediction::score).toArray())));
    if (curves.isEmpty()) {
      return;
    }
    image("roc.png", charts.roc("ROC, " + (hasTest ? "test cohort" : "all patients")
        + (simulatedArms.isEmpty() ? "" : " (" + SIMULATED + " arms marked)"), curves));
  }

  private void confusion(List<MetricValue> metrics) {
    boolean hasTest = metrics.stream().anyMatch(m -> Tables.COHORT_TEST.equals(m.group().cohort()));
    Map<Group, Map<String, MetricValue>> byGroup = new TreeMap<>(Comparator.comparing(Object::toString));
    metrics.stream().filter(m -> !hasTest || Tables.COHORT_TEST.equals(m.group().cohort()))
        .forEach(m -> byGroup.computeIfAbsent(m.group(), g -> new LinkedHashMap<>()).put(m.metric(), m));
    if (byGroup.isEmpty()) {
      return;
    }
    html.append("<p>").append(hasTest ? "Test cohort." : "All cohorts.").append("</p>\n");
    byGroup.forEach((g, byMetric) -> {
      ConfusionCounts c = new ConfusionCounts(count(byMetric, "tp"), count(byMetric, "fp"), count(byMetric, "tn"),
          count(byMetric, "fn"));
      String title = armLabel(g.model()) + (g.plane() == null ? "" : " " + g.plane())
          + (g.fold() == null ? "" : " fold " + g.fold()) + ", " + g.cohort();
      image("confusion_" + safe(g.model()) + "_" + safe(Objects.toString(g.plane(), "all")) + "_" + safe(g.cohort())
          + "_" + safe(Objects.toString(g.fold(), "all")) + ".png", charts.confusion(title, c));
    });
  }

  private void consistency() {
    Map<String, Map<String, Long>> bySlice = new TreeMap<>();
    List<Row> rows = runRows(LlmConsistency.NAME);
    String source;
    if (!rows.isEmpty()) {
      source = LlmConsistency.NAME;
      bySlice.putAll(consistencyAnswers(rows));
    } else {
      // Without the consistency table: every slice this run asked more than once, from llm_calls.
      source = LlmCalls.NAME + " (slices asked more than once)";
      bySlice.putAll(repeatedSliceAnswers(runRows(LlmCalls.NAME)));
    }
    if (bySlice.isEmpty()) {
      html.append("<p>No consistency test in this run (no slice was asked more than once).</p>\n");
      return;
    }
    section("Consistency: the same slice and prompt asked repeatedly");
    boolean sim = bySlice.keySet().stream().anyMatch(k -> simulatedArms.contains(k.split(" ")[0]));
    image("consistency.png", charts.consistency("Answer distribution per repeated slice" + (sim ? " (" + SIMULATED + ")" : ""),
        bySlice));
    html.append("<p>Source: ").append(esc(source)).append(".</p>\n");
  }

  /** Answer counts per slice from llm_consistency rows (a count column per answer: n_lgg, n_hgg, ...). */
  static Map<String, Map<String, Long>> consistencyAnswers(List<Row> rows) {
    String[][] columns = {{LlmConsistency.N_LGG, "LGG"}, {LlmConsistency.N_HGG, "HGG"},
        {LlmConsistency.N_NO_GLIOMA, "none"}, {LlmConsistency.N_PARSE_ERROR, "unparseable"},
        {LlmConsistency.N_FAILED, ReportCharts.FAILED}};
    Map<String, Map<String, Long>> bySlice = new TreeMap<>();
    for (Row r : rows) {
      Map<String, Long> counts = bySlice.computeIfAbsent(sliceKey(r), k -> new TreeMap<>());
      for (String[] c : columns) {
        Object n = r.schema().getFieldIndex(c[0]).isDefined() ? r.getAs(c[0]) : null;
        if (n != null && ((Number) n).longValue() > 0) {
          counts.merge(c[1], ((Number) n).longValue(), Long::sum);
        }
      }
    }
    return bySlice;
  }

  /**
   * Answer counts per slice that was asked more than once (distinct samples), from llm_calls rows: the
   * answered attempts only ('ok' by choice, 'parse_error' as unparseable), one per call key.
   */
  static Map<String, Map<String, Long>> repeatedSliceAnswers(List<Row> calls) {
    Map<String, Map<String, Long>> bySlice = new TreeMap<>();
    if (calls.isEmpty() || !calls.get(0).schema().getFieldIndex(LlmCalls.SAMPLE).isDefined()) {
      return bySlice;
    }
    Map<String, Map<String, Long>> all = new TreeMap<>();
    Map<String, Set<String>> samples = new TreeMap<>();
    Set<String> counted = new TreeSet<>();
    for (Row r : calls) {
      String status = r.getAs(LlmCalls.STATUS);
      boolean ok = LlmCalls.STATUS_OK.equals(status);
      if ((!ok && !LlmCalls.STATUS_PARSE_ERROR.equals(status)) || !counted.add(r.getAs(LlmCalls.CALL_KEY))) {
        continue;
      }
      String key = sliceKey(r);
      samples.computeIfAbsent(key, k -> new TreeSet<>()).add(String.valueOf((Object) r.getAs(LlmCalls.SAMPLE)));
      all.computeIfAbsent(key, k -> new TreeMap<>()).merge(ok ? bucket(r.getAs(LlmCalls.CHOICE)) : "unparseable", 1L, Long::sum);
    }
    all.forEach((k, v) -> {
      if (samples.get(k).size() > 1) {
        bySlice.put(k, v);
      }
    });
    return bySlice;
  }

  private void configuration() {
    section("Configuration, versions, seeds");
    List<Row> runs = runRows(Runs.NAME);
    if (runs.isEmpty()) {
      html.append("<p>No rows in the runs table for this run.</p>\n");
      return;
    }
    html.append("<table><tr><th>command</th><th>started</th><th>ended</th><th>status</th><th>config hash</th>"
        + "<th>code</th><th>libraries</th><th>seed</th></tr>\n");
    runs.sort(Comparator.comparing(r -> r.getAs(Runs.STARTED_AT).toString()));
    for (Row r : runs) {
      html.append("<tr><td>").append(esc(r.getAs(Runs.COMMAND))).append("</td><td>").append(esc(r.getAs(Runs.STARTED_AT)))
          .append("</td><td>").append(esc(r.getAs(Runs.ENDED_AT))).append("</td><td>").append(esc(r.getAs(Runs.STATUS)))
          .append("</td><td>").append(esc(r.<String>getAs(Runs.CONFIG_HASH).substring(0, 12))).append("</td><td>")
          .append(esc(r.getAs(Runs.CODE_VERSION))).append("</td><td>").append(esc(r.getAs(Runs.LIBRARY_VERSIONS)))
          .append("</td><td>").append(esc(r.getAs(Runs.SEED))).append("</td></tr>\n");
    }
    html.append("</table>\n");
    openDetails("Configuration of the latest command (secrets masked)");
    html.append("<pre>").append(esc(runs.get(runs.size() - 1).getAs(Runs.CONFIG))).append("</pre>\n");
    closeDetails();
  }

  private String markdown(List<MetricValue> metrics, List<HeadlineRow> headline) {
    StringBuilder md = new StringBuilder("# glioma-bench report, run ").append(runId).append("\n\n");
    if (!simulatedArms.isEmpty()) {
      md.append("**SIMULATED** LLM arm(s): ").append(String.join(", ", simulatedArms))
          .append(" (answers from the simulated server, not a real model).\n\n");
    }
    if (!headline.isEmpty()) {
      List<Row> table = runRows(Headline.NAME);
      md.append("## The answer: CNN vs vision LLM on the held-out test cohort\n\n> ")
          .append(table.isEmpty() ? "" : table.get(0).<String>getAs(Headline.FINDING)).append("\n\n")
          .append(MetricsTable.headlineMarkdown(headline))
          .append("\n95 % bootstrap intervals; p-values: paired tests against the CNN fold ensemble (McNemar exact,"
              + " DeLong).");
      headline.stream().filter(r -> r.detail() != null).forEach(r -> md.append(" ").append(r.label()).append(": ")
          .append(r.detail()).append('.'));
      md.append("\n\n");
    }
    List<ModelOrInputTable.ArmRow> modelOrInput = ModelOrInputTable.fromTable(runRows(Tables.Results.ModelOrInput.NAME));
    if (!modelOrInput.isEmpty()) {
      md.append("## Model or input? Each LLM arm against the general arm and the CNN\n\n")
          .append(ModelOrInputTable.markdown(modelOrInput)).append('\n');
      ModelOrInputTable.cnnInformedFindings(modelOrInput).forEach(f -> md.append(f).append("\n\n"));
    }
    md.append("<details><summary>Every model, plane and fold (").append(metrics.stream()
        .anyMatch(m -> Tables.COHORT_TEST.equals(m.group().cohort())) ? "test cohort" : "all cohorts")
        .append(", 95 % bootstrap intervals)</summary>\n\n");
    md.append(MetricsTable.markdown(metrics, simulatedArms)).append("\n</details>\n\nCharts and every table: ")
        .append(HTML).append("\n\nFiles:\n");
    files.keySet().stream().filter(f -> f.endsWith(".png")).forEach(f -> md.append("- ").append(f).append('\n'));
    return md.toString();
  }

  // ---- helpers ------------------------------------------------------------------------------------

  List<Row> runRows(String table) {
    if (!warehouse.exists(table)) {
      return new ArrayList<>();
    }
    Dataset<Row> d = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(table));
    if (!Arrays.asList(d.columns()).contains(Tables.RUN_ID)) {
      return new ArrayList<>();
    }
    return new ArrayList<>(d.filter(col(Tables.RUN_ID).equalTo(runId)).collectAsList());
  }

  private List<MetricValue> readMetrics() {
    return runRows(Metrics.NAME).stream().map(r -> new MetricValue(
        new Group(r.getAs(Predictions.MODEL), r.getAs(Tables.PLANE), r.getAs(Tables.COHORT), r.getAs(Tables.FOLD)),
        r.getAs(Metrics.METRIC), r.getAs(Metrics.VALUE), r.getAs(Metrics.CI_LOW), r.getAs(Metrics.CI_HIGH),
        r.<Integer>getAs(Metrics.N), r.getAs(LlmVotes.SCORE_SOURCE))).collect(Collectors.toList());
  }

  String armLabel(String model) {
    return simulatedArms.contains(model) ? model + " [" + SIMULATED + "]" : model;
  }

  String armLabelHtml(String model) {
    return esc(model) + (simulatedArms.contains(model) ? " <span class=\"sim\">" + SIMULATED + "</span>" : "");
  }

  private String curveName(Prediction p) {
    return armLabel(p.model()) + (p.plane() == null ? "" : " " + p.plane()) + (p.fold() == null ? "" : " fold " + p.fold());
  }

  ReportCharts charts() {
    return charts;
  }

  StringBuilder html() {
    return html;
  }

  /** Starts a section (closing the one before): a heading and what follows it, up to the next section. */
  void section(String title) {
    closeSection();
    html.append("<section>\n<h2>").append(esc(title)).append("</h2>\n");
    sectionOpen = true;
  }

  void closeSection() {
    if (sectionOpen) {
      html.append("</section>\n");
      sectionOpen = false;
    }
  }

  /** A folded block: closed until the reader opens it. */
  void openDetails(String summary) {
    html.append("<details>\n<summary>").append(esc(summary)).append("</summary>\n");
  }

  void closeDetails() {
    html.append("</details>\n");
  }

  void image(String name, byte[] png) {
    files.put(name, png);
    html.append("<img src=\"").append(esc(name)).append("\" alt=\"").append(esc(name)).append("\">\n");
  }

  private void write(String dir) {
    try {
      FileSystem fs = warehouse.fileSystem();
      if (fs instanceof LocalFileSystem local) {
        fs = local.getRawFileSystem(); // no .crc files beside the report on a local disk
      }
      Path target = new Path(dir);
      fs.delete(target, true);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        try (OutputStream out = fs.create(new Path(target, f.getKey()), true)) {
          out.write(f.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  private static String sliceKey(Row r) {
    return r.getAs(LlmCalls.ARM) + " " + r.getAs(Tables.PATIENT_ID) + " " + r.getAs(Tables.PLANE) + " #" + r.getAs(Tables.SLICE_INDEX);
  }

  private static String bucket(Object choice) {
    if (choice == null) {
      return "unparseable";
    }
    int c = ((Number) choice).intValue();
    return c >= 0 && c < 3 ? VoteRule.BUCKETS.get(c) : "unparseable";
  }

  /**
   * One chart per fold of a history table of this run: each series (name, column) per epoch.
   *
   * @param file the PNG's name with %d for the fold
   * @param title the chart's title with %d for the fold
   */
  void foldCurves(String table, String file, String title, String axis, Map<String, String> series) {
    Map<Integer, List<Row>> byFold = new TreeMap<>();
    runRows(table).forEach(r -> byFold.computeIfAbsent(intOrMinus1(r.getAs(Tables.FOLD)), f -> new ArrayList<>()).add(r));
    byFold.forEach((fold, epochs) -> {
      epochs.sort(Comparator.comparing(r -> ((Number) r.getAs(CnnHistory.EPOCH)).intValue()));
      Map<String, double[][]> curves = new LinkedHashMap<>();
      series.forEach((name, column) -> curves.put(name, points(epochs, column)));
      image(String.format(Locale.ROOT, file, fold), charts.perEpoch(String.format(Locale.ROOT, title, fold), axis, curves));
    });
  }

  private static double[][] points(List<Row> epochs, String column) {
    double[][] p = new double[epochs.size()][];
    for (int i = 0; i < p.length; i++) {
      Object v = SegmentationSection.opt(epochs.get(i), column);
      p[i] = new double[] {((Number) epochs.get(i).getAs(CnnHistory.EPOCH)).doubleValue(),
          v == null ? Double.NaN : ((Number) v).doubleValue()};
    }
    return p;
  }

  private static int count(Map<String, MetricValue> byMetric, String metric) {
    MetricValue v = byMetric.get(metric);
    return v == null || v.value() == null ? 0 : (int) Math.round(v.value());
  }

  private static int intOrMinus1(Object o) {
    return o == null ? -1 : ((Number) o).intValue();
  }

  private static String num(Object o) {
    return o == null ? "n/a" : String.format(Locale.ROOT, "%.4g", ((Number) o).doubleValue());
  }

  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  static String esc(Object o) {
    if (o == null) {
      return "";
    }
    return o.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
