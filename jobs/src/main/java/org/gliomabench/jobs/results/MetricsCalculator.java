package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results;
import org.gliomabench.core.metrics.Bootstrap;
import org.gliomabench.core.metrics.DeLong;
import org.gliomabench.core.metrics.FoldSummary;
import org.gliomabench.core.metrics.MajorityBaseline;
import org.gliomabench.core.metrics.McNemar;
import org.gliomabench.core.metrics.Metric;
import org.gliomabench.core.metrics.PatientSample;
import org.gliomabench.jobs.results.ResultRows.AcrossFolds;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.MetricValue;
import org.gliomabench.jobs.results.ResultRows.Prediction;

/**
 * The metrics, baseline rows, paired tests and fold summaries of one run, computed on the driver with
 * the core metrics library (a run has at most a few thousand predictions rows). Patients are sorted by
 * id within a group so that the seeded bootstrap gives the same interval on every rerun.
 */
public final class MetricsCalculator {
  public static final String BASELINE_SCORE_SOURCE = "constant";
  private static final Comparator<Prediction> BY_PATIENT = Comparator.comparing(Prediction::patientId);

  private final Bootstrap bootstrap;

  public MetricsCalculator(Bootstrap bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Every metric with its interval, per model x plane x cohort x fold. */
  public List<MetricValue> metrics(List<Prediction> predictions) {
    List<MetricValue> out = new ArrayList<>();
    groups(predictions).forEach((group, rows) -> {
      rows.sort(BY_PATIENT);
      boolean scored = rows.stream().allMatch(r -> r.score() != null);
      PatientSample sample = new PatientSample(
          rows.stream().mapToInt(Prediction::label).toArray(),
          rows.stream().mapToInt(Prediction::pred).toArray(),
          scored ? rows.stream().mapToDouble(Prediction::score).toArray() : null);
      String source = rows.get(0).scoreSource();
      out.addAll(of(group, sample, source));
    });
    return out;
  }

  /** The "always HGG" baseline on the true labels of each cohort x fold (labels per patient). */
  public List<MetricValue> baseline(Map<Group, int[]> labelsByCohortFold) {
    List<MetricValue> out = new ArrayList<>();
    labelsByCohortFold.forEach((g, labels) -> out.addAll(of(
        new Group(Results.Metrics.BASELINE_MODEL, null, g.cohort(), g.fold()),
        MajorityBaseline.alwaysHgg().on(labels), BASELINE_SCORE_SOURCE)));
    return out;
  }

  private List<MetricValue> of(Group group, PatientSample sample, String scoreSource) {
    List<MetricValue> out = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      Bootstrap.Interval ci = bootstrap.interval(sample, metric);
      out.add(new MetricValue(group, metric.id(), number(ci.estimate()), number(ci.low()), number(ci.high()),
          sample.size(), scoreSource));
    }
    return out;
  }

  /** Mean and SD across folds, for every model x plane x cohort x metric seen in two folds or more. */
  public static List<AcrossFolds> acrossFolds(List<MetricValue> metrics) {
    Map<List<Object>, List<MetricValue>> byKey = new LinkedHashMap<>();
    for (MetricValue m : metrics) {
      if (m.group().fold() != null) {
        byKey.computeIfAbsent(java.util.Arrays.asList(m.group().model(), m.group().plane(), m.group().cohort(), m.metric()),
            k -> new ArrayList<>()).add(m);
      }
    }
    List<AcrossFolds> out = new ArrayList<>();
    byKey.forEach((k, rows) -> {
      if (rows.size() < 2) {
        return;
      }
      FoldSummary s = FoldSummary.of(rows.stream().mapToDouble(r -> r.value() == null ? Double.NaN : r.value()).toArray());
      out.add(new AcrossFolds((String) k.get(0), (String) k.get(1), (String) k.get(2), (String) k.get(3),
          number(s.mean()), number(s.sd()), s.folds(), s.counted()));
    });
    return out;
  }

  /**
   * The CNN-side models: the CNN's folds and aggregate's two answers on the test cohort, the multi-task U-Net's folds
   * and its fold ensemble.
   */
  static final java.util.Set<String> CNN_MODELS = java.util.Set.of(Predictions.MODEL_CNN,
      Predictions.MODEL_CNN_ENSEMBLE, Predictions.MODEL_CNN_SELECTED, Predictions.MODEL_MULTITASK,
      Predictions.MODEL_MULTITASK_ENSEMBLE);

