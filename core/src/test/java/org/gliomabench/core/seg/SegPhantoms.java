package org.gliomabench.core.seg;

import java.util.Random;

/**
 * Tiny 4-channel phantoms with nested BraTS regions whose intensities give the regions away (tests only); "LGG"
 * ones have no enhancing tumour (its shell is necrotic core, label 1, instead of 4).
 */
public final class SegPhantoms {
  private SegPhantoms() {}

  /** A phantom on [4, d, h, w]: the tensor (C-order floats) and its label mask (0, 1, 2, 4). */
  public record Phantom(float[] tensor, byte[] mask) {}

  static Phantom make(Random rnd, int d, int h, int w) {
    return make(rnd, d, h, w, true);
  }

  /** A phantom with an enhancing shell ({@code hgg}) or without one. */
  public static Phantom make(Random rnd, int d, int h, int w, boolean hgg) {
    int v = d * h * w;
    float[] t = new float[4 * v];
    byte[] m = new byte[v];
    double cd = d / 2.0 + (rnd.nextDouble() - 0.5) * d * 0.3;
    double ch = h / 2.0 + (rnd.nextDouble() - 0.5) * h * 0.4;
    double cw = w / 2.0 + (rnd.nextDouble() - 0.5) * w * 0.4;
    double r = Math.min(h, w) * (0.18 + rnd.nextDouble() * 0.1);
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // Depth squeezed 2x like a resized crop.
          double dist = Math.sqrt(Math.pow((z - cd) * 2, 2) + Math.pow(y - ch, 2) + Math.pow(x - cw, 2));
          int label = dist < r * 0.35 ? 1 : dist < r * 0.6 ? (hgg ? 4 : 1) : dist < r ? 2 : 0;
          int p = (z * h + y) * w + x;
          m[p] = (byte) label;
          t[p] = (float) (rnd.nextGaussian() * 0.3 + (label == 0 ? 0 : 0.5));
          t[v + p] = (float) (rnd.nextGaussian() * 0.3 + (label == 4 ? 2 : 0));
          t[2 * v + p] = (float) (rnd.nextGaussian() * 0.3 + (label == 2 ? 1.5 : label == 1 ? 0.8 : 0));
          t[3 * v + p] = (float) (rnd.nextGaussian() * 0.3 + (label == 0 ? 0 : 1.5));
        }
      }
    }
    return new Phantom(t, m);
  }
}
