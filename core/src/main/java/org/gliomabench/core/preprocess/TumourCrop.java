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

  /**
   * Trilinear resampling of a file-ordered image into {@code out[offset ...]} (zero outside the volume);
   * {@code ix} walks the file in RAS order, so no reoriented copy is made.
   */
  public void resample(float[] src, Orientation.Indexer ix, float[] out, int offset) {
    Axis ax = axis(width, extent[0], origin[0], ix.nx(), true);
    Axis ay = axis(height, extent[1], origin[1], ix.ny(), true);
    Axis az = axis(depth, extent[2], origin[2], ix.nz(), false);
    int[] xo = offsets(ax, ix.strideI());
    int[] yo = offsets(ay, ix.strideJ());
    int[] zo = offsets(az, ix.strideK());
    int base = ix.index(0, 0, 0);
    int p = offset;
    for (int d = 0; d < depth; d++) {
      int k0 = zo[2 * d];
      int k1 = zo[2 * d + 1];
      float wz = az.w[d];
      for (int h = 0; h < height; h++) {
        int j0 = yo[2 * h];
        int j1 = yo[2 * h + 1];
        float wy = ay.w[h];
        boolean rowOut = k0 == OUTSIDE || j0 == OUTSIDE;
        for (int w = 0; w < width; w++) {
          int i0 = xo[2 * w];
          int i1 = xo[2 * w + 1];
          if (rowOut || i0 == OUTSIDE) {
            out[p++] = 0f;
            continue;
          }
          float wx = ax.w[w];
          int b00 = base + j0 + k0;
          int b10 = base + j1 + k0;
          int b01 = base + j0 + k1;
          int b11 = base + j1 + k1;
          float c00 = src[b00 + i0] + (src[b00 + i1] - src[b00 + i0]) * wx;
          float c10 = src[b10 + i0] + (src[b10 + i1] - src[b10 + i0]) * wx;
          float c01 = src[b01 + i0] + (src[b01 + i1] - src[b01 + i0]) * wx;
          float c11 = src[b11 + i0] + (src[b11 + i1] - src[b11 + i0]) * wx;
          float c0 = c00 + (c10 - c00) * wy;
          float c1 = c01 + (c11 - c01) * wy;
          out[p++] = c0 + (c1 - c0) * wz;
        }
      }
    }
  }

  /** Nearest-neighbour resampling of file-ordered labels into [D, H, W] (0 outside the volume). */
  public byte[] resampleLabels(byte[] labels, Orientation.Indexer ix) {
    int[] xi = nearest(width, extent[0], origin[0], ix.nx(), true);
    int[] yi = nearest(height, extent[1], origin[1], ix.ny(), true);
    int[] zi = nearest(depth, extent[2], origin[2], ix.nz(), false);
    byte[] out = new byte[depth * height * width];
    int p = 0;
    for (int d = 0; d < depth; d++) {
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++, p++) {
          if (zi[d] >= 0 && yi[h] >= 0 && xi[w] >= 0) {
            out[p] = labels[ix.index(xi[w], yi[h], zi[d])];
          }
        }
      }
    }
    return out;
  }

  private static final int OUTSIDE = Integer.MIN_VALUE;

  /** Per output sample, the two source offsets (index times stride); OUTSIDE when the sample is off the volume. */
  private static int[] offsets(Axis a, int stride) {
    int[] o = new int[2 * a.i0.length];
    for (int t = 0; t < a.i0.length; t++) {
      if (a.i0[t] < 0) {
        o[2 * t] = OUTSIDE;
        o[2 * t + 1] = OUTSIDE;
      } else {
        o[2 * t] = a.i0[t] * stride;
        o[2 * t + 1] = (a.i1[t] < 0 ? a.i0[t] : a.i1[t]) * stride;
      }
    }
    return o;
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
      if (s < -0.5 || s > n - 0.5) { // off the volume: zero padding
        a.i0[t] = -1;
        a.i1[t] = -1;
        continue;
      }
      s = Math.max(0, Math.min(s, n - 1)); // within half a voxel of the edge: the edge value
      int lo = Math.min((int) Math.floor(s), n - 1);
      a.i0[t] = lo;
      a.i1[t] = Math.min(lo + 1, n - 1);
      a.w[t] = (float) (s - lo);
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
