package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeLongTest {
  private static final double EXACT = 1e-12;

  @Test
  void handComputedCaseWithTies() {
    int[] labels = {1, 1, 1, 0, 0};
    double[] s1 = {0.9, 0.6, 0.4, 0.6, 0.2};
    double[] s2 = {0.8, 0.3, 0.7, 0.5, 0.1};
    // s1: HGG 0.9, 0.6, 0.4; LGG 0.6, 0.2.
    //   V10 = (2/2, (1 + 0.5)/2, 1/2) = (1, 0.75, 0.5), AUC1 = 0.75
    //   V01 = ((1 + 0.5)/3, 3/3) = (0.5, 1)
    // s2: HGG 0.8, 0.3, 0.7; LGG 0.5, 0.1.
    //   V10 = (1, 0.5, 1), AUC2 = 2.5/3; V01 = (2/3, 1)
    // V10 differences (0, 0.25, -0.5): mean -1/12, sample var (1/144 + 16/144 + 25/144)/2 = 21/144, /3 = 7/144
    // V01 differences (-1/6, 0): mean -1/12, sample var 2/144, /2 = 1/144
    // Var = 8/144 = 1/18; z = (-1/12) / sqrt(1/18) = -sqrt(18)/12; p = erfc(|z|/sqrt 2) = erfc(0.25)
    DeLong t = DeLong.test(labels, s1, s2);
    assertEquals(0.75, t.auc1(), EXACT);
    assertEquals(2.5 / 3, t.auc2(), EXACT);
    assertEquals(-1.0 / 12, t.difference(), EXACT);
    assertEquals(1.0 / 18, t.variance(), EXACT);
    assertEquals(-Math.sqrt(18) / 12, t.z(), EXACT);
    assertEquals(0.7236736098317631, t.pValue(), 1e-14); // Python math.erfc(0.25)
    // The same numbers from the mid-rank algorithm in scripts/metrics_reference.py.
  }

  /** Reference: Sun and Xu's mid-rank fast DeLong in numpy (scripts/metrics_reference.py). */
  @Test
  void matchesIndependentMidRankImplementation() {
    int[] labels = {1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1};
    double[] cnn = {0.91, 0.40, 0.77, 0.62, 0.55, 0.88, 0.30, 0.62, 0.45, 0.83, 0.70, 0.20, 0.95, 0.58,
        0.49, 0.66, 0.71, 0.39, 0.61, 0.52};
    // An LLM-like GLDR: few distinct values, many ties.
    double[] gldr = {0.75, 0.50, 0.50, 0.75, 0.25, 1.00, 0.50, 0.75, 0.50, 0.75, 0.75, 0.25, 0.75, 0.50,
        0.50, 0.75, 1.00, 0.25, 0.75, 0.50};
    DeLong t = DeLong.test(labels, cnn, gldr);
    assertEquals(0.8406593406593408, t.auc1(), EXACT);
    assertEquals(0.7142857142857142, t.auc2(), EXACT);
    assertEquals(0.005655516644527637, t.variance(), EXACT);
    assertEquals(1.6804295332950188, t.z(), 1e-10);
    assertEquals(0.09287377392879562, t.pValue(), 1e-12);
  }

  @Test
  void matchesDirectQuadraticImplementationOnRandomData() {
    Random random = new Random(11);
    for (int trial = 0; trial < 30; trial++) {
      int n = 6 + random.nextInt(150);
      int[] labels = new int[n];
      double[] s1 = new double[n];
      double[] s2 = new double[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i < 4 ? i % 2 : random.nextInt(4) == 0 ? 0 : 1;
        double signal = labels[i] * random.nextDouble();
        // Correlated arms, one of them coarse (ties), like CNN probability vs LLM GLDR.
        s1[i] = signal + random.nextGaussian() * 0.5;
        s2[i] = Math.round((0.5 * signal + 0.3 * s1[i] + random.nextGaussian() * 0.3) * 4) / 4.0;
      }
      DeLong fast = DeLong.test(labels, s1, s2);
      double[] ref = quadraticDeLong(labels, s1, s2);
      String where = "trial " + trial + " n=" + n;
      assertEquals(ref[0], fast.auc1(), EXACT, where);
      assertEquals(ref[1], fast.auc2(), EXACT, where);
      assertEquals(ref[2], fast.variance(), 1e-12, where);
      assertEquals((ref[0] - ref[1]) / Math.sqrt(ref[2]), fast.z(), 1e-9, where);
      assertTrue(fast.pValue() >= 0 && fast.pValue() <= 1, where);
    }
  }

  @Test
  void clearlyBetterScoresGiveASmallPValueAndSameScoresGivePOne() {
    Random random = new Random(3);
    int n = 200;
    int[] labels = new int[n];
    double[] good = new double[n];
    double[] noise = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      good[i] = labels[i] + random.nextGaussian() * 0.5;
      noise[i] = random.nextGaussian();
    }
    DeLong t = DeLong.test(labels, good, noise);
    assertTrue(t.auc1() > 0.85 && Math.abs(t.auc2() - 0.5) < 0.1, t.toString());
    assertTrue(t.pValue() < 1e-6, t.toString());

    DeLong same = DeLong.test(labels, good, good);
    assertEquals(0.0, same.z(), 0);
    assertEquals(1.0, same.pValue(), 0);
  }

  @Test
  void tooFewPatientsOfAClassGivesNaNVariance() {
    DeLong t = DeLong.test(new int[] {1, 1, 0}, new double[] {0.9, 0.8, 0.1}, new double[] {0.2, 0.8, 0.1});
    assertEquals(1.0, t.auc1(), EXACT);
    assertTrue(Double.isNaN(t.variance()) && Double.isNaN(t.pValue()));
  }

  @Test
  void rejectsScoresOfAnotherLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeLong.test(new int[] {1, 0, 1}, new double[] {0.9, 0.1, 0.5}, new double[] {0.9, 0.1}));
    assertTrue(e.getMessage().contains("2 entries for 3 patients"), e.getMessage());
  }

  /** DeLong 1988 written out: psi over all pairs, 2x2 covariance matrices S10 and S01. */
  private static double[] quadraticDeLong(int[] labels, double[] s1, double[] s2) {
    int m = 0;
    for (int l : labels) {
      m += l;
    }
    int n = labels.length - m;
    double[][] x = new double[2][m];
    double[][] y = new double[2][n];
    for (int k = 0, i = 0, j = 0; k < labels.length; k++) {
      if (labels[k] == 1) {
        x[0][i] = s1[k];
        x[1][i++] = s2[k];
      } else {
        y[0][j] = s1[k];
        y[1][j++] = s2[k];
      }
    }
    double[][] v10 = new double[2][m];
    double[][] v01 = new double[2][n];
    double[] auc = new double[2];
    for (int r = 0; r < 2; r++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double psi = x[r][i] > y[r][j] ? 1 : x[r][i] == y[r][j] ? 0.5 : 0;
          v10[r][i] += psi / n;
          v01[r][j] += psi / m;
          auc[r] += psi / ((double) m * n);
        }
      }
    }
    double[][] s10 = covariance(v10, auc);
    double[][] s01 = covariance(v01, auc);
    double var = (s10[0][0] + s10[1][1] - 2 * s10[0][1]) / m + (s01[0][0] + s01[1][1] - 2 * s01[0][1]) / n;
    return new double[] {auc[0], auc[1], var};
  }

  private static double[][] covariance(double[][] v, double[] mean) {
    int len = v[0].length;
    double[][] s = new double[2][2];
    for (int r = 0; r < 2; r++) {
      for (int q = 0; q < 2; q++) {
        for (int i = 0; i < len; i++) {
          s[r][q] += (v[r][i] - mean[r]) * (v[q][i] - mean[q]) / (len - 1);
        }
      }
    }
    return s;
  }
}
