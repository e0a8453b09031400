package org.gliomabench.core.seg;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Region-based soft Dice (optionally plus binary cross-entropy) on flat rows of sigmoid outputs.
 *
 * <p>A row holds {@code regions} blocks of M values each (the C-order flattening of [regions, D, H, W]),
 * as the U-Net's Cnn3DToFeedForward / CnnToFeedForward preprocessor lays its output out. Per example and
 * region c, with p = sigmoid(z) and smoothing s:
 * <pre>
 *   D_c   = (2 sum p y + s) / (sum p + sum y + s)
 *   score = 1 - mean_c D_c + bceWeight * mean_i BCE(z_i, y_i)
 * </pre>
 * The BCE is computed from the logits (stable, no clipping); the gradient is taken with respect to the
 * pre-activation z directly, which needs the sigmoid activation (anything else is refused). Like DL4J's
 * own losses, the gradient is of the per-example score summed over the minibatch (the updater divides by
 * the minibatch size). Only per-example masks ([N, 1]) are supported.
 */
public final class SoftDiceLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;
  public static final double DEFAULT_SMOOTH = 1.0;

  @JsonProperty("regions")
  private final int regions;
  @JsonProperty("bceWeight")
  private final double bceWeight;
  @JsonProperty("smooth")
  private final double smooth;

  @JsonCreator
  public SoftDiceLoss(@JsonProperty("regions") int regions, @JsonProperty("bceWeight") double bceWeight,
      @JsonProperty("smooth") double smooth) {
    if (regions <= 0 || bceWeight < 0 || !(smooth > 0)) {
      throw new IllegalArgumentException("soft Dice needs regions > 0, bceWeight >= 0, smooth > 0; got "
          + regions + ", " + bceWeight + ", " + smooth);
    }
    this.regions = regions;
    this.bceWeight = bceWeight;
    this.smooth = smooth;
  }

  public int regions() {
    return regions;
  }

  public double bceWeight() {
    return bceWeight;
  }

  public double smooth() {
    return smooth;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return evaluate(labels, preOutput, activationFn, mask, false).getFirst();
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return evaluate(labels, preOutput, activationFn, mask, true).getSecond();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    Pair<INDArray, INDArray> r = evaluate(labels, preOutput, activationFn, mask, true);
    double sum = r.getFirst().sumNumber().doubleValue();
    return new Pair<>(average ? sum / preOutput.size(0) : sum, r.getSecond());
  }

  /** Per-example scores [N, 1] and, if asked, dScore/dz [N, L]. */
  private Pair<INDArray, INDArray> evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean gradient) {
    if (!(activationFn instanceof ActivationSigmoid)) {
      throw new IllegalArgumentException("soft Dice loss needs the sigmoid activation, got " + activationFn);
    }
    if (preOutput.rank() != 2 || !java.util.Arrays.equals(labels.shape(), preOutput.shape())) {
      throw new IllegalArgumentException("soft Dice loss needs flat [N, regions*M] labels and outputs of equal shape, got "
          + java.util.Arrays.toString(labels.shape()) + " and " + java.util.Arrays.toString(preOutput.shape()));
    }
    if (preOutput.size(1) % regions != 0) {
      throw new IllegalArgumentException("output length " + preOutput.size(1) + " is not a multiple of " + regions + " regions");
    }
    if (mask != null && mask.length() != preOutput.size(0)) {
      throw new UnsupportedOperationException("soft Dice loss supports per-example masks [N, 1] only, got "
          + java.util.Arrays.toString(mask.shape()));
    }
    int n = (int) preOutput.size(0);
    int len = (int) preOutput.size(1);
    double[][] z = preOutput.toDoubleMatrix();
    double[][] y = labels.toDoubleMatrix();
    double[] scores = new double[n];
    double[][] grad = gradient ? new double[n][len] : null;
    for (int e = 0; e < n; e++) {
      double w = mask == null ? 1.0 : mask.getDouble(e);
      scores[e] = w * example(z[e], y[e], grad == null ? null : grad[e], w);
    }
    INDArray scoreArray = Nd4j.create(scores, new long[] {n, 1}, preOutput.dataType());
    INDArray g = gradient ? Nd4j.create(grad).castTo(preOutput.dataType()) : null;
    return new Pair<>(scoreArray, g);
  }

  /** One example's score; fills {@code g} (scaled by {@code w}) with dScore/dz when not null. */
  private double example(double[] z, double[] y, double[] g, double w) {
    int m = z.length / regions;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = 1.0 / (1.0 + Math.exp(-z[i]));
    }
    double diceSum = 0;
    double bce = 0;
    double bceScale = bceWeight / z.length;
    for (int c = 0; c < regions; c++) {
      int off = c * m;
      double inter = 0;
      double ps = 0;
      double ys = 0;
      for (int i = off; i < off + m; i++) {
        inter += p[i] * y[i];
        ps += p[i];
        ys += y[i];
      }
      double den = ps + ys + smooth;
      double num = 2 * inter + smooth;
      diceSum += num / den;
      if (g != null) {
        for (int i = off; i < off + m; i++) {
          double dDdp = (2 * y[i] * den - num) / (den * den);
          g[i] = w * (-dDdp / regions * p[i] * (1 - p[i]) + bceScale * (p[i] - y[i]));
        }
      }
    }
    if (bceWeight > 0) {
      for (int i = 0; i < z.length; i++) {
        // BCE from logits: max(z, 0) - z y + log(1 + exp(-|z|)).
        bce += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
      }
    }
    return 1 - diceSum / regions + bceScale * bce;
  }

  /**
   * The same score from probabilities (validation, where the network gives sigmoid outputs): one example's
   * {@code regions * m} values starting at {@code offset}; BCE uses probabilities clipped to [1e-7, 1 - 1e-7].
   */
  public double scoreProbabilities(float[] p, float[] y, int offset, int length) {
    int m = length / regions;
    double diceSum = 0;
    double bce = 0;
    for (int c = 0; c < regions; c++) {
      double inter = 0;
      double ps = 0;
      double ys = 0;
      for (int i = offset + c * m; i < offset + (c + 1) * m; i++) {
        inter += p[i] * y[i];
        ps += p[i];
        ys += y[i];
        if (bceWeight > 0) {
          double q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
          bce -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
        }
      }
      diceSum += (2 * inter + smooth) / (ps + ys + smooth);
    }
    return 1 - diceSum / regions + bceWeight * bce / length;
  }

  @Override
  public String name() {
    return bceWeight > 0 ? "SoftDiceLoss+BCE" : "SoftDiceLoss";
  }

  @Override
  public String toString() {
    return "SoftDiceLoss(regions=" + regions + ", bceWeight=" + bceWeight + ", smooth=" + smooth + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SoftDiceLoss l && l.regions == regions && l.bceWeight == bceWeight && l.smooth == smooth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(regions, bceWeight, smooth);
  }
}
