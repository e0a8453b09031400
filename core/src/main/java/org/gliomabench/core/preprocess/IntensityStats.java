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

  /** Mean and standard deviation over brain voxels (one pass, no histogram). */
  public static IntensityStats moments(float[] data, float background) {
    return of(data, background, false);
  }

  /** Moments and a histogram for percentiles, over brain voxels (two passes). */
  public static IntensityStats withPercentiles(float[] data, float background) {
    return of(data, background, true);
  }

  private static IntensityStats of(float[] data, float background, boolean histogram) {
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : data) {
      if (BrainMask.isBrain(v, background)) {
        sum += v;
        sumSq += (double) v * v;
        n++;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (n == 0) {
      return new IntensityStats(0, 1, 0, 0, new long[BINS], 0);
    }
    double mean = sum / n;
    double var = Math.max(0, sumSq / n - mean * mean);
    long[] hist = new long[BINS];
    if (histogram) {
      double scale = max > min ? (BINS - 1) / (double) (max - min) : 0;
      for (float v : data) {
        if (BrainMask.isBrain(v, background)) {
          hist[(int) ((v - min) * scale)]++;
        }
      }
    }
    return new IntensityStats(mean, Math.sqrt(var), min, max, hist, n);
  }

  /** Z-scores brain voxels in place and sets the background to 0 (the CNN's normalisation). */
  public static void zScoreInPlace(float[] data, float background) {
    IntensityStats s = moments(data, background);
    float mean = (float) s.mean();
    float inv = (float) (1.0 / s.std());
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      data[i] = BrainMask.isBrain(v, background) ? (v - mean) * inv : 0f;
    }
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
