package org.gliomabench.core.metrics;

/**
 * One classifier's results on a cohort, one entry per patient: true label, predicted label and the
 * score behind it (P(HGG), GLDR, ...; null when the arm has none, so AUC cannot be computed).
 * The arrays are not copied; callers do not change them afterwards.
 */
public record PatientSample(int[] labels, int[] predictions, double[] scores) {

  public PatientSample {
    Checks.binary(labels, "labels");
    Checks.binary(predictions, "predictions");
    Checks.sameLength(labels.length, predictions.length, "predictions");
    if (scores != null) {
      Checks.finiteOrInfinite(scores, "scores");
      Checks.sameLength(labels.length, scores.length, "scores");
    }
  }

  public int size() {
    return labels.length;
  }

  public boolean hasScores() {
    return scores != null;
  }

  public ConfusionCounts counts() {
    return ConfusionCounts.of(labels, predictions);
  }

  /** The patients at the given indices, repeats allowed (a bootstrap resample). */
  public PatientSample select(int[] indices) {
    int[] l = new int[indices.length];
    int[] p = new int[indices.length];
    double[] s = scores == null ? null : new double[indices.length];
    for (int k = 0; k < indices.length; k++) {
      l[k] = labels[indices[k]];
      p[k] = predictions[indices[k]];
      if (s != null) {
        s[k] = scores[indices[k]];
      }
    }
    return new PatientSample(l, p, s);
  }
}
