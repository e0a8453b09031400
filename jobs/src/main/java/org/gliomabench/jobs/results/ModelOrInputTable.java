package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.ModelOrInput;
import org.gliomabench.core.metrics.BinaryMetrics;
import org.gliomabench.core.metrics.ConfusionCounts;
import org.gliomabench.core.metrics.Metric;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.MetricValue;
import org.gliomabench.jobs.results.ResultRows.Prediction;
import org.gliomabench.jobs.warehouse.SparkTables;

/**
 * "Model or input?": on the held-out test cohort, every LLM arm per plane (and every other model beside the CNN's
 * own that sees whole volumes) against the general arm on the same plane and against the CNN fold ensemble, on the
 * patients both answered: the row's metrics with their intervals, the balanced-accuracy difference, McNemar's and
 * DeLong's p; and how often the row agrees with the CNN, and who is right where they disagree (does a CNN-informed
 * LLM add anything, or only follow?). Built by aggregate from its metrics and the predictions.
 */
final class ModelOrInputTable {
  /** One row of the table. */
  record ArmRow(int position, String model, String plane, String shown, boolean simulated, int n,
      Map<String, MetricValue> metrics, String generalArm, Pair vsGeneral, Pair vsCnn, Agreement agreement) {}

  /** A paired comparison on the common patients. */
  record Pair(int n, Double balancedAccuracyDifference, Double mcnemarP, Double delongP) {}

  /** Agreement with the CNN ensemble and accuracy where the two disagree. */
  record Agreement(double share, int disagreements, Double accuracy, Double cnnAccuracy) {}

  private static final List<String> PLANE_ORDER = List.of("axial", "coronal", "sagittal");

  private ModelOrInputTable() {}

