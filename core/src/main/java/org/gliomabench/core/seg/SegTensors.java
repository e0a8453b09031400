package org.gliomabench.core.seg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Between the volumes table's arrays and the U-Net's flat rows: features and region labels zero-padded
 * from D x H x W up to the spec's padded grid (one volume in 3D, one axial slice d in 2D), and sigmoid
 * outputs thresholded at 0.5 and cropped back into a region-bit mask on D x H x W (see {@link Regions}).
 */
public final class SegTensors {
  private SegTensors() {}

  /** The volumes table's float32 little-endian tensor. */
  public static float[] floats(byte[] tensor) {
    float[] f = new float[tensor.length / Float.BYTES];
    ByteBuffer.wrap(tensor).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** Features of one example into {@code out[offset ...]}: the volume (3D) or axial slice {@code slice} (2D). */
  public static void features(float[] tensor, SegSpec spec, int slice, float[] out, int offset) {
    int d0 = spec.is3d() ? 0 : slice;
    int d1 = spec.is3d() ? spec.depth() : slice + 1;
    int hw = spec.height() * spec.width();
    int dhw = spec.depth() * hw;
    int pw = spec.paddedWidth();
    int phw = spec.paddedHeight() * pw;
    int pv = spec.exampleVoxels();
    for (int c = 0; c < spec.channels(); c++) {
      for (int d = d0; d < d1; d++) {
        for (int h = 0; h < spec.height(); h++) {
          System.arraycopy(tensor, c * dhw + d * hw + h * spec.width(), out,
              offset + c * pv + (d - d0) * phw + h * pw, spec.width());
        }
      }
    }
  }

  /**
   * Features of one axial slice (2D) from just that slice's data, {@code slab} being [C, H, W] (the slice of each
   * channel): the same as {@link #features} on the whole tensor with {@code slice}, without reading the rest.
   */
  public static void sliceFeatures(float[] slab, SegSpec spec, float[] out, int offset) {
    int hw = spec.height() * spec.width();
    int pw = spec.paddedWidth();
    int pv = spec.exampleVoxels();
    for (int c = 0; c < spec.channels(); c++) {
      for (int h = 0; h < spec.height(); h++) {
        System.arraycopy(slab, c * hw + h * spec.width(), out, offset + c * pv + h * pw, spec.width());
      }
    }
  }

  /** Region labels of one axial slice from just that slice of the label mask ([H, W]), as {@link #labels}. */
  public static void sliceLabels(byte[] maskSlice, SegSpec spec, float[] out, int offset) {
    int pw = spec.paddedWidth();
    int pv = spec.exampleVoxels();
    for (int h = 0; h < spec.height(); h++) {
      for (int w = 0; w < spec.width(); w++) {
        int bits = Regions.bits(maskSlice[h * spec.width() + w] & 0xff);
        int p = offset + h * pw + w;
        for (int r = 0; r < SegSpec.REGIONS; r++) {
          out[p + r * pv] = (bits >> r) & 1;
        }
      }
    }
  }

  /** Region labels (0/1 per region) of one example into {@code out[offset ...]} from a BraTS label mask. */
  public static void labels(byte[] mask, SegSpec spec, int slice, float[] out, int offset) {
    int d0 = spec.is3d() ? 0 : slice;
    int d1 = spec.is3d() ? spec.depth() : slice + 1;
    int pw = spec.paddedWidth();
    int phw = spec.paddedHeight() * pw;
    int pv = spec.exampleVoxels();
    for (int d = d0; d < d1; d++) {
      for (int h = 0; h < spec.height(); h++) {
        for (int w = 0; w < spec.width(); w++) {
          int bits = Regions.bits(mask[(d * spec.height() + h) * spec.width() + w] & 0xff);
          int p = offset + (d - d0) * phw + h * pw + w;
          for (int r = 0; r < SegSpec.REGIONS; r++) {
            out[p + r * pv] = (bits >> r) & 1;
          }
        }
      }
    }
  }

  /** Thresholds one example's outputs at 0.5 into region bits on the D x H x W grid (slice d in 2D). */
  public static void toBits(float[] probs, int offset, SegSpec spec, int slice, byte[] out) {
    int d0 = spec.is3d() ? 0 : slice;
    int d1 = spec.is3d() ? spec.depth() : slice + 1;
    int pw = spec.paddedWidth();
    int phw = spec.paddedHeight() * pw;
    int pv = spec.exampleVoxels();
    for (int d = d0; d < d1; d++) {
      for (int h = 0; h < spec.height(); h++) {
        for (int w = 0; w < spec.width(); w++) {
          int p = offset + (d - d0) * phw + h * pw + w;
          int bits = 0;
          for (int r = 0; r < SegSpec.REGIONS; r++) {
            if (probs[p + r * pv] >= 0.5f) {
              bits |= 1 << r;
            }
          }
          out[(d * spec.height() + h) * spec.width() + w] = (byte) bits;
        }
      }
    }
  }
}
