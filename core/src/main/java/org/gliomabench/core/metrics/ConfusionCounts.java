package org.gliomabench.core.metrics;

/**
 * The 2x2 confusion matrix of a binary classifier, positive = HGG = label 1.
 *
 * @param tp HGG predicted HGG
 * @param fp LGG predicted HGG
 * @param tn LGG predicted LGG
 * @param fn HGG predicted LGG
 */
public record ConfusionCounts(int tp, int fp, int tn, int fn) {

  public ConfusionCounts {
    if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
      throw new IllegalArgumentException("confusion counts must be >= 0: " + this);
    }
  }

  /** Counts the (label, prediction) pairs; both arrays hold 0 (LGG) or 1 (HGG). */
  public static ConfusionCounts of(int[] labels, int[] predictions) {
    Checks.binary(labels, "labels");
    Checks.binary(predictions, "predictions");
    Checks.sameLength(labels.length, predictions.length, "predictions");
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        if (predictions[i] == 1) {
          tp++;
        } else {
          fn++;
        }
      } else if (predictions[i] == 1) {
        fp++;
      } else {
        tn++;
      }
    }
    return new ConfusionCounts(tp, fp, tn, fn);
  }

  public int n() {
    return tp + fp + tn + fn;
  }

  /** Patients whose true grade is HGG. */
  public int positives() {
    return tp + fn;
  }

  /** Patients whose true grade is LGG. */
  public int negatives() {
    return tn + fp;
  }

  public int predictedPositives() {
    return tp + fp;
  }

  public int predictedNegatives() {
    return tn + fn;
  }
}
