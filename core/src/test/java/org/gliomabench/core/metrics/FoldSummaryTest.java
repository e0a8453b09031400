package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FoldSummaryTest {

  @Test
  void meanAndSampleSdSkippingNaN() {
    // 0.8, 0.7, 0.9, 0.6: mean 0.75; squared deviations .0025 + .0025 + .0225 + .0225 = .05; /3
    FoldSummary s = FoldSummary.of(0.8, 0.7, Double.NaN, 0.9, 0.6);
    assertEquals(5, s.folds());
    assertEquals(4, s.counted());
    assertEquals(0.75, s.mean(), 1e-12);
    assertEquals(Math.sqrt(0.05 / 3), s.sd(), 1e-12);
  }

  @Test
  void tooFewValues() {
    FoldSummary one = FoldSummary.of(Double.NaN, 0.4);
    assertEquals(0.4, one.mean(), 0);
    assertTrue(Double.isNaN(one.sd()));
    FoldSummary none = FoldSummary.of(Double.NaN, Double.NaN);
    assertEquals(0, none.counted());
    assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.sd()));
    assertEquals(0.0, FoldSummary.of(0.5, 0.5, 0.5).sd(), 0);
  }
}
