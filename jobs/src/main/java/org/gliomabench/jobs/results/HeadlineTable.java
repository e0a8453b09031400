package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.metrics.Metric;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.HeadlineRow;
import org.gliomabench.jobs.results.ResultRows.MetricValue;

/**
 * The study's answer on the held-out test cohort: the CNN fold ensemble (the reference), the fold chosen by
 * validation, the multi-task U-Net's fold ensemble, every LLM arm on every plane, the always-HGG baseline, each with accuracy, specificity,
 * balanced accuracy and AUC with their intervals and n, the paired tests against the reference, and one
 * sentence that says it all. Built by aggregate from its metrics and comparisons, stored as the headline
 * table, read back by the report, summary.md and the notebooks.
 */
final class HeadlineTable {
  /** The metrics the headline shows, in order. */
  static final List<Metric> METRICS = List.of(Metric.ACCURACY, Metric.SPECIFICITY, Metric.BALANCED_ACCURACY, Metric.AUC);
  static final double ALPHA = 0.05;
  private static final List<String> PLANE_ORDER = List.of("axial", "coronal", "sagittal");

  private HeadlineTable() {}

  /** The rows, in display order; empty when no model was scored on the test cohort. */
  static List<HeadlineRow> build(List<MetricValue> metrics, List<Comparison> comparisons, Set<String> simulated,
      CnnTestModels.Result cnn) {
    return build(metrics, comparisons, simulated, cnn, null, null);
  }

  /**
   * The rows, the general arm ({@code generalArm}, the study's prompt and slice) first among the LLM arms.
   *
   * @param multitask the multi-task fold ensemble (its detail), or null
   */
  static List<HeadlineRow> build(List<MetricValue> metrics, List<Comparison> comparisons, Set<String> simulated,
      CnnTestModels.Result cnn, String generalArm, CnnTestModels.Ensemble multitask) {
    Map<ResultRows.Group, Map<String, MetricValue>> test = new LinkedHashMap<>();
    for (MetricValue m : metrics) {
      if (Tables.COHORT_TEST.equals(m.group().cohort()) && m.group().fold() == null) {
        test.computeIfAbsent(m.group(), g -> new LinkedHashMap<>()).put(m.metric(), m);
      }
    }
    String reference = test.keySet().stream().anyMatch(g -> Predictions.MODEL_CNN_ENSEMBLE.equals(g.model()))
        ? Predictions.MODEL_CNN_ENSEMBLE
        : test.keySet().stream().anyMatch(g -> Predictions.MODEL_CNN_SELECTED.equals(g.model())) ? Predictions.MODEL_CNN_SELECTED
        : null;
    List<ResultRows.Group> order = new ArrayList<>(test.keySet());
    order.sort(Comparator.comparingInt(HeadlineTable::rank).thenComparingInt(g -> g.model().equals(generalArm) ? 0 : 1)
        .thenComparing(ResultRows.Group::model)
        .thenComparingInt(g -> g.plane() == null ? -1 : PLANE_ORDER.contains(g.plane()) ? PLANE_ORDER.indexOf(g.plane()) : 9)
        .thenComparing(g -> Objects.toString(g.plane(), "")));
    List<HeadlineRow> rows = new ArrayList<>();
    for (ResultRows.Group g : order) {
      if (rank(g) > 4) {
        continue; // a CNN per fold, or anything else without a place in the answer
      }
      Map<String, MetricValue> byMetric = test.get(g);
      String role = role(g);
      boolean isReference = g.model().equals(reference);
      Comparison c = isReference || Predictions.MODEL_CNN_SELECTED.equals(g.model()) || reference == null ? null
          : comparisons.stream().filter(x -> Tables.COHORT_TEST.equals(x.cohort()) && x.fold() == null
              && reference.equals(x.modelA()) && g.model().equals(x.modelB()) && Objects.equals(g.plane(), x.planeB()))
              .findFirst().orElse(null);
      MetricValue any = byMetric.values().iterator().next();
      rows.add(new HeadlineRow(rows.size(), g.model(), g.plane(), role, label(g, cnn), detail(g, any, cnn, multitask),
          simulated.contains(g.model()), any.n(), byMetric, any.scoreSource(), c == null ? null : reference,
          c == null ? null : c.mcnemarP(), c == null ? null : c.delongP()));
    }
    return rows;
  }

