package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAucTest {
  private static final double EXACT = 1e-12;

  // HGG scores {0.8, 0.5, 0.5}, LGG scores {0.5, 0.2, 0.8}
  private static final int[] TIED_LABELS = {1, 1, 0, 0, 1, 0};
  private static final double[] TIED_SCORES = {0.8, 0.5, 0.5, 0.2, 0.5, 0.8};

  @Test
  void handComputedCaseWithTies() {
    // Pairs: HGG 0.8 vs LGG 0.5, 0.2, 0.8 -> 1 + 1 + 0.5 = 2.5; each HGG 0.5 -> 0.5 + 1 + 0 = 1.5.
    // (2.5 + 1.5 + 1.5) / 9 = 5.5 / 9.
    // Mid-ranks: 0.2 -> 1; 0.5 x3 -> 3; 0.8 x2 -> 5.5; HGG rank sum 5.5 + 3 + 3 = 11.5;
    // U = 11.5 - 3*4/2 = 5.5; AUC = U / (3*3).
    assertEquals(5.5 / 9, RocAuc.auc(TIED_LABELS, TIED_SCORES), EXACT);
  }

  @Test
  void curveOfTheTiedCaseAndItsAreaEqualsTheAuc() {
    List<RocAuc.Point> curve = RocAuc.curve(TIED_LABELS, TIED_SCORES);
    // threshold +inf: (0,0); >= 0.8: 1/3 HGG, 1/3 LGG; >= 0.5: 3/3 HGG, 2/3 LGG; >= 0.2: (1,1).
    assertEquals(List.of(
        new RocAuc.Point(Double.POSITIVE_INFINITY, 0, 0),
        new RocAuc.Point(0.8, 1.0 / 3, 1.0 / 3),
        new RocAuc.Point(0.5, 2.0 / 3, 1.0),
        new RocAuc.Point(0.2, 1.0, 1.0)), curve);
    // Trapezoids: 1/3 * (0 + 1/3)/2 + 1/3 * (1/3 + 1)/2 + 1/3 * (1 + 1)/2 = 1/18 + 4/18 + 6/18 = 11/18.
    assertEquals(11.0 / 18, trapezoidArea(curve), EXACT);
  }

  @Test
  void matchesBruteForcePairCountOnRandomDataWithTies() {
    Random random = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(80);
      int[] labels = new int[n];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextInt(3) == 0 ? 0 : 1;
        // Coarse scores force many ties, like GLDR on few slices.
        scores[i] = random.nextInt(7) / 6.0 + 0.3 * labels[i] * random.nextDouble();
      }
      labels[0] = 0;
      labels[1] = 1;
      double auc = RocAuc.auc(labels, scores);
      assertEquals(bruteForceAuc(labels, scores), auc, EXACT, "trial " + trial);
      assertEquals(auc, trapezoidArea(RocAuc.curve(labels, scores)), 1e-9, "trial " + trial);
    }
  }

  @Test
  void perfectInvertedAndConstantScores() {
    int[] labels = {0, 0, 1, 1};
    assertEquals(1.0, RocAuc.auc(labels, new double[] {0.1, 0.2, 0.3, 0.9}), EXACT);
    assertEquals(0.0, RocAuc.auc(labels, new double[] {0.9, 0.8, 0.3, 0.1}), EXACT);
    assertEquals(0.5, RocAuc.auc(labels, new double[] {1, 1, 1, 1}), EXACT);
    assertEquals(0.5, RocAuc.auc(labels, new double[] {-0.0, 0.0, 0.0, -0.0}), EXACT, "-0.0 ties 0.0");
    double[] infinite = {Double.NEGATIVE_INFINITY, 0, 1, Double.POSITIVE_INFINITY};
    assertEquals(1.0, RocAuc.auc(labels, infinite), EXACT);
  }

  @Test
  void oneClassGivesNaNAndAnEmptyCurve() {
    assertTrue(Double.isNaN(RocAuc.auc(new int[] {1, 1, 1}, new double[] {0.1, 0.5, 0.9})));
    assertTrue(RocAuc.curve(new int[] {0, 0}, new double[] {0.1, 0.5}).isEmpty());
  }

  @Test
  void nanScoreIsRejectedNamingTheIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RocAuc.auc(new int[] {0, 1, 1}, new double[] {0.1, Double.NaN, 0.3}));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
  }

  static double bruteForceAuc(int[] labels, double[] scores) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < labels.length; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          sum += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
          pairs++;
        }
      }
    }
    return sum / pairs;
  }

  private static double trapezoidArea(List<RocAuc.Point> curve) {
    double area = 0;
    for (int k = 1; k < curve.size(); k++) {
      RocAuc.Point a = curve.get(k - 1);
      RocAuc.Point b = curve.get(k);
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    return area;
  }
}
