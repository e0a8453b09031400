package org.gliomabench.core.preprocess;

/**
 * The tumour of a segmentation: bounding box per file axis and per RAS axis (inclusive), centre, and
 * voxels per BraTS label. Label 3 (BraTS 2013-2015's non-enhancing tumour) counts as 1, as BraTS has
 * done since 2017.
 */
public final class TumourRegion {
  private final int[] fileMin = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
  private final int[] fileMax = {-1, -1, -1};
  private final int[] rasMin = new int[3];
  private final int[] rasMax = new int[3];
  private long voxels;
  private long ncr;
  private long ed;
  private long et;

  private TumourRegion() {}

  /** {@code labels} in file order (x fastest) holds BraTS labels already normalised to {0, 1, 2, 4}. */
  public static TumourRegion of(byte[] labels, int[] fileShape, Orientation orientation) {
    TumourRegion t = new TumourRegion();
    int nx = fileShape[0];
    int ny = fileShape[1];
    int nz = fileShape[2];
    int p = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
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
          t.extend(0, x);
          t.extend(1, y);
          t.extend(2, z);
        }
      }
    }
    if (t.voxels > 0) {
      for (int r = 0; r < 3; r++) {
        int a = orientation.arrayAxis(r);
        int lo = orientation.arrayIndex(r, t.fileMin[a], fileShape);
        int hi = orientation.arrayIndex(r, t.fileMax[a], fileShape);
        t.rasMin[r] = Math.min(lo, hi);
        t.rasMax[r] = Math.max(lo, hi);
      }
    }
    return t;
  }

  private void extend(int axis, int v) {
    if (v < fileMin[axis]) {
      fileMin[axis] = v;
    }
    if (v > fileMax[axis]) {
      fileMax[axis] = v;
    }
  }

  public boolean isEmpty() {
    return voxels == 0;
  }

  /** Inclusive range along file (array) axis a, in the file's voxel indices. */
  public int fileMin(int a) {
    return fileMin[a];
  }

  public int fileMax(int a) {
    return fileMax[a];
  }

  /** Inclusive canonical range along RAS axis r. */
  public int min(int r) {
    return rasMin[r];
  }

  public int max(int r) {
    return rasMax[r];
  }

  public double centre(int r) {
    return (rasMin[r] + rasMax[r]) / 2.0;
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
