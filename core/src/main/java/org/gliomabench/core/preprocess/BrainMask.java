package org.gliomabench.core.preprocess;

/**
 * Brain voxels of a skull-stripped image: those that differ from the background value, taken as the
 * most common value among the eight corner voxels (0 for BraTS; another constant for z-scored files).
 */
public final class BrainMask {
  private BrainMask() {}

  public static float background(RasVolume v) {
    float[] corners = new float[8];
    int n = 0;
    for (int k : new int[] {0, v.nz() - 1}) {
      for (int j : new int[] {0, v.ny() - 1}) {
        for (int i : new int[] {0, v.nx() - 1}) {
          corners[n++] = v.get(i, j, k);
        }
      }
    }
    float best = corners[0];
    int bestCount = 0;
    for (float c : corners) {
      int count = 0;
      for (float d : corners) {
        if (Float.compare(c, d) == 0) {
          count++;
        }
      }
      if (count > bestCount) {
        bestCount = count;
        best = c;
      }
    }
    return best;
  }

  /** True where the voxel is brain. */
  public static boolean[] of(RasVolume v) {
    float bg = background(v);
    float[] d = v.data();
    boolean[] mask = new boolean[d.length];
    for (int i = 0; i < d.length; i++) {
      mask[i] = Math.abs(d[i] - bg) > 1e-6f;
    }
    return mask;
  }
}
