package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricTest {

  @Test
  void idsRoundTripAndAreSnakeCase() {
    for (Metric m : Metric.values()) {
      assertEquals(m, Metric.fromId(m.id()));
      assertTrue(m.id().matches("[a-z0-9_]+"), m.id());
    }
    assertThrows(IllegalArgumentException.class, () -> Metric.fromId("dice"));
  }

  @Test
  void eachMetricReadsTheSample() {
    // labels 1 1 1 0 0, preds 1 0 1 1 0: tp=2 fn=1 fp=1 tn=1
    PatientSample s = new PatientSample(new int[] {1, 1, 1, 0, 0}, new int[] {1, 0, 1, 1, 0},
        new double[] {0.9, 0.4, 0.8, 0.6, 0.1});
    assertEquals(0.6, Metric.ACCURACY.of(s), 1e-12);
    assertEquals(2.0 / 3, Metric.PRECISION.of(s), 1e-12);
    assertEquals(2.0 / 3, Metric.RECALL.of(s), 1e-12);
    assertEquals(0.5, Metric.SPECIFICITY.of(s), 1e-12);
    assertEquals(2.0 / 3, Metric.F1.of(s), 1e-12);
    assertEquals(7.0 / 12, Metric.BALANCED_ACCURACY.of(s), 1e-12);
    assertEquals(1 / 6.0, Metric.MCC.of(s), 1e-12); // (2*1 - 1*1) / sqrt(3*3*2*2)
    assertEquals(5.0 / 6, Metric.AUC.of(s), 1e-12); // HGG 0.9, 0.8 beat both LGG; 0.4 beats 0.1 only
    assertEquals(2, Metric.TP.of(s), 0);
    assertEquals(1, Metric.FP.of(s), 0);
    assertEquals(1, Metric.TN.of(s), 0);
    assertEquals(1, Metric.FN.of(s), 0);
    assertTrue(Double.isNaN(Metric.AUC.of(new PatientSample(s.labels(), s.predictions(), null))),
        "no scores, no AUC");
  }
}
