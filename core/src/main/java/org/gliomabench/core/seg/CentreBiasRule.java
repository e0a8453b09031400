package org.gliomabench.core.seg;

/**
 * The verdict of table llm_centre_bias: does an arm localise the tumour, or hug the image centre whatever
 * the tumour's place? Judged per run x arm x plane x location kind against the image-centre baseline on
 * the same slices (whose distance to the true centroid is the centroid's distance to the image centre).
 * The rule (also in docs/segmentation.md):
 * <ul>
 *   <li>{@value #CENTRE_BIASED}: the predicted centres' mean distance to the image centre is below
 *       {@link #CENTRE_FRACTION} of the true centroids' mean distance to it, and the arm's mean distance to
 *       the true centroid is not better than the baseline's by more than {@link #BIASED_MAX_GAIN};</li>
 *   <li>{@value #LOCALISES}: the arm's mean distance to the true centroid beats the baseline's by more than
 *       {@link #LOCALISES_MIN_GAIN}, and the correlations of predicted with true centre coordinates are both
 *       above {@link #LOCALISES_MIN_CORRELATION};</li>
 *   <li>{@value #INCONCLUSIVE}: anything else, and always below {@link #MIN_SLICES} scored slices.</li>
 * </ul>
 * Gain = (baseline distance - arm distance) / baseline distance.
 */
public final class CentreBiasRule {
  private CentreBiasRule() {}

  public static final String CENTRE_BIASED = "centre_biased";
  public static final String LOCALISES = "localises";
  public static final String INCONCLUSIVE = "inconclusive";

  /** Predictions this much closer to the image centre than the tumours are (0.5: less than half as far). */
  public static final double CENTRE_FRACTION = 0.5;
  /** Centre-biased only if the arm gains at most this over the baseline (10 %): no real localisation. */
  public static final double BIASED_MAX_GAIN = 0.10;
  /** Localises only with a gain over the baseline above this (25 %)... */
  public static final double LOCALISES_MIN_GAIN = 0.25;
  /** ...and both coordinate correlations above this. */
  public static final double LOCALISES_MIN_CORRELATION = 0.5;
  /** Fewer scored slices say nothing (a correlation of 3 points is noise). */
  public static final long MIN_SLICES = 5;

  /**
   * @param corrX Pearson correlation of predicted and true x (null when undefined, e.g. constant predictions)
   */
  public static String verdict(long n, double meanPredToImageCentre, double meanTrueToImageCentre,
      double meanDistance, double baselineDistance, Double corrX, Double corrY) {
    if (n < MIN_SLICES || !Double.isFinite(meanDistance) || !Double.isFinite(baselineDistance)) {
      return INCONCLUSIVE;
    }
    double gain = gain(meanDistance, baselineDistance);
    if (meanPredToImageCentre < CENTRE_FRACTION * meanTrueToImageCentre && gain <= BIASED_MAX_GAIN) {
      return CENTRE_BIASED;
    }
    if (gain > LOCALISES_MIN_GAIN && corrX != null && corrY != null
        && corrX > LOCALISES_MIN_CORRELATION && corrY > LOCALISES_MIN_CORRELATION) {
      return LOCALISES;
    }
    return INCONCLUSIVE;
  }

  /** Relative improvement of the arm's distance over the baseline's; 0 when both are 0. */
  public static double gain(double armDistance, double baselineDistance) {
    if (baselineDistance <= 0) {
      return armDistance <= 0 ? 0 : Double.NEGATIVE_INFINITY;
    }
    return (baselineDistance - armDistance) / baselineDistance;
  }
}
