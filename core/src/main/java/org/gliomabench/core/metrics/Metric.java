package org.gliomabench.core.metrics;

import java.util.function.ToDoubleFunction;

/** The metrics of the {@code metrics} table, each with the id written in its {@code metric} column. */
public enum Metric {
  ACCURACY("accuracy", s -> BinaryMetrics.of(s.counts()).accuracy()),
  PRECISION("precision", s -> BinaryMetrics.of(s.counts()).precision()),
  RECALL("recall", s -> BinaryMetrics.of(s.counts()).recall()),
  SPECIFICITY("specificity", s -> BinaryMetrics.of(s.counts()).specificity()),
  F1("f1", s -> BinaryMetrics.of(s.counts()).f1()),
  BALANCED_ACCURACY("balanced_accuracy", s -> BinaryMetrics.of(s.counts()).balancedAccuracy()),
  MCC("mcc", s -> BinaryMetrics.of(s.counts()).matthews()),
  /** NaN when the sample has no scores or one class only. */
  AUC("auc", s -> s.hasScores() ? RocAuc.auc(s.labels(), s.scores()) : Double.NaN),
  TP("tp", s -> s.counts().tp()),
  FP("fp", s -> s.counts().fp()),
  TN("tn", s -> s.counts().tn()),
  FN("fn", s -> s.counts().fn());

  private final String id;
  private final ToDoubleFunction<PatientSample> formula;

  Metric(String id, ToDoubleFunction<PatientSample> formula) {
    this.id = id;
    this.formula = formula;
  }

  /** The value of the {@code metric} column. */
  public String id() {
    return id;
  }

  public double of(PatientSample sample) {
    return formula.applyAsDouble(sample);
  }

  public static Metric fromId(String id) {
    for (Metric m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + id + "'");
  }
}