  /**
   * @param shownByArm what each LLM arm shows (llm_arm_plans: 'slice', 'montage', ...); arms not listed show the slice
   * @param generalArm the arm every other is compared with (llm.compare.general)
   */
  static List<ArmRow> build(List<Prediction> predictions, List<MetricValue> metrics, Set<String> simulated,
      Map<String, String> shownByArm, String generalArm) {
    Map<List<String>, Map<String, Prediction>> test = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Prediction p : predictions) {
      if (Tables.COHORT_TEST.equals(p.cohort()) && p.fold() == null) {
        test.computeIfAbsent(java.util.Arrays.asList(p.model(), p.plane()), k -> new TreeMap<>()).put(p.patientId(), p);
      }
    }
    Map<String, Prediction> cnn = test.get(java.util.Arrays.asList(Predictions.MODEL_CNN_ENSEMBLE, null));
    Map<Group, Map<String, MetricValue>> byGroup = new LinkedHashMap<>();
    for (MetricValue m : metrics) {
      if (Tables.COHORT_TEST.equals(m.group().cohort()) && m.group().fold() == null) {
        byGroup.computeIfAbsent(m.group(), g -> new LinkedHashMap<>()).put(m.metric(), m);
      }
    }
    List<List<String>> keys = new ArrayList<>();
    for (List<String> k : test.keySet()) {
      String model = k.get(0);
      if (MetricsCalculator.isCnn(model) || Metrics.BASELINE_MODEL.equals(model)) {
        continue;
      }
      keys.add(k);
    }
    keys.sort(Comparator.comparingInt((List<String> k) -> k.get(1) == null ? 1 : 0)
        .thenComparingInt(k -> k.get(0).equals(generalArm) ? 0 : 1).thenComparing(k -> k.get(0))
        .thenComparingInt(k -> k.get(1) == null ? -1 : PLANE_ORDER.contains(k.get(1)) ? PLANE_ORDER.indexOf(k.get(1)) : 9));
    List<ArmRow> out = new ArrayList<>();
    for (List<String> k : keys) {
      String model = k.get(0);
      String plane = k.get(1);
      Map<String, Prediction> rows = test.get(k);
      Map<String, Prediction> general = plane == null || model.equals(generalArm) ? null
          : test.get(java.util.Arrays.asList(generalArm, plane));
      Map<String, MetricValue> m = byGroup.getOrDefault(new Group(model, plane, Tables.COHORT_TEST, null), Map.of());
      String shown = plane == null ? "volume" : shownByArm.getOrDefault(model, "slice");
      out.add(new ArmRow(out.size(), model, plane, shown, simulated.contains(model), rows.size(), m,
          general == null ? null : generalArm, general == null ? null : pair(rows, general), cnn == null ? null : pair(rows, cnn),
          cnn == null ? null : agreement(rows, cnn)));
    }
    return out;
  }

  private static Pair pair(Map<String, Prediction> a, Map<String, Prediction> b) {
    List<Prediction> x = new ArrayList<>();
    List<Prediction> y = new ArrayList<>();
    a.forEach((id, p) -> {
      Prediction q = b.get(id);
      if (q != null) {
        x.add(p);
        y.add(q);
      }
    });
    if (x.isEmpty()) {
      return new Pair(0, null, null, null);
    }
    Comparison c = MetricsCalculator.compare(new Group(x.get(0).model(), x.get(0).plane(), Tables.COHORT_TEST, null),
        y.get(0).model(), y.get(0).plane(), x, y);
    Double ba = balancedAccuracy(x);
    Double bb = balancedAccuracy(y);
    return new Pair(x.size(), ba == null || bb == null ? null : ba - bb, c.mcnemarP(), c.delongP());
  }

  private static Double balancedAccuracy(List<Prediction> rows) {
    ConfusionCounts c = ConfusionCounts.of(rows.stream().mapToInt(Prediction::label).toArray(),
        rows.stream().mapToInt(Prediction::pred).toArray());
    return MetricsCalculator.number(BinaryMetrics.of(c).balancedAccuracy());
  }

  private static Agreement agreement(Map<String, Prediction> rows, Map<String, Prediction> cnn) {
    int same = 0;
    int n = 0;
    int disagree = 0;
    int right = 0;
    int cnnRight = 0;
    for (Map.Entry<String, Prediction> e : rows.entrySet()) {
      Prediction c = cnn.get(e.getKey());
      if (c == null) {
        continue;
      }
      n++;
      if (c.pred() == e.getValue().pred()) {
        same++;
      } else {
        disagree++;
        right += e.getValue().pred() == e.getValue().label() ? 1 : 0;
        cnnRight += c.pred() == c.label() ? 1 : 0;
      }
    }
    if (n == 0) {
      return null;
    }
    return new Agreement((double) same / n, disagree, disagree == 0 ? null : (double) right / disagree,
        disagree == 0 ? null : (double) cnnRight / disagree);
  }

  /** One sentence per cnn-informed row: does it add to the CNN, or follow it? */
  static List<String> cnnInformedFindings(List<ArmRow> rows) {
    List<String> out = new ArrayList<>();
    for (ArmRow r : rows) {
      if (!"cnn_informed".equals(r.shown()) || r.agreement() == null) {
        continue;
      }
      Agreement a = r.agreement();
      StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
          "%s (%s plane%s) agrees with the CNN fold ensemble on %.0f %% of %d test patients", r.model(), r.plane(),
          r.simulated() ? ", SIMULATED" : "", 100 * a.share(), r.vsCnn() == null ? r.n() : r.vsCnn().n()));
      if (a.disagreements() == 0) {
        s.append(": it only follows the CNN here (no patient where they differ)");
      } else {
        s.append(String.format(java.util.Locale.ROOT, "; on the %d where they differ it is right on %.0f %% and the CNN on"
            + " %.0f %%", a.disagreements(), 100 * a.accuracy(), 100 * a.cnnAccuracy()));
        s.append(a.accuracy() > a.cnnAccuracy() ? ": it adds to the CNN there" : a.accuracy() < a.cnnAccuracy()
            ? ": where it departs from the CNN it is mostly wrong" : ": neither is better there");
      }
      out.add(s.append('.').toString());
    }
    return out;
  }

  static List<Row> sparkRows(String runId, List<ArmRow> rows) {
    List<Row> out = new ArrayList<>();
    for (ArmRow r : rows) {
      SparkTables.RowBuilder b = SparkTables.row(ModelOrInput.TABLE).set(Tables.RUN_ID, runId)
          .set(Headline.POSITION, r.position()).set(Predictions.MODEL, r.model()).set(Tables.PLANE, r.plane())
          .set(ModelOrInput.SHOWN, r.shown()).set(Headline.SIMULATED, r.simulated()).set(Headline.N, r.n());
      for (Metric m : HeadlineTable.METRICS) {
        MetricValue v = r.metrics().get(m.id());
        b.set(m.id(), v == null ? null : v.value()).set(m.id() + Headline.CI_LOW_SUFFIX, v == null ? null : v.ciLow())
            .set(m.id() + Headline.CI_HIGH_SUFFIX, v == null ? null : v.ciHigh());
      }
      Pair g = r.vsGeneral();
      Pair c = r.vsCnn();
      Agreement a = r.agreement();
      out.add(b.set(ModelOrInput.GENERAL_ARM, r.generalArm())
          .set(ModelOrInput.N_VS_GENERAL, g == null ? null : g.n())
          .set(ModelOrInput.BALANCED_ACCURACY_VS_GENERAL, g == null ? null : g.balancedAccuracyDifference())
          .set(ModelOrInput.MCNEMAR_P_VS_GENERAL, g == null ? null : g.mcnemarP())
          .set(ModelOrInput.DELONG_P_VS_GENERAL, g == null ? null : g.delongP())
          .set(ModelOrInput.N_VS_CNN, c == null ? null : c.n())
          .set(ModelOrInput.BALANCED_ACCURACY_VS_CNN, c == null ? null : c.balancedAccuracyDifference())
          .set(ModelOrInput.MCNEMAR_P_VS_CNN, c == null ? null : c.mcnemarP())
          .set(ModelOrInput.DELONG_P_VS_CNN, c == null ? null : c.delongP())
          .set(ModelOrInput.AGREEMENT_WITH_CNN, a == null ? null : a.share())
          .set(ModelOrInput.DISAGREEMENTS, a == null ? null : a.disagreements())
          .set(ModelOrInput.ACCURACY_WHERE_DISAGREE, a == null ? null : a.accuracy())
          .set(ModelOrInput.CNN_ACCURACY_WHERE_DISAGREE, a == null ? null : a.cnnAccuracy()).build());
    }
    return out;
  }

  /** Rows read back from the table (the report uses these). */
  static List<ArmRow> fromTable(List<Row> table) {
    List<ArmRow> out = new ArrayList<>();
    for (Row r : table) {
      String model = SparkTables.string(r, Predictions.MODEL);
      String plane = SparkTables.string(r, Tables.PLANE);
      int n = SparkTables.intValue(r, Headline.N);
      Group g = new Group(model, plane, Tables.COHORT_TEST, null);
      Map<String, MetricValue> m = new LinkedHashMap<>();
      for (Metric x : HeadlineTable.METRICS) {
        m.put(x.id(), new MetricValue(g, x.id(), SparkTables.doubleOrNull(r, x.id()),
            SparkTables.doubleOrNull(r, x.id() + Headline.CI_LOW_SUFFIX), SparkTables.doubleOrNull(r, x.id() + Headline.CI_HIGH_SUFFIX),
            n, null));
      }
      Integer ng = SparkTables.intOrNull(r, ModelOrInput.N_VS_GENERAL);
      Integer nc = SparkTables.intOrNull(r, ModelOrInput.N_VS_CNN);
      Double share = SparkTables.doubleOrNull(r, ModelOrInput.AGREEMENT_WITH_CNN);
      out.add(new ArmRow(SparkTables.intValue(r, Headline.POSITION), model, plane, SparkTables.string(r, ModelOrInput.SHOWN),
          Boolean.TRUE.equals(SparkTables.boolOrNull(r, Headline.SIMULATED)), n, m,
          SparkTables.string(r, ModelOrInput.GENERAL_ARM),
          ng == null ? null : new Pair(ng, SparkTables.doubleOrNull(r, ModelOrInput.BALANCED_ACCURACY_VS_GENERAL),
              SparkTables.doubleOrNull(r, ModelOrInput.MCNEMAR_P_VS_GENERAL), SparkTables.doubleOrNull(r, ModelOrInput.DELONG_P_VS_GENERAL)),
          nc == null ? null : new Pair(nc, SparkTables.doubleOrNull(r, ModelOrInput.BALANCED_ACCURACY_VS_CNN),
              SparkTables.doubleOrNull(r, ModelOrInput.MCNEMAR_P_VS_CNN), SparkTables.doubleOrNull(r, ModelOrInput.DELONG_P_VS_CNN)),
          share == null ? null : new Agreement(share, SparkTables.intValue(r, ModelOrInput.DISAGREEMENTS),
              SparkTables.doubleOrNull(r, ModelOrInput.ACCURACY_WHERE_DISAGREE),
              SparkTables.doubleOrNull(r, ModelOrInput.CNN_ACCURACY_WHERE_DISAGREE))));
    }
    out.sort(Comparator.comparingInt(ArmRow::position));
    return out;
  }

  /** A row's name: "montage, axial (montage)" or "multitask_ensemble (volume)". */
  static String label(ArmRow r) {
    return r.model() + (r.plane() == null ? "" : ", " + r.plane()) + " (" + r.shown().replace('_', ' ') + ")";
  }

  /** "+0.12 (McNemar p 0.250, DeLong p 0.301, n 6)"; "-" without a comparison. */
  static String versus(Pair p) {
    if (p == null) {
      return "-";
    }
    return (p.balancedAccuracyDifference() == null ? "n/a" : String.format(java.util.Locale.ROOT, "%+.2f",
        p.balancedAccuracyDifference())) + " (McNemar p " + HeadlineTable.p(p.mcnemarP()) + ", DeLong p "
        + HeadlineTable.p(p.delongP()) + ", n " + p.n() + ")";
  }

  static String agreement(ArmRow r) {
    Agreement a = r.agreement();
    if (a == null) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "%.0f %%", 100 * a.share()) + (a.disagreements() == 0 ? ""
        : String.format(java.util.Locale.ROOT, "; differ on %d: right %.0f %% vs CNN %.0f %%", a.disagreements(),
            100 * a.accuracy(), 100 * a.cnnAccuracy()));
  }

  /** The table as console text. */
  static String text(List<ArmRow> rows) {
    StringBuilder sb = new StringBuilder(String.format("  %-52s %4s %-20s %-20s %-42s %-42s %s%n", "arm, plane (shown)", "n",
        "balanced accuracy", "AUC", "balanced accuracy vs general", "balanced accuracy vs CNN ensemble", "agrees with CNN"));
    for (ArmRow r : rows) {
      sb.append(String.format("  %-52s %4d %-20s %-20s %-42s %-42s %s%n", label(r) + (r.simulated() ? " [SIMULATED]" : ""),
          r.n(), MetricsTable.withInterval(r.metrics().get(Metric.BALANCED_ACCURACY.id())),
          MetricsTable.withInterval(r.metrics().get(Metric.AUC.id())), versus(r.vsGeneral()), versus(r.vsCnn()), agreement(r)));
    }
    return sb.toString();
  }

  /** The table in Markdown (summary.md). */
  static String markdown(List<ArmRow> rows) {
    StringBuilder sb = new StringBuilder("| arm, plane (shown) | n | accuracy | specificity | balanced accuracy | AUC |"
        + " vs general: balanced accuracy difference (p) | vs CNN ensemble | agrees with CNN |\n|---|---|---|---|---|---|---|---|---|\n");
    for (ArmRow r : rows) {
      sb.append("| ").append(label(r)).append(r.simulated() ? " **[SIMULATED]**" : "").append(" | ").append(r.n()).append(" |");
      HeadlineTable.METRICS.forEach(m -> sb.append(' ').append(MetricsTable.withInterval(r.metrics().get(m.id()))).append(" |"));
      sb.append(' ').append(versus(r.vsGeneral())).append(" | ").append(versus(r.vsCnn())).append(" | ").append(agreement(r))
          .append(" |\n");
    }
    return sb.toString();
  }
}