  private static int rank(ResultRows.Group g) {
    if (Predictions.MODEL_CNN_ENSEMBLE.equals(g.model())) {
      return 0;
    } else if (Predictions.MODEL_CNN_SELECTED.equals(g.model())) {
      return 1;
    } else if (Predictions.MODEL_MULTITASK_ENSEMBLE.equals(g.model())) {
      return 2;
    } else if (Metrics.BASELINE_MODEL.equals(g.model())) {
      return 4;
    }
    return g.plane() != null ? 3 : 9;
  }

  private static String role(ResultRows.Group g) {
    switch (rank(g)) {
      case 0: return Headline.ROLE_ENSEMBLE;
      case 1: return Headline.ROLE_SELECTED;
      case 2: return Headline.ROLE_MULTITASK;
      case 4: return Headline.ROLE_BASELINE;
      default: return Headline.ROLE_LLM;
    }
  }

  private static String label(ResultRows.Group g, CnnTestModels.Result cnn) {
    switch (role(g)) {
      case Headline.ROLE_ENSEMBLE: return "CNN, fold ensemble";
      case Headline.ROLE_SELECTED:
        return cnn == null || cnn.isEmpty() ? "CNN, fold selected by validation"
            : "CNN, fold " + cnn.selectedFold() + " (selected by validation)";
      case Headline.ROLE_MULTITASK: return "multi-task U-Net, fold ensemble";
      case Headline.ROLE_BASELINE: return "always HGG (baseline)";
      default: return g.model() + ", " + g.plane() + " plane";
    }
  }

  private static String detail(ResultRows.Group g, MetricValue any, CnnTestModels.Result cnn,
      CnnTestModels.Ensemble multitask) {
    switch (role(g)) {
      case Headline.ROLE_ENSEMBLE: return cnn == null || cnn.isEmpty() ? null : cnn.ensembleDetail();
      case Headline.ROLE_SELECTED: return cnn == null || cnn.isEmpty() ? null : cnn.selectedDetail();
      case Headline.ROLE_MULTITASK:
        return "the U-Net trained to segment and to grade (a grade head on its bottleneck)"
            + (multitask == null || multitask.rows().isEmpty() ? "" : "; " + multitask.detail());
      case Headline.ROLE_BASELINE: return "answers HGG for every patient (AUC 0.5 by construction)";
      default:
        return "winner-takes-all vote over the slices; AUC from "
            + ("mean_p_hgg".equals(any.scoreSource()) ? "the mean P(HGG) of the slices" : "GLDR = HGG / (HGG + LGG) slices");
    }
  }

  /** The answer in one sentence a reader can quote. */
  static String finding(List<HeadlineRow> rows) {
    return finding(rows, Set.of());
  }

