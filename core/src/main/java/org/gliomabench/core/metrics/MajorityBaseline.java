package org.gliomabench.core.metrics;

/**
 * The baseline that ignores the images and always predicts one class: the majority class of a
 * reference cohort (BraTS: HGG). An arm that answers mostly HGG, like the study's LLM (accuracy 0.78,
 * specificity 0), is visibly no better than this row. Its constant score gives AUC 0.5.
 *
 * @param label the predicted label, 1 = HGG, 0 = LGG
 */
public record MajorityBaseline(int label) {

  public MajorityBaseline {
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("baseline label must be 0 (LGG) or 1 (HGG), got " + label);
    }
  }

  /** The study's baseline: always HGG. */
  public static MajorityBaseline alwaysHgg() {
    return new MajorityBaseline(1);
  }

  /** The majority class of the reference labels (e.g. the training cohort); a tie goes to HGG. */
  public static MajorityBaseline of(int[] referenceLabels) {
    Checks.binary(referenceLabels, "reference labels");
    int hgg = 0;
    for (int label : referenceLabels) {
      hgg += label;
    }
    return new MajorityBaseline(2 * hgg >= referenceLabels.length ? 1 : 0);
  }

  public int[] predictions(int patients) {
    int[] p = new int[patients];
    java.util.Arrays.fill(p, label);
    return p;
  }

  /** The same score for every patient: no ranking, AUC 0.5. */
  public double[] scores(int patients) {
    double[] s = new double[patients];
    java.util.Arrays.fill(s, label);
    return s;
  }

  /** The baseline's sample on a cohort with these true labels. */
  public PatientSample on(int[] labels) {
    return new PatientSample(labels, predictions(labels.length), scores(labels.length));
  }
}
