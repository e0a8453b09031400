package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference values from scipy.stats.wilcoxon 1.17 (and, with ties, the exhaustive sign permutation). */
class WilcoxonSignedRankTest {

  @Test
  void exactPValueWithoutTiesMatchesScipy() {
    double[] d = {0.04, -0.012, 0.081, 0.013, 0.05, 0.079, -0.011, 0.052};
    WilcoxonSignedRank w = WilcoxonSignedRank.test(new double[d.length], d);
    assertEquals(8, w.n());
    assertEquals(33.0, w.wPlus());
    assertEquals(0.0390625, w.pValue(), 1e-12); // wilcoxon(d, method='exact')
    // Swapping the pairs swaps the sign, not the p-value.
    assertEquals(w.pValue(), WilcoxonSignedRank.test(d, new double[d.length]).pValue(), 1e-12);
  }

  @Test
  void tiedDifferencesShareRanksAndTheExactDistributionCountsThem() {
    assertArrayEquals(new double[] {3.5, 3.5, 6.5, 6.5, 8, 1, 3.5, 3.5},
        WilcoxonSignedRank.ranks(new double[] {0.1, 0.1, 0.2, 0.2, 0.3, 0.05, 0.1, 0.1}));
    double[] d = {0.1, -0.1, 0.2, 0.2, 0.3, -0.05, 0.1};
    WilcoxonSignedRank w = WilcoxonSignedRank.test(new double[d.length], d);
    assertEquals(24.0, w.wPlus());
    assertEquals(0.125, w.pValue(), 1e-12); // all 2^7 sign patterns of the mid-ranks
  }

  @Test
  void largeSamplesUseTheNormalApproximationWithTieAndContinuityCorrections() {
    double[] d = {0.12, -0.11, 0.04, -0.01, 0.01, -0.08, 0.01, -0.02, 0.19, 0.03, 0.01, -0.01, -0.03, 0.04, 0.01, 0.07,
        0.01, 0.02, 0.1, 0.05, -0.01, 0.01, 0.05, 0.12, 0.01, 0.01, 0.07, -0.02, 0.01, 0.06, 0.05, 0.02, 0.05, -0.12,
        0.07, -0.03, -0.06, 0.03, 0.06, -0.03, 0.02, 0.02, 0.09, 0.06, 0.03, 0.08, 0.01, -0.03, 0.05, 0.05, 0.01, -0.02,
        0.03, -0.1, 0.05, 0.04};
    WilcoxonSignedRank w = WilcoxonSignedRank.test(new double[d.length], d);
    assertEquals(56, w.n());
    assertEquals(56 * 57 / 2.0 - 424, w.wPlus(), 1e-9); // scipy's statistic is the smaller sum, W- here
    assertEquals(0.002248659095971605, w.pValue(), 1e-9); // wilcoxon(d, method='approx', correction=True)
  }

  @Test
  void identicalPairsGiveOneAndBadInputIsRefused() {
    WilcoxonSignedRank w = WilcoxonSignedRank.test(new double[] {0.5, 0.7}, new double[] {0.5, 0.7});
    assertEquals(0, w.n());
    assertEquals(1.0, w.pValue());
    assertEquals(0.0, w.meanDifference());
    assertEquals(0.1, WilcoxonSignedRank.test(new double[] {0.5, 0.7}, new double[] {0.6, 0.8}).meanDifference(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> WilcoxonSignedRank.test(new double[] {1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> WilcoxonSignedRank.test(new double[] {1}, new double[] {Double.NaN}));
  }
}
