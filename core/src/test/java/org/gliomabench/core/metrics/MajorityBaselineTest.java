package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MajorityBaselineTest {

  @Test
  void majorityOfTheReferenceLabelsTieGoesToHgg() {
    assertEquals(1, MajorityBaseline.of(new int[] {1, 1, 0}).label());
    assertEquals(0, MajorityBaseline.of(new int[] {0, 0, 1}).label());
    assertEquals(1, MajorityBaseline.of(new int[] {0, 1}).label());
    assertEquals(MajorityBaseline.alwaysHgg(), MajorityBaseline.of(new int[] {1, 1, 1, 0}));
  }

  @Test
  void onTheStudyCohortItMatchesTheLlmsAccuracyWithoutLookingAtAnImage() {
    int[] labels = new int[55];
    java.util.Arrays.fill(labels, 0, 44, 1);
    PatientSample s = MajorityBaseline.alwaysHgg().on(labels);
    assertArrayEquals(MajorityBaseline.alwaysHgg().predictions(55), s.predictions());
    assertEquals(new ConfusionCounts(44, 11, 0, 0), s.counts());
    assertEquals(0.8, Metric.ACCURACY.of(s), 1e-12); // the LLM axial arm: 43/55 = 0.7818
    assertEquals(0.0, Metric.SPECIFICITY.of(s), 0);
    assertEquals(0.5, Metric.AUC.of(s), 1e-12, "constant score: every pair tied");
    assertEquals(0.0, Metric.MCC.of(s), 0);
  }

  @Test
  void rejectsNonBinaryLabel() {
    assertThrows(IllegalArgumentException.class, () -> new MajorityBaseline(2));
  }
}
