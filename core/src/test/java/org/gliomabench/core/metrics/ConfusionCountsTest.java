package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionCountsTest {

  @Test
  void countsEachLabelPredictionPair() {
    int[] labels = {1, 1, 1, 0, 0, 1, 0};
    int[] preds = {1, 0, 1, 1, 0, 1, 0};
    // (1,1) x3 = tp, (1,0) x1 = fn, (0,1) x1 = fp, (0,0) x2 = tn
    ConfusionCounts c = ConfusionCounts.of(labels, preds);
    assertEquals(new ConfusionCounts(3, 1, 2, 1), c);
    assertEquals(7, c.n());
    assertEquals(4, c.positives());
    assertEquals(3, c.negatives());
    assertEquals(4, c.predictedPositives());
    assertEquals(3, c.predictedNegatives());
  }

  @Test
  void rejectsLabelsOtherThanZeroOrOneNamingTheIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionCounts.of(new int[] {0, 1, 2}, new int[] {0, 1, 1}));
    assertTrue(e.getMessage().contains("index 2 holds 2"), e.getMessage());
    // 2 = "no glioma" is an LLM answer, not a prediction: the vote must map it first.
    assertThrows(IllegalArgumentException.class, () -> ConfusionCounts.of(new int[] {0, 1}, new int[] {0, 2}));
  }

  @Test
  void rejectsMismatchedLengthsAndNegativeCounts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionCounts.of(new int[] {0, 1, 1}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("2 entries for 3 patients"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(1, -1, 0, 0));
  }
}
