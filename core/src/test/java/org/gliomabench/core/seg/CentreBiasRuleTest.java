package org.gliomabench.core.seg;

import static org.gliomabench.core.seg.CentreBiasRule.CENTRE_BIASED;
import static org.gliomabench.core.seg.CentreBiasRule.INCONCLUSIVE;
import static org.gliomabench.core.seg.CentreBiasRule.LOCALISES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CentreBiasRuleTest {

  @Test
  void answersNearTheCentreThatDoNoBetterThanTheBaselineAreCentreBiased() {
    // Predictions 3 px from the centre, tumours 20 px from it; 19 px from the tumour vs the baseline's 20.
    assertEquals(CENTRE_BIASED, CentreBiasRule.verdict(40, 3, 20, 19, 20, 0.1, 0.0));
    // The baseline itself: always at the centre, exactly the baseline's distance.
    assertEquals(CENTRE_BIASED, CentreBiasRule.verdict(40, 0, 20, 20, 20, null, null));
    // Exactly 10 % better is still "not better by more than 10 %".
    assertEquals(CENTRE_BIASED, CentreBiasRule.verdict(40, 3, 20, 18, 20, 0.9, 0.9));
  }

  @Test
  void aCentreHuggerThatStillBeatsTheBaselineIsNotCentreBiased() {
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 3, 20, 17.9, 20, 0.2, 0.2));
    // Half as far from the centre as the tumours is not "below half".
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 10, 20, 20, 20, 0.0, 0.0));
  }

  @Test
  void localisingNeedsAGainOverAQuarterAndBothCorrelations() {
    assertEquals(LOCALISES, CentreBiasRule.verdict(40, 18, 20, 5, 20, 0.9, 0.8));
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 18, 20, 15, 20, 0.9, 0.8), "gain exactly 25 %");
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 18, 20, 5, 20, 0.9, 0.5), "corr_y not above 0.5");
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 18, 20, 5, 20, 0.9, null), "undefined correlation");
  }

  @Test
  void tooFewSlicesOrUndefinedDistancesAreInconclusive() {
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(4, 0, 20, 20, 20, null, null));
    assertEquals(INCONCLUSIVE, CentreBiasRule.verdict(40, 0, 20, Double.NaN, 20, null, null));
    assertEquals(0.0, CentreBiasRule.gain(0, 0));
    assertEquals(0.25, CentreBiasRule.gain(15, 20), 1e-12);
  }
}
