package org.gliomabench.core.preprocess;

/**
 * The CNN input: a box of fixed extent (voxels along x, y, z) centred on the tumour's bounding-box centre,
 * shifted to stay inside the volume (or centred on the volume, zero-padded, when the volume is smaller),
 * resampled to D x H x W. Output order matches an axial slice as a radiologist views it: d runs inferior to
 * superior, h anterior to posterior (anterior up), w from the patient's right to left.
 *
 * <p>A fixed physical extent keeps tumour size visible to the network, which a crop fitted to each
 * tumour would erase.
 */
public final class TumourCrop {
  private final int[] origin;
  private final int[] extent;
  private final int depth;
  private final int height;
  private final int width;

  private TumourCrop(int[] origin, int[] extent, int depth, int height, int width) {
    this.origin = origin;
    this.extent = extent;
    this.depth = depth;
    this.height = height;
    this.width = width;
  }

  /** @param extentXyz crop extent in voxels along RAS x, y, z; @param shapeDhw output D, H, W */
  public static TumourCrop around(TumourRegion tumour, int[] volumeXyz, int[] extentXyz, int[] shapeDhw) {
    int[] origin = new int[3];
    for (int r = 0; r < 3; r++) {
      int n = volumeXyz[r];
      int e = extentXyz[r];
      if (e >= n) {
        origin[r] = (n - e) / 2;
      } else {
        int o = (int) Math.round(tumour.centre(r) - (e - 1) / 2.0);
        origin[r] = Math.max(0, Math.min(n - e, o));
      }
    }
    return new TumourCrop(origin, extentXyz.clone(), shapeDhw[0], shapeDhw[1], shapeDhw[2]);
  }

  public int[] origin() {
    return origin.clone();
  }

  public int[] extent() {
    return extent.clone();
  }

  public int voxelsPerChannel() {
    return depth * height * width;
  }

  /** Trilinear resampling of {@code v} into {@code out[offset ...]} (zero outside the volume). */
  public void resample(RasVolume v, float[] out, int offset) {
    Axis ax = axis(width, extent[0], origin[0], v.nx(), true);
    Axis ay = axis(height, extent[1], origin[1], v.ny(), true);
    Axis az = axis(depth, extent[2], origin[2], v.nz(), false);
    float[] src = v.data();
    int nx = v.nx();
    int nxy = nx * v.ny();
    int p = offset;
    for (int d = 0; d < depth; d++) {
      int k0 = az.i0[d];
      int k1 = az.i1[d];
      float wz = az.w[d];
      for (int h = 0; h < height; h++) {
        int j0 = ay.i0[h];
        int j1 = ay.i1[h];
        float wy = ay.w[h];
        for (int w = 0; w < width; w++) {
          int i0 = ax.i0[w];
          int i1 = ax.i1[w];
          float wx = ax.w[w];
          float c000 = at(src, i0, j0, k0, nx, nxy);
          float c100 = at(src, i1, j0, k0, nx, nxy);
          float c010 = at(src, i0, j1, k0, nx, nxy);
          float c110 = at(src, i1, j1, k0, nx, nxy);
          float c001 = at(src, i0, j0, k1, nx, nxy);
          float c101 = at(src, i1, j0, k1, nx, nxy);
          float c011 = at(src, i0, j1, k1, nx, nxy);
          float c111 = at(src, i1, j1, k1, nx, nxy);
          float c00 = c000 + (c100 - c000) * wx;
          float c10 = c010 + (c110 - c010) * wx;
          float c01 = c001 + (c101 - c001) * wx;
          float c11 = c011 + (c111 - c011) * wx;
          float c0 = c00 + (c10 - c00) * wy;
          float c1 = c01 + (c11 - c01) * wy;
          out[p++] = c0 + (c1 - c0) * wz;
        }
      }
    }
  }

  /** Nearest-neighbour resampling of labels (0 outside the volume). */
  public byte[] resampleLabels(byte[] labels, int nx, int ny, int nz) {
    int[] xi = nearest(width, extent[0], origin[0], nx, true);
    int[] yi = nearest(height, extent[1], origin[1], ny, true);
    int[] zi = nearest(depth, extent[2], origin[2], nz, false);
    byte[] out = new byte[depth * height * width];
    int p = 0;
    for (int d = 0; d < depth; d++) {
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++, p++) {
          if (zi[d] >= 0 && yi[h] >= 0 && xi[w] >= 0) {
            out[p] = labels[xi[w] + nx * (yi[h] + ny * zi[d])];
          }
        }
      }
    }
    return out;
  }

  private static float at(float[] src, int i, int j, int k, int nx, int nxy) {
    return (i < 0 || j < 0 || k < 0) ? 0f : src[i + j * nx + k * nxy];
  }

  /** Index pairs and weights along one axis; -1 marks a sample outside the volume. */
  private static final class Axis {
    final int[] i0;
    final int[] i1;
    final float[] w;

    Axis(int n) {
      i0 = new int[n];
      i1 = new int[n];
      w = new float[n];
    }
  }

  /** Source coordinate of output sample t (half-pixel centres); reversed axes run from the far end. */
  private static double source(int t, int out, int extent, int origin, boolean reversed) {
    int tt = reversed ? out - 1 - t : t;
    return origin + (tt + 0.5) * extent / (double) out - 0.5;
  }

  private static Axis axis(int out, int extent, int origin, int n, boolean reversed) {
    Axis a = new Axis(out);
    for (int t = 0; t < out; t++) {
      double s = source(t, out, extent, origin, reversed);
      s = Math.max(Math.min(s, n - 1), origin < 0 ? -1 : 0);
      int lo = (int) Math.floor(s);
      float frac = (float) (s - lo);
      a.i0[t] = lo >= 0 && lo < n ? lo : -1;
      a.i1[t] = lo + 1 >= 0 && lo + 1 < n ? lo + 1 : (lo >= 0 ? lo : -1);
      a.w[t] = frac;
    }
    return a;
  }

  private static int[] nearest(int out, int extent, int origin, int n, boolean reversed) {
    int[] idx = new int[out];
    for (int t = 0; t < out; t++) {
      long s = Math.round(source(t, out, extent, origin, reversed));
      idx[t] = s >= 0 && s < n ? (int) s : -1;
    }
    return idx;
  }
}
