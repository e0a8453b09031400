package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
  private static final double EXACT = 1e-12;
  /** The study prints 4 decimals. */
  private static final double TABLE = 1e-4;

  @Test
  void handComputedMatrix() {
    // tp=3 fp=1 tn=4 fn=2, n=10
    BinaryMetrics m = BinaryMetrics.of(new ConfusionCounts(3, 1, 4, 2));
    assertEquals(0.7, m.accuracy(), EXACT); // (3+4)/10
    assertEquals(0.75, m.precision(), EXACT); // 3/(3+1)
    assertEquals(0.6, m.recall(), EXACT); // 3/(3+2)
    assertEquals(0.8, m.specificity(), EXACT); // 4/(4+1)
    assertEquals(2.0 / 3, m.f1(), EXACT); // 2*3/(6+1+2) = 6/9; = 2*.75*.6/(.75+.6) = .9/1.35
    assertEquals(0.7, m.balancedAccuracy(), EXACT); // (0.6+0.8)/2
    assertEquals(10 / Math.sqrt(600), m.matthews(), EXACT); // (3*4-1*2)/sqrt(4*5*5*6)
  }

  @Test
  void fromArraysEqualsFromCounts() {
    int[] labels = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    int[] preds = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
    assertEquals(BinaryMetrics.of(new ConfusionCounts(3, 1, 4, 2)), BinaryMetrics.of(labels, preds));
  }

  /** The study's CNN test column: 44 HGG + 11 LGG, tp=37 fn=7 tn=7 fp=4. */
  @Test
  void studyCnnTestColumn() {
    BinaryMetrics m = BinaryMetrics.of(new ConfusionCounts(37, 4, 7, 7));
    assertEquals(0.8000, m.accuracy(), TABLE); // 44/55
    assertEquals(0.8706, m.f1(), TABLE); // 74/85 = 0.870588
    assertEquals(0.9024, m.precision(), TABLE); // 37/41 = 0.902439
    assertEquals(0.8409, m.recall(), TABLE); // 37/44 = 0.840909
    assertEquals(0.6364, m.specificity(), TABLE); // 7/11 = 0.636364
    // Not in the study, implied by the same matrix:
    assertEquals((37.0 / 44 + 7.0 / 11) / 2, m.balancedAccuracy(), EXACT); // 0.738636
    assertEquals(0.4382615323430832, m.matthews(), EXACT); // 231/sqrt(41*44*11*14)
  }

  /** The study's axial LLM column: tp=43 fn=1 tn=0 fp=11 (every LGG called HGG). */
  @Test
  void studyAxialLlmColumn() {
    BinaryMetrics m = BinaryMetrics.of(new ConfusionCounts(43, 11, 0, 1));
    assertEquals(0.7818, m.accuracy(), TABLE); // 43/55 = 0.781818
    assertEquals(0.8776, m.f1(), TABLE); // 86/98 = 0.877551
    assertEquals(0.7963, m.precision(), TABLE); // 43/54 = 0.796296
    assertEquals(0.9773, m.recall(), TABLE); // 43/44 = 0.977273
    assertEquals(0.0, m.specificity(), EXACT); // 0/11
    assertEquals(0.4886363636363636, m.balancedAccuracy(), EXACT); // (43/44 + 0)/2: below chance
    assertEquals(-0.06804138174397717, m.matthews(), EXACT); // -11/sqrt(54*44*11*1)
  }

  /** Each column of the study comes from exactly one 55-patient matrix: search them all. */
  @Test
  void studyColumnsHaveExactlyOneMatrixEach() {
    assertEquals(List.of(new ConfusionCounts(37, 4, 7, 7)),
        matricesReproducing(0.8000, 0.8706, 0.9024, 0.8409, 0.6364));
    assertEquals(List.of(new ConfusionCounts(43, 11, 0, 1)),
        matricesReproducing(0.7818, 0.8776, 0.7963, 0.9773, 0.0));
  }

  private static List<ConfusionCounts> matricesReproducing(
      double accuracy, double f1, double precision, double recall, double specificity) {
    List<ConfusionCounts> hits = new ArrayList<>();
    int n = 55;
    for (int tp = 0; tp <= n; tp++) {
      for (int fp = 0; tp + fp <= n; fp++) {
        for (int tn = 0; tp + fp + tn <= n; tn++) {
          ConfusionCounts c = new ConfusionCounts(tp, fp, tn, n - tp - fp - tn);
          BinaryMetrics m = BinaryMetrics.of(c);
          if (roundsTo(m.accuracy(), accuracy) && roundsTo(m.f1(), f1) && roundsTo(m.precision(), precision)
              && roundsTo(m.recall(), recall) && roundsTo(m.specificity(), specificity)) {
            hits.add(c);
          }
        }
      }
    }
    return hits;
  }

  private static boolean roundsTo(double value, double printed) {
    return Math.abs(value - printed) <= 0.00005;
  }

  @Test
  void majorityBaselineOnTheStudyCohortBeatsTheLlmOnAccuracy() {
    // always HGG on 44 HGG + 11 LGG: tp=44 fp=11 tn=0 fn=0
    BinaryMetrics m = BinaryMetrics.of(new ConfusionCounts(44, 11, 0, 0));
    assertEquals(0.8, m.accuracy(), EXACT); // 44/55 > the LLM's 43/55
    assertEquals(0.8, m.precision(), EXACT);
    assertEquals(1.0, m.recall(), EXACT);
    assertEquals(0.0, m.specificity(), EXACT);
    assertEquals(88.0 / 99, m.f1(), EXACT); // 0.8889 > the LLM's 0.8776
    assertEquals(0.5, m.balancedAccuracy(), EXACT);
    assertEquals(0.0, m.matthews(), EXACT, "a constant predictor has no correlation");
  }

  @Test
  void undefinedCasesAreNaNAsDocumented() {
    // No positive prediction: precision 0/0; F1 = 0/(0+0+2) = 0; MCC 0 (constant predictor).
    BinaryMetrics allLgg = BinaryMetrics.of(new ConfusionCounts(0, 0, 3, 2));
    assertTrue(Double.isNaN(allLgg.precision()));
    assertEquals(0.0, allLgg.recall(), EXACT);
    assertEquals(0.0, allLgg.f1(), EXACT);
    assertEquals(0.0, allLgg.matthews(), EXACT);
    assertEquals(0.5, allLgg.balancedAccuracy(), EXACT);

    // Only LGG patients: recall 0/0, balanced accuracy and MCC undefined; F1 = 0/(0+1+0) = 0.
    BinaryMetrics noHgg = BinaryMetrics.of(new ConfusionCounts(0, 1, 3, 0));
    assertTrue(Double.isNaN(noHgg.recall()));
    assertTrue(Double.isNaN(noHgg.balancedAccuracy()));
    assertTrue(Double.isNaN(noHgg.matthews()));
    assertEquals(0.0, noHgg.f1(), EXACT);
    assertEquals(0.75, noHgg.specificity(), EXACT);

    // Only LGG patients, all predicted LGG: F1 = 0/0.
    assertTrue(Double.isNaN(BinaryMetrics.of(new ConfusionCounts(0, 0, 4, 0)).f1()));
    // Only HGG patients: specificity 0/0.
    assertTrue(Double.isNaN(BinaryMetrics.of(new ConfusionCounts(5, 0, 0, 1)).specificity()));

    BinaryMetrics empty = BinaryMetrics.of(new ConfusionCounts(0, 0, 0, 0));
    assertTrue(Double.isNaN(empty.accuracy()));
    assertTrue(Double.isNaN(empty.f1()));
    assertTrue(Double.isNaN(empty.matthews()));
  }

  @Test
  void perfectAndInvertedClassifiersHaveMatthewsPlusAndMinusOne() {
    assertEquals(1.0, BinaryMetrics.of(new ConfusionCounts(5, 0, 3, 0)).matthews(), EXACT);
    assertEquals(-1.0, BinaryMetrics.of(new ConfusionCounts(0, 3, 0, 5)).matthews(), EXACT);
  }
}