  /**
   * The answer in one sentence; the best LLM arm is chosen among those not shown the CNN's own answer
   * ({@code cnnInformed}: such an arm matching the CNN says nothing about the LLM alone; model_or_input compares it).
   */
  static String finding(List<HeadlineRow> rows, Set<String> cnnInformed) {
    if (rows.isEmpty()) {
      return "No model was scored on a held-out test cohort in this run.";
    }
    HeadlineRow baseline = rows.stream().filter(r -> Headline.ROLE_BASELINE.equals(r.role())).findFirst().orElse(null);
    HeadlineRow cnn = rows.stream().filter(r -> r.versus() == null && isCnnAnswer(r)).findFirst().orElse(null);
    HeadlineRow multitask = rows.stream().filter(r -> Headline.ROLE_MULTITASK.equals(r.role())).findFirst().orElse(null);
    HeadlineRow llm = rows.stream().filter(r -> Headline.ROLE_LLM.equals(r.role()) && !cnnInformed.contains(r.model()))
        .max(Comparator.comparing((HeadlineRow r) -> orMinus(r.value("balanced_accuracy")))
            .thenComparing(r -> orMinus(r.value("auc"))).thenComparing(r -> -r.position()))
        .orElse(null);
    StringBuilder s = new StringBuilder("On the held-out test cohort (");
    HeadlineRow counts = baseline != null ? baseline : rows.get(0);
    Double hgg = sum(counts, "tp", "fn");
    Double lgg = sum(counts, "fp", "tn");
    s.append(counts.n()).append(" patients");
    if (hgg != null && lgg != null) {
      s.append(String.format(Locale.ROOT, ": %d HGG, %d LGG", Math.round(hgg), Math.round(lgg)));
    }
    s.append("), ");
    if (cnn != null) {
      s.append(Headline.ROLE_ENSEMBLE.equals(cnn.role()) ? "the CNN fold ensemble" : "the CNN selected by validation")
          .append(" reached balanced accuracy ").append(withCi(cnn, "balanced_accuracy", true)).append(" and AUC ")
          .append(withCi(cnn, "auc", false));
      if (llm != null) {
        s.append(", against ").append(withCi(llm, "balanced_accuracy", false)).append(" and ")
            .append(withCi(llm, "auc", false)).append(" for the best LLM arm, ").append(llm.model()).append(" on the ")
            .append(llm.plane()).append(" plane").append(llm.simulated() ? " (SIMULATED answers)" : "");
        s.append(tests(llm));
      }
    } else if (llm != null) {
      s.append("the best LLM arm, ").append(llm.model()).append(" on the ").append(llm.plane()).append(" plane")
          .append(llm.simulated() ? " (SIMULATED answers)" : "").append(", reached balanced accuracy ")
          .append(withCi(llm, "balanced_accuracy", true)).append(" and AUC ").append(withCi(llm, "auc", false));
    }
    if (multitask != null) {
      s.append(cnn != null || llm != null ? "; " : "").append("the multi-task U-Net (segmenting as well as grading)")
          .append(" reached balanced accuracy ").append(withCi(multitask, "balanced_accuracy", cnn == null && llm == null))
          .append(" and AUC ").append(withCi(multitask, "auc", false));
      if (multitask.versus() != null) {
        s.append(" (against the CNN fold ensemble: McNemar p ")
            .append(multitask.mcnemarP() == null ? "undefined" : "= " + p(multitask.mcnemarP())).append(", DeLong p ")
            .append(multitask.delongP() == null ? "undefined" : "= " + p(multitask.delongP())).append(')');
      }
    }
    if (baseline != null) {
      s.append(cnn != null || llm != null || multitask != null ? "; " : "")
          .append("answering HGG for every patient scores accuracy ")
          .append(num(baseline.value("accuracy"))).append(" with specificity ").append(num(baseline.value("specificity")));
    }
    return s.append('.').toString();
  }

  /** The CNN's own answers (the fold ensemble, the selected fold): the rows the others are tested against. */
  static boolean isCnnAnswer(HeadlineRow r) {
    return Headline.ROLE_ENSEMBLE.equals(r.role()) || Headline.ROLE_SELECTED.equals(r.role());
  }

  /** "; the paired difference is (not) significant at the 5 % level (McNemar p = .., DeLong p = ..)". */
  private static String tests(HeadlineRow llm) {
    if (llm.mcnemarP() == null && llm.delongP() == null) {
      return "";
    }
    boolean m = llm.mcnemarP() != null && llm.mcnemarP() < ALPHA;
    boolean d = llm.delongP() != null && llm.delongP() < ALPHA;
    String verdict;
    if (llm.mcnemarP() == null || llm.delongP() == null) {
      verdict = m || d ? "is significant" : "is not significant";
    } else if (m && d) {
      verdict = "is significant in both tests";
    } else if (!m && !d) {
      verdict = "is not significant in either test";
    } else {
      verdict = "is significant in " + (m ? "McNemar's" : "DeLong's") + " test only";
    }
    return "; on the same patients the difference " + verdict + " at the 5 % level (McNemar p "
        + (llm.mcnemarP() == null ? "undefined" : "= " + p(llm.mcnemarP())) + ", DeLong p "
        + (llm.delongP() == null ? "undefined" : "= " + p(llm.delongP())) + ")";
  }

