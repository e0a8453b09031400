package org.gliomabench.core.synth;

import java.util.Arrays;
import java.util.Random;

/**
 * Fast, seed-determined standard-normal noise: a splitmix64 stream picks entries of a fixed table of
 * normal quantiles (four per 64-bit step). Far cheaper per voxel than {@link Random#nextGaussian()}, and
 * fully specified here, so the same seed gives the same noise on every JVM.
 */
final class GaussianNoise {
  private static final int BITS = 16;
  private static final float[] TABLE = table();

  private long state;
  private long bits;
  private int left;

  GaussianNoise(long seed) {
    this.state = seed;
  }

  float next() {
    if (left == 0) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      bits = z ^ (z >>> 31);
      left = 64 / BITS;
    }
    int index = (int) (bits & ((1 << BITS) - 1));
    bits >>>= BITS;
    left--;
    return TABLE[index];
  }

  /** 65,536 sorted draws of java.util.Random's (specified) Gaussian, then standardised: a normal table. */
  private static float[] table() {
    Random r = new Random(0x6A09E667F3BCC908L);
    double[] d = new double[1 << BITS];
    double sum = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextGaussian();
      sum += d[i];
    }
    double mean = sum / d.length;
    double sq = 0;
    for (double v : d) {
      sq += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(sq / d.length);
    Arrays.sort(d);
    float[] t = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      t[i] = (float) ((d[i] - mean) / sd);
    }
    return t;
  }
}
