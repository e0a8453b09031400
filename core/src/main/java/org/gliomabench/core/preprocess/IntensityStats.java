package org.gliomabench.core.preprocess;

/** Mean, standard deviation and percentiles of an image over its brain voxels. */
public final class IntensityStats {
  private static final int BINS = 4096;

  private final double mean;
  private final double std;
  private final float min;
  private final float max;
  private final long[] histogram;
  private final long count;

  private IntensityStats(double mean, double std, float min, float max, long[] histogram, long count) {
    this.mean = mean;
    this.std = std;
    this.min = min;
    this.max = max;
    this.histogram = histogram;
    this.count = count;
  }

  public static IntensityStats of(float[] data, boolean[] mask) {
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < data.length; i++) {
      if (mask[i]) {
        float v = data[i];
        sum += v;
        sumSq += (double) v * v;
        n++;
        if (v < min) {
          min = v;
        }
        if (v > max) {
          max = v;
        }
      }
    }
    if (n == 0) {
      return new IntensityStats(0, 1, 0, 0, new long[BINS], 0);
    }
    double mean = sum / n;
    double var = Math.max(0, sumSq / n - mean * mean);
    long[] hist = new long[BINS];
    double scale = max > min ? (BINS - 1) / (double) (max - min) : 0;
    for (int i = 0; i < data.length; i++) {
      if (mask[i]) {
        hist[(int) ((data[i] - min) * scale)]++;
      }
    }
    return new IntensityStats(mean, Math.sqrt(var), min, max, hist, n);
  }

  public double mean() {
    return mean;
  }

  /** Standard deviation, never 0 (a flat image normalises to 0, not NaN). */
  public double std() {
    return std > 1e-12 ? std : 1;
  }

  public long count() {
    return count;
  }

  /** Approximate percentile (0-100) from a 4096-bin histogram: resolution (max-min)/4096. */
  public float percentile(double p) {
    if (count == 0) {
      return 0;
    }
    long target = (long) Math.ceil(p / 100.0 * count);
    long seen = 0;
    for (int b = 0; b < BINS; b++) {
      seen += histogram[b];
      if (seen >= Math.max(1, target)) {
        return Math.min(max, min + (max - min) * (b + 0.5f) / (BINS - 1));
      }
    }
    return max;
  }
}
