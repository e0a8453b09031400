package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BootstrapTest {

  /** The study's CNN test cohort: 44 HGG (37 right) + 11 LGG (7 right), scores loosely following labels. */
  private static PatientSample studyCnn() {
    int n = 55;
    int[] labels = new int[n];
    int[] preds = new int[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      boolean hgg = i < 44;
      labels[i] = hgg ? 1 : 0;
      boolean right = hgg ? i < 37 : i < 44 + 7;
      preds[i] = right ? labels[i] : 1 - labels[i];
      scores[i] = preds[i] == 1 ? 0.55 + (i % 9) * 0.05 : 0.45 - (i % 8) * 0.05;
    }
    return new PatientSample(labels, preds, scores);
  }

  @Test
  void sameSeedSameIntervalOtherSeedOtherResamples() {
    PatientSample s = studyCnn();
    Bootstrap.Interval a = new Bootstrap(7).interval(s, Metric.ACCURACY);
    Bootstrap.Interval b = new Bootstrap(7).interval(s, Metric.ACCURACY);
    assertEquals(a, b);
    Bootstrap.Interval auc = new Bootstrap(8).interval(s, Metric.AUC);
    assertNotEquals(new Bootstrap(7).interval(s, Metric.AUC), auc, "another seed, other resamples");
    assertEquals(2000, a.used() + a.skipped(), "default 2000 resamples");
  }

  @Test
  void intervalContainsTheEstimateWithTheBinomialWidth() {
    Bootstrap.Interval acc = new Bootstrap(1).interval(studyCnn(), Metric.ACCURACY);
    assertEquals(0.8, acc.estimate(), 1e-12);
    assertTrue(acc.contains(0.8), acc.toString());
    // Accuracy is a mean of 55 Bernoulli(0.8): sd sqrt(0.8*0.2/55) = 0.0539, 95 % width about 0.21.
    // A broken resampler (no replacement, a fixed index) would give width 0.
    double width = acc.high() - acc.low();
    assertTrue(width > 0.17 && width < 0.25, acc.toString());
    assertEquals(0, acc.skipped());

    Bootstrap.Interval auc = new Bootstrap(1).interval(studyCnn(), Metric.AUC);
    assertTrue(auc.contains(auc.estimate()) && auc.low() < auc.high(), auc.toString());
    assertTrue(auc.high() <= 1 && auc.low() >= 0, auc.toString());
  }

  @Test
  void oneClassResamplesAreSkippedForAucAndCounted() {
    // 2 HGG + 1 LGG: a resample of 3 lacks LGG with probability (2/3)^3 = 8/27 and lacks HGG with
    // (1/3)^3 = 1/27, so 9/27 = 1/3 of the resamples have no AUC.
    PatientSample tiny = new PatientSample(new int[] {1, 1, 0}, new int[] {1, 1, 0}, new double[] {0.9, 0.7, 0.2});
    Bootstrap.Interval auc = new Bootstrap(4000, 0.95, 5).interval(tiny, Metric.AUC);
    assertEquals(4000, auc.used() + auc.skipped());
    assertEquals(1.0 / 3, auc.skipped() / 4000.0, 0.04, auc.toString());
    assertEquals(1.0, auc.low(), 0, "every two-class resample ranks perfectly");

    PatientSample oneClass = new PatientSample(new int[] {1, 1}, new int[] {1, 0}, new double[] {0.9, 0.1});
    Bootstrap.Interval none = new Bootstrap(50, 0.95, 5).interval(oneClass, Metric.AUC);
    assertEquals(50, none.skipped());
    assertTrue(Double.isNaN(none.low()) && Double.isNaN(none.high()) && Double.isNaN(none.estimate()));
  }

  @Test
  void pairedStatisticSharesPatientsAcrossArms() {
    PatientSample cnn = studyCnn();
    int[] alwaysHgg = MajorityBaseline.alwaysHgg().predictions(55);
    PatientSample baseline = new PatientSample(cnn.labels(), alwaysHgg, null);
    // Accuracy difference CNN - baseline on the same resampled patients: 44/55 - 44/55 = 0 here.
    Bootstrap.Interval diff = new Bootstrap(3).interval(55,
        idx -> Metric.ACCURACY.of(cnn.select(idx)) - Metric.ACCURACY.of(baseline.select(idx)));
    assertEquals(0.0, diff.estimate(), 1e-12);
    assertTrue(diff.contains(0) && diff.low() < 0 && diff.high() > 0, diff.toString());
  }

  /** Reference: numpy.percentile([1, 2, 3, 4, 10, 7, 7.5, 0.5], q), q = 2.5, 97.5, 50 (metrics_reference.py). */
  @Test
  void quantileMatchesNumpyLinearInterpolation() {
    double[] sorted = {0.5, 1, 2, 3, 4, 7, 7.5, 10};
    assertEquals(0.5875, Bootstrap.quantile(sorted, 0.025), 1e-12);
    assertEquals(9.5625, Bootstrap.quantile(sorted, 0.975), 1e-12);
    assertEquals(3.5, Bootstrap.quantile(sorted, 0.5), 1e-12);
    assertEquals(4.0, Bootstrap.quantile(new double[] {4}, 0.975), 0);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 0.95, 1));
    assertThrows(IllegalArgumentException.class, () -> new Bootstrap(100, 1.0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Bootstrap(1).interval(0, idx -> 0));
  }
}
