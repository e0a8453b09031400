package org.gliomabench.core.preprocess;

import java.io.Serializable;

/**
 * How a volume's array axes map to the patient's RAS+ axes (x to the Right, y Anterior, z Superior),
 * from the NIfTI affine: each array axis is assigned the world axis its direction is closest to, like
 * nibabel's {@code io_orientation}. Gives strided access in canonical RAS index order, so that crops and
 * slice images are oriented the same way whatever the file's storage order.
 */
public final class Orientation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** For RAS axis r: which array axis holds it, and whether the array runs against it. */
  private final int[] arrayAxis = new int[3];
  private final boolean[] flipped = new boolean[3];

  private Orientation() {}

  public static Orientation fromAffine(double[][] affine) {
    Orientation o = new Orientation();
    boolean[] used = new boolean[3];
    boolean[] assigned = new boolean[3];
    // Greedy by largest component, as io_orientation does for near-orthogonal affines.
    for (int round = 0; round < 3; round++) {
      double best = -1;
      int bestArray = -1;
      int bestWorld = -1;
      for (int a = 0; a < 3; a++) {
        if (assigned[a]) {
          continue;
        }
        for (int w = 0; w < 3; w++) {
          if (used[w]) {
            continue;
          }
          double v = Math.abs(affine[w][a]);
          if (v > best) {
            best = v;
            bestArray = a;
            bestWorld = w;
          }
        }
      }
      if (best <= 0) {
        throw new IllegalArgumentException("degenerate affine: an array axis has no direction");
      }
      assigned[bestArray] = true;
      used[bestWorld] = true;
      o.arrayAxis[bestWorld] = bestArray;
      o.flipped[bestWorld] = affine[bestWorld][bestArray] < 0;
    }
    return o;
  }

  public static Orientation identity() {
    return fromAffine(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
  }

  /** The array axis that runs along RAS axis {@code ras}. */
  public int arrayAxis(int ras) {
    return arrayAxis[ras];
  }

  /** True when the array index decreases along RAS axis {@code ras}. */
  public boolean flipped(int ras) {
    return flipped[ras];
  }

  /** Axis codes like nibabel's aff2axcodes, e.g. "LPS" for BraTS files. */
  public String axisCodes() {
    char[] pos = {'R', 'A', 'S'};
    char[] neg = {'L', 'P', 'I'};
    char[] out = new char[3];
    for (int r = 0; r < 3; r++) {
      out[arrayAxis[r]] = flipped[r] ? neg[r] : pos[r];
    }
    return new String(out);
  }

  /**
   * The orientation that {@link #axisCodes()} wrote (e.g. "LPS"): one letter per array axis, each RAS axis
   * exactly once, which is all an orientation holds, so {@code fromAxisCodes(o.axisCodes())} equals {@code o}.
   */
  public static Orientation fromAxisCodes(String codes) {
    if (codes == null || codes.length() != 3) {
      throw new IllegalArgumentException("axis codes '" + codes + "' are not three letters of R/L, A/P, S/I");
    }
    Orientation o = new Orientation();
    boolean[] seen = new boolean[3];
    for (int a = 0; a < 3; a++) {
      char c = Character.toUpperCase(codes.charAt(a));
      int letter = "RLAPSI".indexOf(c);
      int ras = letter / 2;
      if (letter < 0 || seen[ras]) {
        throw new IllegalArgumentException("axis codes '" + codes + "' are not three letters of R/L, A/P, S/I,"
            + " one per axis");
      }
      seen[ras] = true;
      o.arrayAxis[ras] = a;
      o.flipped[ras] = c == 'L' || c == 'P' || c == 'I';
    }
    return o;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Orientation o && java.util.Arrays.equals(arrayAxis, o.arrayAxis)
        && java.util.Arrays.equals(flipped, o.flipped);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(arrayAxis) + java.util.Arrays.hashCode(flipped);
  }

  @Override
  public String toString() {
    return axisCodes();
  }

  /** The array shape seen in RAS order. */
  public int[] canonicalShape(int[] arrayShape) {
    return new int[] {arrayShape[arrayAxis[0]], arrayShape[arrayAxis[1]], arrayShape[arrayAxis[2]]};
  }

  /** The file's index along the array axis of RAS axis {@code ras}, for canonical index {@code i}. */
  public int arrayIndex(int ras, int i, int[] arrayShape) {
    int n = arrayShape[arrayAxis[ras]];
    return flipped[ras] ? n - 1 - i : i;
  }

  /** Index arithmetic for arrays of {@code fileShape} (x fastest, the NIfTI order) walked in RAS order. */
  public Indexer indexer(int[] fileShape) {
    long[] stride = {1, fileShape[0], (long) fileShape[0] * fileShape[1]};
    int[] n = canonicalShape(fileShape);
    long base = 0;
    long[] s = new long[3];
    for (int r = 0; r < 3; r++) {
      long st = stride[arrayAxis[r]];
      if (flipped[r]) {
        base += (long) (n[r] - 1) * st;
        st = -st;
      }
      s[r] = st;
    }
    return new Indexer(n, base, s);
  }

  /**
   * {@code index(i, j, k)}: the position in a file-ordered array of canonical voxel (i, j, k), with i along
   * x (towards the Right), j along y (Anterior), k along z (Superior). The same for every image of a patient,
   * so images are never copied into RAS order.
   */
  public static final class Indexer {
    private final int[] shape;
    private final int base;
    private final int si;
    private final int sj;
    private final int sk;

    Indexer(int[] shape, long base, long[] stride) {
      this.shape = shape;
      this.base = Math.toIntExact(base);
      this.si = Math.toIntExact(stride[0]);
      this.sj = Math.toIntExact(stride[1]);
      this.sk = Math.toIntExact(stride[2]);
    }

    public int nx() {
      return shape[0];
    }

    public int ny() {
      return shape[1];
    }

    public int nz() {
      return shape[2];
    }

    /** Size along RAS axis r. */
    public int size(int r) {
      return shape[r];
    }

    public int index(int i, int j, int k) {
      return base + i * si + j * sj + k * sk;
    }

    public int strideI() {
      return si;
    }

    public int strideJ() {
      return sj;
    }

    public int strideK() {
      return sk;
    }
  }
}
