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
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.jobs.results.ResultRows.Group;
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

  public ReportJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
    int[] size = settings.has(ConfigKeys.REPORT_CHART_SIZE) ? settings.getInts(ConfigKeys.REPORT_CHART_SIZE) : new int[] {900, 560};
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

    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>glioma-bench report ").append(esc(runId))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
            + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#eee}"
            + ".sim{color:#fff;background:#c0392b;padding:1px 6px;font-weight:bold;border-radius:3px}"
            + "img{max-width:100%;border:1px solid #ddd;margin:4px}pre{background:#f6f6f6;padding:8px;overflow:auto}"
            + "</style></head><body>\n");
    html.append("<h1>glioma-bench: HGG vs LGG, CNN vs vision LLM</h1>\n<p>Run <code>").append(esc(runId))
        .append("</code>. Warehouse <code>").append(esc(warehouse.root())).append("</code>.</p>\n");
    if (!simulatedArms.isEmpty()) {
      html.append("<p><span class=\"sim\">SIMULATED</span> LLM arm(s) ").append(esc(String.join(", ", simulatedArms)))
          .append(": their answers come from the simulated server, not from a real vision LLM. Their figures test the"
              + " pipeline, not the model.</p>\n");
    }
    if (!metrics.isEmpty()) {
      section("Metrics (95 % bootstrap intervals, patients resampled)");
      metricsTable(metrics);
    }
    acrossFolds();
    comparisons();
    cnnHistory();
    gldr(predictionRows);
    roc(predictions);
    confusion(metrics);
    consistency();
    new LlmServerSection(this, warehouse, runId).write();
    new SegmentationSection(this, warehouse, runId, new SegmentationCharts(charts.width(), charts.height()),
        settings.getInt(ConfigKeys.REPORT_SEG_OVERLAYS, 3), new CnnOverlayMasks(warehouse, runId)).write();
    configuration();
    html.append("</body></html>\n");

    String markdown = markdown(metrics);
    files.put(HTML, html.toString().getBytes(StandardCharsets.UTF_8));
    files.put(MARKDOWN, markdown.getBytes(StandardCharsets.UTF_8));
    String dir = warehouse.root() + "/" + REPORTS + "/" + runId;
    write(dir);
    LOG.info("report {}: {} files under {}", runId, files.size(), dir);
    return new Summary(dir, new ArrayList<>(files.keySet()), simulatedArms);
  }

  // ---- sections -----------------------------------------------------------------------------------

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
    section("Across folds (mean and sample SD)");
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
    section("Paired tests on the same patients (CNN vs each LLM arm)");
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
    section("CNN training: accuracy and loss per epoch, per fold");
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
    section("GLDR per " + (hasTest ? "test " : "") + "patient and plane (coloured by the true grade)");
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
    section("ROC curves (" + (hasTest ? "test cohort" : "all cohorts") + ")");
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
    section("Confusion matrices (" + (hasTest ? "test cohort" : "all cohorts") + ")");
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
    html.append("</table>\n<h3>Configuration of the latest command (secrets masked)</h3>\n<pre>")
        .append(esc(runs.get(runs.size() - 1).getAs(Runs.CONFIG))).append("</pre>\n");
  }

  private String markdown(List<MetricValue> metrics) {
    StringBuilder md = new StringBuilder("# glioma-bench report, run ").append(runId).append("\n\n");
    if (!simulatedArms.isEmpty()) {
      md.append("**SIMULATED** LLM arm(s): ").append(String.join(", ", simulatedArms))
          .append(" (answers from the simulated server, not a real model).\n\n");
    }
    md.append("Metrics with 95 % bootstrap intervals (").append(metrics.stream()
        .anyMatch(m -> Tables.COHORT_TEST.equals(m.group().cohort())) ? "test cohort" : "all cohorts").append("):\n\n");
    md.append(MetricsTable.markdown(metrics, simulatedArms)).append("\nCharts and every table: ").append(HTML).append("\n\nFiles:\n");
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

  void section(String title) {
    html.append("<h2>").append(esc(title)).append("</h2>\n");
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

  private static double[][] points(List<Row> epochs, String column) {
    double[][] p = new double[epochs.size()][];
    for (int i = 0; i < p.length; i++) {
      Object v = epochs.get(i).getAs(column);
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
