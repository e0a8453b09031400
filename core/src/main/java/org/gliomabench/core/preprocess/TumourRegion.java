package org.gliomabench.core.preprocess;

/**
 * The tumour of a segmentation in RAS order: bounding box (inclusive, canonical indices), centre, and
 * voxels per BraTS label. Label 3 (BraTS 2013-2015's non-enhancing tumour) counts as 1, as BraTS has
 * done since 2017.
 */
public final class TumourRegion {
  private final int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
  private final int[] max = {-1, -1, -1};
  private long voxels;
  private long ncr;
  private long ed;
  private long et;

  private TumourRegion() {}

  /** {@code labels} holds BraTS labels already normalised to {0, 1, 2, 4}. */
  public static TumourRegion of(byte[] labels, int nx, int ny, int nz) {
    TumourRegion t = new TumourRegion();
    int p = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          byte l = labels[p++];
          if (l == 0) {
            continue;
          }
          t.voxels++;
          if (l == 1) {
            t.ncr++;
          } else if (l == 2) {
            t.ed++;
          } else if (l == 4) {
            t.et++;
          }
          if (i < t.min[0]) {
            t.min[0] = i;
          }
          if (i > t.max[0]) {
            t.max[0] = i;
          }
          if (j < t.min[1]) {
            t.min[1] = j;
          }
          if (j > t.max[1]) {
            t.max[1] = j;
          }
          if (k < t.min[2]) {
            t.min[2] = k;
          }
          if (k > t.max[2]) {
            t.max[2] = k;
          }
        }
      }
    }
    return t;
  }

  public boolean isEmpty() {
    return voxels == 0;
  }

  /** Inclusive canonical range along RAS axis r. */
  public int min(int r) {
    return min[r];
  }

  public int max(int r) {
    return max[r];
  }

  public double centre(int r) {
    return (min[r] + max[r]) / 2.0;
  }

  public long voxels() {
    return voxels;
  }

  public long necroticCore() {
    return ncr;
  }

  public long oedema() {
    return ed;
  }

  public long enhancing() {
    return et;
  }
}
