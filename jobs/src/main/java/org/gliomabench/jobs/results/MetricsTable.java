package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.gliomabench.core.Tables;
import org.gliomabench.core.metrics.Metric;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.MetricValue;

/** The short metrics table printed by aggregate and written into the report's Markdown summary. */
public final class MetricsTable {
  /** The columns of the short table, in order. */
  public static final List<Metric> SHORT = List.of(Metric.ACCURACY, Metric.PRECISION, Metric.RECALL,
      Metric.SPECIFICITY, Metric.F1, Metric.AUC, Metric.BALANCED_ACCURACY, Metric.MCC);

  private MetricsTable() {}

  /** The test cohort's rows (all rows when the run has no test cohort), one line per model x plane x fold. */
  public static Map<Group, Map<String, MetricValue>> shortRows(List<MetricValue> metrics) {
    boolean hasTest = metrics.stream().anyMatch(m -> Tables.COHORT_TEST.equals(m.group().cohort()));
    Map<Group, Map<String, MetricValue>> rows = new LinkedHashMap<>();
    metrics.stream()
        .filter(m -> !hasTest || Tables.COHORT_TEST.equals(m.group().cohort()))
        .sorted(Comparator.comparing((MetricValue m) -> m.group().cohort(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(m -> m.group().model())
            .thenComparing(m -> m.group().plane(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(m -> m.group().fold(), Comparator.nullsFirst(Comparator.naturalOrder())))
        .forEach(m -> rows.computeIfAbsent(m.group(), g -> new LinkedHashMap<>()).put(m.metric(), m));
    return rows;
  }

  /** The model name, with " [SIMULATED]" for an arm whose answers came from the simulated server. */
  public static String modelLabel(String model, Set<String> simulated) {
    return simulated.contains(model) ? model + " [SIMULATED]" : model;
  }

  public static String text(List<MetricValue> metrics, Set<String> simulated) {
    StringBuilder sb = new StringBuilder(String.format("  %-28s %-8s %-5s %-4s %4s", "model", "plane", "cohrt", "fold", "n"));
    SHORT.forEach(m -> sb.append(String.format(" %9s", shortName(m))));
    sb.append('\n');
    shortRows(metrics).forEach((g, byMetric) -> {
      int n = byMetric.values().iterator().next().n();
      sb.append(String.format("  %-28s %-8s %-5s %-4s %4d", modelLabel(g.model(), simulated), Objects.toString(g.plane(), "-"),
          g.cohort(), Objects.toString(g.fold(), "-"), n));
      SHORT.forEach(m -> sb.append(String.format(" %9s", format(byMetric.get(m.id())))));
      sb.append('\n');
    });
    return sb.toString();
  }

  /** A Markdown table with 95 % intervals: value [low, high]. */
  public static String markdown(List<MetricValue> metrics, Set<String> simulated) {
    List<String> header = new ArrayList<>(List.of("model", "plane", "cohort", "fold", "n"));
    SHORT.forEach(m -> header.add(m.id()));
    StringBuilder sb = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
    header.forEach(h -> sb.append("---|"));
    sb.append('\n');
    shortRows(metrics).forEach((g, byMetric) -> {
      sb.append("| ").append(modelLabel(g.model(), simulated)).append(" | ").append(Objects.toString(g.plane(), "")).append(" | ")
          .append(g.cohort()).append(" | ").append(Objects.toString(g.fold(), "")).append(" | ")
          .append(byMetric.values().iterator().next().n());
      SHORT.forEach(m -> sb.append(" | ").append(withInterval(byMetric.get(m.id()))));
      sb.append(" |\n");
    });
    return sb.toString();
  }

  /** The headline as console text: one line per row, value [interval] per metric, n and the paired tests. */
  public static String headlineText(List<ResultRows.HeadlineRow> rows) {
    StringBuilder sb = new StringBuilder(String.format("  %-40s %4s", "test cohort", "n"));
    HeadlineTable.METRICS.forEach(m -> sb.append(String.format(" %-20s", m == Metric.BALANCED_ACCURACY ? "balanced accuracy" : m.id())));
    sb.append(String.format(" %9s %9s%n", "McNemar p", "DeLong p"));
    for (ResultRows.HeadlineRow r : rows) {
      sb.append(String.format("  %-40s %4d", r.label() + (r.simulated() ? " [SIMULATED]" : ""), r.n()));
      HeadlineTable.METRICS.forEach(m -> sb.append(String.format(" %-20s", withInterval(r.metrics().get(m.id())))));
      sb.append(String.format(" %9s %9s%n", r.versus() == null ? "-" : HeadlineTable.p(r.mcnemarP()),
          r.versus() == null ? "-" : HeadlineTable.p(r.delongP())));
    }
    return sb.toString();
  }

  /** The headline as a Markdown table (summary.md). */
  public static String headlineMarkdown(List<ResultRows.HeadlineRow> rows) {
    StringBuilder sb = new StringBuilder("| test cohort | n |");
    HeadlineTable.METRICS.forEach(m -> sb.append(' ').append(m == Metric.BALANCED_ACCURACY ? "balanced accuracy" : m.id()).append(" |"));
    sb.append(" McNemar p | DeLong p |\n|---|---|");
    HeadlineTable.METRICS.forEach(m -> sb.append("---|"));
    sb.append("---|---|\n");
    for (ResultRows.HeadlineRow r : rows) {
      sb.append("| ").append(r.label()).append(r.simulated() ? " **[SIMULATED]**" : "").append(" | ").append(r.n()).append(" |");
      HeadlineTable.METRICS.forEach(m -> sb.append(' ').append(withInterval(r.metrics().get(m.id()))).append(" |"));
      sb.append(' ').append(r.versus() == null ? "" : HeadlineTable.p(r.mcnemarP())).append(" | ")
          .append(r.versus() == null ? "" : HeadlineTable.p(r.delongP())).append(" |\n");
    }
    return sb.toString();
  }

  public static String withInterval(MetricValue v) {
    if (v == null || v.value() == null) {
      return "n/a";
    }
    return v.ciLow() == null ? format(v) : String.format("%.3f [%.3f, %.3f]", v.value(), v.ciLow(), v.ciHigh());
  }

  static String format(MetricValue v) {
    return v == null || v.value() == null ? "n/a" : String.format("%.3f", v.value());
  }

  private static String shortName(Metric m) {
    switch (m) {
      case BALANCED_ACCURACY: return "bal_acc";
      case SPECIFICITY: return "specif";
      case PRECISION: return "precis";
      default: return m.id();
    }
  }
}
