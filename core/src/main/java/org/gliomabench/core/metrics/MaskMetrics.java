package org.gliomabench.core.metrics;

import java.util.Arrays;

/**
 * Overlap of a predicted and a reference binary mask on one 3-D grid: Dice and the 95th-percentile
 * symmetric Hausdorff distance (HD95).
 *
 * <p>Masks are flat, C-order over {@code shape = [n0, n1, n2]} (the last index fastest; a NIfTI file's own
 * order is [nz, ny, nx] with x fastest), with the voxel {@code spacing} per axis in mm.
 *
 * <p>HD95 follows MedPy's {@code hd95}: the surface of a mask is its voxels with a 6-neighbour outside the
 * mask (voxels on the array border count as surface); for every surface voxel of one mask, the Euclidean
 * distance (in mm, anisotropic spacing) to the nearest surface voxel of the other, from an exact separable
 * Euclidean distance transform (Felzenszwalb and Huttenlocher), not pairwise search; HD95 is the larger of
 * the two directed 95th percentiles (numpy's linear interpolation).
 *
 * <p>Empty masks: both empty gives Dice 1 and HD95 null (nothing to measure); exactly one empty gives Dice
 * 0 and HD95 null (a distance to nothing is undefined). Callers keep the null rather than inventing a
 * penalty value, so means over patients say how many were left out.
 */
public final class MaskMetrics {
  private MaskMetrics() {}

  /** Dice, HD95 (null when either mask is empty) and voxel counts. */
  public record Overlap(double dice, Double hd95, long predVoxels, long trueVoxels) {}

  public static Overlap compare(boolean[] pred, boolean[] truth, int[] shape, double[] spacing) {
    return new Overlap(dice(pred, truth), hd95(pred, truth, shape, spacing), count(pred), count(truth));
  }

  public static long count(boolean[] m) {
    long n = 0;
    for (boolean b : m) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  /** 2|A and B| / (|A| + |B|); 1 when both are empty. */
  public static double dice(boolean[] a, boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length);
    }
    long inter = 0;
    long sa = 0;
    long sb = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i]) {
        sa++;
        if (b[i]) {
          inter++;
        }
      }
      if (b[i]) {
        sb++;
      }
    }
    return sa + sb == 0 ? 1.0 : 2.0 * inter / (sa + sb);
  }

  /** HD95 in the units of {@code spacing}; null when either mask is empty. */
  public static Double hd95(boolean[] a, boolean[] b, int[] shape, double[] spacing) {
    check(a, shape);
    check(b, shape);
    if (count(a) == 0 || count(b) == 0) {
      return null;
    }
    boolean[] sa = surface(a, shape);
    boolean[] sb = surface(b, shape);
    double ab = percentile95(directed(sa, sb, shape, spacing));
    double ba = percentile95(directed(sb, sa, shape, spacing));
    return Math.max(ab, ba);
  }

  /** Distances from each surface voxel of {@code from} to the nearest voxel of surface {@code to}. */
  static double[] directed(boolean[] from, boolean[] to, int[] shape, double[] spacing) {
    double[] dt = squaredEdt(to, shape, spacing);
    double[] out = new double[(int) count(from)];
    int k = 0;
    for (int i = 0; i < from.length; i++) {
      if (from[i]) {
        out[k++] = Math.sqrt(dt[i]);
      }
    }
    return out;
  }

  /** numpy.percentile(values, 95) with the default linear interpolation. */
  static double percentile95(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    double pos = 0.95 * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  /** Mask voxels with at least one 6-neighbour outside the mask or outside the array. */
  static boolean[] surface(boolean[] m, int[] shape) {
    int n0 = shape[0];
    int n1 = shape[1];
    int n2 = shape[2];
    boolean[] out = new boolean[m.length];
    for (int i = 0; i < n0; i++) {
      for (int j = 0; j < n1; j++) {
        for (int k = 0; k < n2; k++) {
          int p = (i * n1 + j) * n2 + k;
          if (!m[p]) {
            continue;
          }
          out[p] = i == 0 || i == n0 - 1 || j == 0 || j == n1 - 1 || k == 0 || k == n2 - 1
              || !m[p - n1 * n2] || !m[p + n1 * n2] || !m[p - n2] || !m[p + n2] || !m[p - 1] || !m[p + 1];
        }
      }
    }
    return out;
  }

  /** Squared Euclidean distance (spacing-weighted) from every voxel to the nearest {@code true} voxel. */
  static double[] squaredEdt(boolean[] feature, int[] shape, double[] spacing) {
    double[] f = new double[feature.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;
    }
    int n0 = shape[0];
    int n1 = shape[1];
    int n2 = shape[2];
    int max = Math.max(n0, Math.max(n1, n2));
    double[] line = new double[max];
    double[] res = new double[max];
    int[] v = new int[max];
    double[] z = new double[max + 1];
    // Along axis 2 (stride 1), then 1 (stride n2), then 0 (stride n1*n2): exact by separability.
    for (int i = 0; i < n0; i++) {
      for (int j = 0; j < n1; j++) {
        pass(f, (i * n1 + j) * n2, 1, n2, spacing[2], line, res, v, z);
      }
    }
    for (int i = 0; i < n0; i++) {
      for (int k = 0; k < n2; k++) {
        pass(f, i * n1 * n2 + k, n2, n1, spacing[1], line, res, v, z);
      }
    }
    for (int j = 0; j < n1; j++) {
      for (int k = 0; k < n2; k++) {
        pass(f, j * n2 + k, n1 * n2, n0, spacing[0], line, res, v, z);
      }
    }
    return f;
  }

  /** Felzenszwalb-Huttenlocher lower envelope of parabolas (s*(q - p))^2 + f(p) along one line, in place. */
  private static void pass(double[] f, int start, int stride, int n, double s, double[] line, double[] res, int[] v,
      double[] z) {
    for (int q = 0; q < n; q++) {
      line[q] = f[start + q * stride];
    }
    double s2 = s * s;
    int k = -1;
    for (int q = 0; q < n; q++) {
      if (line[q] == Double.POSITIVE_INFINITY) {
        continue;
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      while (true) {
        int p = v[k];
        double x = ((line[q] + s2 * q * q) - (line[p] + s2 * p * p)) / (2 * s2 * (q - p));
        if (x <= z[k] && k > 0) {
          k--;
          continue;
        }
        if (x <= z[k]) { // k == 0 and z[0] is -inf: cannot happen, kept for clarity
          v[0] = q;
          break;
        }
        k++;
        v[k] = q;
        z[k] = x;
        z[k + 1] = Double.POSITIVE_INFINITY;
        break;
      }
    }
    if (k < 0) {
      return; // no feature on this line: stays infinite
    }
    int j = 0;
    for (int q = 0; q < n; q++) {
      while (z[j + 1] < q) {
        j++;
      }
      double d = s * (q - v[j]);
      res[q] = d * d + line[v[j]];
    }
    for (int q = 0; q < n; q++) {
      f[start + q * stride] = res[q];
    }
  }

  private static void check(boolean[] m, int[] shape) {
    if (shape.length != 3 || (long) shape[0] * shape[1] * shape[2] != m.length) {
      throw new IllegalArgumentException("mask of " + m.length + " voxels does not fit shape " + Arrays.toString(shape));
    }
  }
}
