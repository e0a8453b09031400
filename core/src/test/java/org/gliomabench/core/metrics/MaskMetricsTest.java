package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskMetricsTest {

  static boolean[] box(int[] shape, int[] lo, int[] hi) {
    boolean[] m = new boolean[shape[0] * shape[1] * shape[2]];
    for (int i = lo[0]; i <= hi[0]; i++) {
      for (int j = lo[1]; j <= hi[1]; j++) {
        for (int k = lo[2]; k <= hi[2]; k++) {
          m[(i * shape[1] + j) * shape[2] + k] = true;
        }
      }
    }
    return m;
  }

  @Test
  void twoCubesOffsetByKVoxelsAreKTimesTheSpacingApart() {
    int[] shape = {20, 22, 24};
    double[] spacing = {2.0, 1.0, 0.5};
    for (int axis = 0; axis < 3; axis++) {
      for (int k = 1; k <= 3; k++) {
        int[] lo = {5, 5, 5};
        int[] hi = {12, 12, 12};
        int[] lo2 = lo.clone();
        int[] hi2 = hi.clone();
        lo2[axis] += k;
        hi2[axis] += k;
        boolean[] a = box(shape, lo, hi);
        boolean[] b = box(shape, lo2, hi2);
        assertEquals(k * spacing[axis], MaskMetrics.hd95(a, b, shape, spacing), 1e-9, "axis " + axis + ", k " + k);
        assertEquals(2.0 * 8 * 8 * (8 - k) / (2 * 512.0), MaskMetrics.dice(a, b), 1e-12);
      }
    }
  }

  @Test
  void identicalMasksHaveDiceOneAndDistanceZero() {
    int[] shape = {10, 10, 10};
    boolean[] a = box(shape, new int[] {2, 3, 4}, new int[] {6, 7, 8});
    MaskMetrics.Overlap o = MaskMetrics.compare(a, a.clone(), shape, new double[] {1, 1, 1});
    assertEquals(1.0, o.dice());
    assertEquals(0.0, o.hd95());
    assertEquals(125, o.predVoxels());
    assertEquals(125, o.trueVoxels());
  }

  @Test
  void emptyMasksFollowTheDocumentedConventions() {
    int[] shape = {4, 4, 4};
    boolean[] empty = new boolean[64];
    boolean[] one = box(shape, new int[] {1, 1, 1}, new int[] {2, 2, 2});
    MaskMetrics.Overlap both = MaskMetrics.compare(empty, empty.clone(), shape, new double[] {1, 1, 1});
    assertEquals(1.0, both.dice());
    assertNull(both.hd95());
    MaskMetrics.Overlap missed = MaskMetrics.compare(empty, one, shape, new double[] {1, 1, 1});
    assertEquals(0.0, missed.dice());
    assertNull(missed.hd95());
    assertNull(MaskMetrics.hd95(one, empty, shape, new double[] {1, 1, 1}));
    assertThrows(IllegalArgumentException.class, () -> MaskMetrics.hd95(one, new boolean[10], shape, new double[] {1, 1, 1}));
  }

  @Test
  void singleVoxelsAFewVoxelsApartGiveTheirAnisotropicDistance() {
    int[] shape = {6, 7, 8};
    boolean[] a = new boolean[6 * 7 * 8];
    boolean[] b = new boolean[6 * 7 * 8];
    a[(1 * 7 + 2) * 8 + 3] = true;
    b[(4 * 7 + 6) * 8 + 1] = true;
    double[] s = {1.5, 0.7, 2.0};
    double expected = Math.sqrt(Math.pow(3 * 1.5, 2) + Math.pow(4 * 0.7, 2) + Math.pow(2 * 2.0, 2));
    assertEquals(expected, MaskMetrics.hd95(a, b, shape, s), 1e-9);
  }

  @Test
  void distanceTransformMatchesBruteForceOnRandomBlobs() {
    Random rnd = new Random(7);
    int[] shape = {9, 11, 13};
    double[] spacing = {1.2, 0.8, 2.5};
    for (int trial = 0; trial < 5; trial++) {
      boolean[] a = blob(rnd, shape);
      boolean[] b = blob(rnd, shape);
      double expected = Math.max(bruteP95(a, b, shape, spacing), bruteP95(b, a, shape, spacing));
      assertEquals(expected, MaskMetrics.hd95(a, b, shape, spacing), 1e-9, "trial " + trial);
    }
  }

  private static boolean[] blob(Random rnd, int[] shape) {
    boolean[] m = new boolean[shape[0] * shape[1] * shape[2]];
    double ci = 2 + rnd.nextDouble() * (shape[0] - 4);
    double cj = 2 + rnd.nextDouble() * (shape[1] - 4);
    double ck = 2 + rnd.nextDouble() * (shape[2] - 4);
    double r = 1.5 + rnd.nextDouble() * 3;
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        for (int k = 0; k < shape[2]; k++) {
          double d = Math.sqrt((i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck));
          m[(i * shape[1] + j) * shape[2] + k] = d <= r || rnd.nextDouble() < 0.01;
        }
      }
    }
    return m;
  }

  /** MedPy's directed 95th percentile by pairwise search (the slow reference). */
  private static double bruteP95(boolean[] a, boolean[] b, int[] shape, double[] sp) {
    List<int[]> sa = points(MaskMetrics.surface(a, shape), shape);
    List<int[]> sb = points(MaskMetrics.surface(b, shape), shape);
    double[] d = new double[sa.size()];
    for (int x = 0; x < sa.size(); x++) {
      double best = Double.MAX_VALUE;
      for (int[] q : sb) {
        int[] p = sa.get(x);
        double s = 0;
        for (int t = 0; t < 3; t++) {
          s += Math.pow((p[t] - q[t]) * sp[t], 2);
        }
        best = Math.min(best, s);
      }
      d[x] = Math.sqrt(best);
    }
    return MaskMetrics.percentile95(d);
  }

  private static List<int[]> points(boolean[] m, int[] shape) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < m.length; i++) {
      if (m[i]) {
        out.add(new int[] {i / (shape[1] * shape[2]), (i / shape[2]) % shape[1], i % shape[2]});
      }
    }
    return out;
  }
}
