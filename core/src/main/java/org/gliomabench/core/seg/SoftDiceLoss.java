package org.gliomabench.core.seg;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.gliomabench.core.model.NativeArrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * The BCE is computed from the logits (softplus(z) - z y: stable, no clipping); the gradient is taken with
 * respect to the pre-activation z directly, which needs the sigmoid activation (anything else is refused). Like
 * DL4J's own losses, the gradient is of the per-example score summed over the minibatch (the updater divides by
 * the minibatch size). Only per-example masks ([N, 1]) are supported. Computed in FLOAT (sums in double).
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

  /**
   * Per-example scores [N, 1] and, if asked, dScore/dz [N, L]. The sigmoid and the softplus sums (the
   * transcendental parts) are ND4J's native ops; the region sums and the gradient are two passes over the arrays'
   * own memory, one (example, region) block per task in parallel, the gradient written over the sigmoid's output.
   * Where the arrays are not dense host memory (CUDA) the passes work on copies.
   */
  private Pair<INDArray, INDArray> evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean gradient) {
    if (!(activationFn instanceof ActivationSigmoid)) {
      throw new IllegalArgumentException("soft Dice loss needs the sigmoid activation, got " + activationFn);
    }
    if (preOutput.rank() != 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
      throw new IllegalArgumentException("soft Dice loss needs flat [N, regions*M] labels and outputs of equal shape, got "
          + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
    }
    if (preOutput.size(1) % regions != 0) {
      throw new IllegalArgumentException("output length " + preOutput.size(1) + " is not a multiple of " + regions + " regions");
    }
    if (mask != null && mask.length() != preOutput.size(0)) {
      throw new UnsupportedOperationException("soft Dice loss supports per-example masks [N, 1] only, got "
          + Arrays.toString(mask.shape()));
    }
    int n = (int) preOutput.size(0);
    int len = (int) preOutput.size(1);
    int m = len / regions;
    INDArray z = preOutput.castTo(DataType.FLOAT);
    INDArray y = labels.castTo(DataType.FLOAT);
    INDArray p = Nd4j.createUninitialized(DataType.FLOAT, n, len);
    Nd4j.exec(new Sigmoid(z, p));
    double[] softplus = bceWeight > 0 ? Transforms.softPlus(z, true).sum(1).toDoubleVector() : new double[n];
    Block zs = Block.of(z);
    Block ys = Block.of(y);
    Block ps = Block.of(p);
    // Per (example, region): sum p y, sum p, sum y, sum z y.
    double[][] sums = new double[n * regions][];
    IntStream.range(0, n * regions).parallel().forEach(b -> {
      int off = (b / regions) * len + (b % regions) * m;
      double inter = 0;
      double ps0 = 0;
      double ys0 = 0;
      double zy = 0;
      FloatBuffer pb = ps.buffer();
      FloatBuffer yb = ys.buffer();
      FloatBuffer zb = zs.buffer();
      for (int i = off; i < off + m; i++) {
        float pi = pb.get(i);
        float yi = yb.get(i);
        inter += pi * yi;
        ps0 += pi;
        ys0 += yi;
        zy += zb.get(i) * yi;
      }
      sums[b] = new double[] {inter, ps0, ys0, zy};
    });
    double[] scores = new double[n];
    double bceScale = bceWeight / len;
    for (int e = 0; e < n; e++) {
      double w = mask == null ? 1.0 : mask.getDouble(e);
      double diceSum = 0;
      double zy = 0;
      for (int c = 0; c < regions; c++) {
        double[] t = sums[e * regions + c];
        diceSum += (2 * t[0] + smooth) / (t[1] + t[2] + smooth);
        zy += t[3];
      }
      // BCE from logits: softplus(z) - z y per element.
      scores[e] = w * (1 - diceSum / regions + bceScale * (softplus[e] - zy));
    }
    INDArray scoreArray = Nd4j.create(scores, new long[] {n, 1}, preOutput.dataType());
    if (!gradient) {
      return new Pair<>(scoreArray, null);
    }
    // d/dz: -(1/R) dD/dp p (1 - p) + (w_bce / L)(p - y), scaled by the example's weight; over p in place.
    IntStream.range(0, n * regions).parallel().forEach(b -> {
      int e = b / regions;
      int off = e * len + (b % regions) * m;
      double w = mask == null ? 1.0 : mask.getDouble(e);
      double[] t = sums[b];
      double den = t[1] + t[2] + smooth;
      double num = 2 * t[0] + smooth;
      float a = (float) (-w * 2 / (regions * den));
      float c0 = (float) (w * num / (regions * den * den));
      float k = (float) (w * bceScale);
      FloatBuffer pb = ps.buffer();
      FloatBuffer yb = ys.buffer();
      for (int i = off; i < off + m; i++) {
        float pi = pb.get(i);
        float yi = yb.get(i);
        pb.put(i, pi * (1 - pi) * (a * yi + c0) + k * (pi - yi));
      }
    });
    ps.writeBack();
    return new Pair<>(scoreArray, preOutput.dataType() == DataType.FLOAT ? p : p.castTo(preOutput.dataType()));
  }

  /** An array's elements for the passes: its own memory where it is dense host memory, else a copy. */
  private record Block(INDArray array, FloatBuffer direct, float[] copy) {
    static Block of(INDArray a) {
      FloatBuffer b = NativeArrays.floats(a);
      return b != null ? new Block(a, b, null) : new Block(a, null, a.reshape(a.length()).toFloatVector());
    }

    /** A buffer of its own per caller (buffers keep a position; the passes use absolute indices only). */
    FloatBuffer buffer() {
      return direct != null ? direct.duplicate() : FloatBuffer.wrap(copy);
    }

    /** Copies what the passes wrote back into the array (nothing to do where they wrote to it directly). */
    void writeBack() {
      if (copy != null) {
        array.assign(Nd4j.create(copy, array.shape(), 'c'));
      }
    }
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