  /** "0.83 (95 % CI 0.50–1.00)" the first time, "0.83 (0.50–1.00)" after. */
  static String withCi(HeadlineRow r, String metric, boolean first) {
    MetricValue v = r.metrics().get(metric);
    if (v == null || v.value() == null) {
      return "n/a";
    }
    return v.ciLow() == null ? num(v.value())
        : String.format(Locale.ROOT, "%.2f (%s%.2f\u2013%.2f)", v.value(), first ? "95 % CI " : "", v.ciLow(), v.ciHigh());
  }

  static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String p(Double v) {
    return v == null ? "n/a" : v < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static double orMinus(Double v) {
    return v == null ? -1 : v;
  }

  private static Double sum(HeadlineRow r, String a, String b) {
    MetricValue x = r.metrics().get(a);
    MetricValue y = r.metrics().get(b);
    return x == null || y == null || x.value() == null || y.value() == null ? null : x.value() + y.value();
  }

  /** The rows as the headline table's Spark rows. */
  static List<Row> sparkRows(String runId, List<HeadlineRow> rows, String finding) {
    List<Row> out = new ArrayList<>();
    for (HeadlineRow r : rows) {
      SparkTables.RowBuilder row = SparkTables.row(Headline.TABLE).set(Tables.RUN_ID, runId)
          .set(Headline.POSITION, r.position()).set(Predictions.MODEL, r.model()).set(Tables.PLANE, r.plane())
          .set(Headline.ROLE, r.role()).set(Headline.LABEL, r.label()).set(Headline.DETAIL, r.detail())
          .set(Headline.SIMULATED, r.simulated()).set(Tables.COHORT, Tables.COHORT_TEST).set(Headline.N, r.n());
      for (Metric m : METRICS) {
        MetricValue mv = r.metrics().get(m.id());
        row.set(m.id(), mv == null ? null : mv.value())
            .set(m.id() + Headline.CI_LOW_SUFFIX, mv == null ? null : mv.ciLow())
            .set(m.id() + Headline.CI_HIGH_SUFFIX, mv == null ? null : mv.ciHigh());
      }
      for (String c : List.of(Headline.TP, Headline.FP, Headline.TN, Headline.FN)) {
        Double x = r.value(c);
        row.set(c, x == null ? null : (int) Math.round(x));
      }
      out.add(row.set(Headline.SCORE_SOURCE, r.scoreSource()).set(Headline.VERSUS, r.versus())
          .set(Headline.MCNEMAR_P, r.mcnemarP()).set(Headline.DELONG_P, r.delongP()).set(Headline.FINDING, finding).build());
    }
    return out;
  }

  /** Headline rows read back from the table (the report and summary.md use these). */
  static List<HeadlineRow> fromTable(List<Row> table) {
    List<HeadlineRow> rows = new ArrayList<>();
    for (Row r : table) {
      Map<String, MetricValue> metrics = new LinkedHashMap<>();
      int n = r.<Integer>getAs(Headline.N);
      ResultRows.Group g = new ResultRows.Group(r.getAs(Predictions.MODEL), r.getAs(Tables.PLANE), Tables.COHORT_TEST, null);
      for (Metric m : METRICS) {
        metrics.put(m.id(), new MetricValue(g, m.id(), r.getAs(m.id()), r.getAs(m.id() + Headline.CI_LOW_SUFFIX),
            r.getAs(m.id() + Headline.CI_HIGH_SUFFIX), n, r.getAs(Headline.SCORE_SOURCE)));
      }
      for (String c : List.of(Headline.TP, Headline.FP, Headline.TN, Headline.FN)) {
        Integer x = SparkTables.intOrNull(r, c);
        metrics.put(c, new MetricValue(g, c, x == null ? null : x.doubleValue(), null, null, n, null));
      }
      rows.add(new HeadlineRow(r.<Integer>getAs(Headline.POSITION), g.model(), g.plane(), r.getAs(Headline.ROLE),
          r.getAs(Headline.LABEL), r.getAs(Headline.DETAIL), Boolean.TRUE.equals(r.getAs(Headline.SIMULATED)), n, metrics,
          r.getAs(Headline.SCORE_SOURCE), r.getAs(Headline.VERSUS), r.getAs(Headline.MCNEMAR_P), r.getAs(Headline.DELONG_P)));
    }
    rows.sort(Comparator.comparingInt(HeadlineRow::position));
    return rows;
  }
}