  static boolean isCnn(String model) {
    return CNN_MODELS.contains(model);
  }

  /**
   * McNemar (exact) and DeLong for each CNN model against every LLM arm and plane, on the patients both
   * predicted: for each CNN group (cohort, fold), the LLM rows of the same cohort and patients. The CNN's
   * test-cohort answers (ensemble, selected fold) are also compared with the always-HGG baseline.
   */
  public static List<Comparison> comparisons(List<Prediction> predictions) {
    Map<Group, List<Prediction>> groups = groups(predictions);
    // LLM rows by (model, plane, cohort), then patient: an LLM arm has no folds of its own.
    Map<List<String>, Map<String, Prediction>> llm = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Prediction p : predictions) {
      if (!isCnn(p.model()) && p.plane() != null) {
        llm.computeIfAbsent(java.util.Arrays.asList(p.model(), p.plane(), p.cohort()), k -> new TreeMap<>())
            .put(p.patientId(), p);
      }
    }
    List<Comparison> out = new ArrayList<>();
    groups.forEach((cnnGroup, cnnRows) -> {
      if (!isCnn(cnnGroup.model())) {
        return;
      }
      cnnRows.sort(BY_PATIENT);
      llm.forEach((key, llmByPatient) -> {
        if (!Objects.equals(key.get(2), cnnGroup.cohort())) {
          return;
        }
        List<Prediction> a = new ArrayList<>();
        List<Prediction> b = new ArrayList<>();
        for (Prediction p : cnnRows) {
          Prediction q = llmByPatient.get(p.patientId());
          if (q != null) {
            a.add(p);
            b.add(q);
          }
        }
        if (!a.isEmpty()) {
          out.add(compare(cnnGroup, key.get(0), key.get(1), a, b));
        }
      });
      if (cnnGroup.fold() == null) { // the test-cohort answers (ensembles, selected fold), not each fold's model
        MajorityBaseline always = MajorityBaseline.alwaysHgg();
        int[] pred = always.predictions(cnnRows.size());
        double[] score = always.scores(cnnRows.size());
        List<Prediction> b = new ArrayList<>();
        for (int i = 0; i < cnnRows.size(); i++) {
          Prediction p = cnnRows.get(i);
          b.add(new Prediction(Results.Metrics.BASELINE_MODEL, null, p.cohort(), null, p.patientId(), p.label(),
              score[i], pred[i], BASELINE_SCORE_SOURCE, null));
        }
        out.add(compare(cnnGroup, Results.Metrics.BASELINE_MODEL, null, cnnRows, b));
      }
    });
    return out;
  }

  /** McNemar and DeLong of model a's rows against model b's, patient by patient (both lists in the same order). */
  static Comparison compare(Group cnn, String modelB, String planeB, List<Prediction> a, List<Prediction> b) {
    int[] labels = a.stream().mapToInt(Prediction::label).toArray();
    McNemar m = McNemar.test(labels, a.stream().mapToInt(Prediction::pred).toArray(),
        b.stream().mapToInt(Prediction::pred).toArray());
    Double aucA = null;
    Double aucB = null;
    Double z = null;
    Double p = null;
    Double difference = null;
    if (a.stream().allMatch(r -> r.score() != null) && b.stream().allMatch(r -> r.score() != null)) {
      DeLong d = DeLong.test(labels, a.stream().mapToDouble(Prediction::score).toArray(),
          b.stream().mapToDouble(Prediction::score).toArray());
      aucA = number(d.auc1());
      aucB = number(d.auc2());
      difference = number(d.difference());
      z = number(d.z());
      p = number(d.pValue());
    }
    return new Comparison(cnn.cohort(), cnn.fold(), cnn.model(), modelB, planeB, labels.length, m.bothCorrect(),
        m.onlyFirstCorrect(), m.onlySecondCorrect(), m.bothWrong(), m.pValue(), aucA, aucB, difference, z, p);
  }

  static Map<Group, List<Prediction>> groups(List<Prediction> predictions) {
    Map<Group, List<Prediction>> groups = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Prediction p : predictions) {
      groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p);
    }
    return groups;
  }

  /** NaN (undefined) is stored as null so that SQL aggregates skip it. */
  static Double number(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
