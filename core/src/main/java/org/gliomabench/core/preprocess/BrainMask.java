package org.gliomabench.core.preprocess;

/**
 * Brain voxels of a skull-stripped image: those that differ from the background value, taken as the
 * most common value among the eight corner voxels (0 for BraTS; another constant for z-scored files).
 */
public final class BrainMask {
  private BrainMask() {}

  /** {@code data} in file order (x fastest) with 3-D {@code shape}; corners are the same in any orientation. */
  public static float background(float[] data, int[] shape) {
    int nx = shape[0];
    int ny = shape[1];
    int nz = shape[2];
    float[] corners = new float[8];
    int n = 0;
    for (int k : new int[] {0, nz - 1}) {
      for (int j : new int[] {0, ny - 1}) {
        for (int i : new int[] {0, nx - 1}) {
          corners[n++] = data[i + nx * (j + ny * k)];
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

  public static boolean isBrain(float v, float background) {
    return Math.abs(v - background) > 1e-6f;
  }
}
