package org.gliomabench.core.metrics;

/** Argument checks shared by the metrics, with messages that name the offending index. */
final class Checks {
  private Checks() {}

  static void binary(int[] values, String what) {
    if (values == null) {
      throw new IllegalArgumentException(what + " are missing");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && values[i] != 1) {
        throw new IllegalArgumentException(
            what + " must be 0 (LGG) or 1 (HGG); index " + i + " holds " + values[i]);
      }
    }
  }

  static void sameLength(int expected, int actual, String what) {
    if (expected != actual) {
      throw new IllegalArgumentException(
          what + " have " + actual + " entries for " + expected + " patients");
    }
  }

  static void finiteOrInfinite(double[] scores, String what) {
    if (scores == null) {
      throw new IllegalArgumentException(what + " are missing");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException(what + " must not be NaN; index " + i + " is NaN");
      }
    }
  }
}
