package org.gliomabench.core.multitask;

import java.util.Arrays;
import java.util.Objects;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SoftDiceLoss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The multi-task U-Net's loss on one flat row per example: the U-Net's segmentation loss ({@link SoftDiceLoss}) on
 * every column but the last, plus {@code gradeWeight} x the binary cross-entropy of the grade (HGG = 1) on the last
 * column, all from sigmoid outputs (the loss layer's activation). Gradients are with respect to the
 * pre-activations, summed over the minibatch like DL4J's own losses; per-example masks ([N, 1]) only.
 */
public final class MultiTaskLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;
  /** Probabilities are clipped here before the logarithm when scoring sigmoid outputs. */
  private static final double EPS = 1e-7;

  @JsonProperty("regions")
  private final int regions;
  @JsonProperty("bceWeight")
  private final double bceWeight;
  @JsonProperty("smooth")
  private final double smooth;
  @JsonProperty("gradeWeight")
  private final double gradeWeight;
  private final transient SoftDiceLoss segmentation;

  @JsonCreator
  public MultiTaskLoss(@JsonProperty("regions") int regions, @JsonProperty("bceWeight") double bceWeight,
      @JsonProperty("smooth") double smooth, @JsonProperty("gradeWeight") double gradeWeight) {
    if (!(gradeWeight >= 0) || Double.isInfinite(gradeWeight)) {
      throw new IllegalArgumentException("the grade's weight must be a finite number >= 0, got " + gradeWeight);
    }
    this.segmentation = new SoftDiceLoss(regions, bceWeight, smooth);
    this.regions = regions;
    this.bceWeight = bceWeight;
    this.smooth = smooth;
    this.gradeWeight = gradeWeight;
  }

  /** The U-Net's {@code loss} on the segmentation columns plus {@code gradeWeight} x the grade's cross-entropy. */
  public MultiTaskLoss(SegLoss loss, double gradeWeight) {
    this(SegSpec.REGIONS, loss.bceWeight(), SoftDiceLoss.DEFAULT_SMOOTH, gradeWeight);
  }

  public double gradeWeight() {
    return gradeWeight;
  }

  private SoftDiceLoss segmentation() {
    // Rebuilt after Java deserialization (the field is transient: Jackson and Java keep the numbers only).
    return segmentation != null ? segmentation : new SoftDiceLoss(regions, bceWeight, smooth);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn);
    INDArray seg = segmentation().computeScoreArray(segPart(labels), segPart(preOutput), activationFn, mask);
    return seg.addi(Nd4j.create(grade(labels, preOutput, mask, false)[0], new long[] {preOutput.size(0), 1},
        seg.dataType()));
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn);
    INDArray seg = segmentation().computeGradient(segPart(labels), segPart(preOutput), activationFn, mask);
    return join(seg, grade(labels, preOutput, mask, true)[1]);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    check(labels, preOutput, activationFn);
    Pair<Double, INDArray> seg = segmentation().computeGradientAndScore(segPart(labels), segPart(preOutput),
        activationFn, mask, false);
    double[][] grade = grade(labels, preOutput, mask, true);
    double sum = seg.getFirst() + Arrays.stream(grade[0]).sum();
    return new Pair<>(average ? sum / preOutput.size(0) : sum, join(seg.getSecond(), grade[1]));
  }

  /**
   * The same score from sigmoid outputs (validation): one example's {@code length} values from {@code offset}, the
   * segmentation's then the grade's probability last; the grade's clipped to [1e-7, 1 - 1e-7].
   */
  public double scoreProbabilities(float[] p, float[] y, int offset, int length) {
    int g = offset + length - 1;
    return segmentation().scoreProbabilities(p, y, offset, length - 1) + gradeWeight * crossEntropy(p[g], y[g]);
  }

  /** Binary cross-entropy of probability {@code p} for label {@code y}, p clipped to [1e-7, 1 - 1e-7]. */
  public static double crossEntropy(double p, double y) {
    double q = Math.min(1 - EPS, Math.max(EPS, p));
    return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
  }

  private static INDArray segPart(INDArray a) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, a.size(1) - 1));
  }

  private static INDArray join(INDArray segGradient, double[] gradeGradient) {
    INDArray g = Nd4j.create(gradeGradient, new long[] {gradeGradient.length, 1}, segGradient.dataType());
    return Nd4j.hstack(segGradient, g);
  }

  /**
   * Per example: {@code gradeWeight} x the grade's cross-entropy from its logit (stable, no clipping) and, when
   * asked, its derivative with respect to the logit; both scaled by the example's mask.
   */
  private double[][] grade(INDArray labels, INDArray preOutput, INDArray mask, boolean gradient) {
    long last = preOutput.size(1) - 1;
    double[] z = preOutput.getColumn(last).toDoubleVector();
    double[] y = labels.getColumn(last).toDoubleVector();
    double[] score = new double[z.length];
    double[] grad = gradient ? new double[z.length] : null;
    for (int e = 0; e < z.length; e++) {
      double w = gradeWeight * (mask == null ? 1.0 : mask.getDouble(e));
      score[e] = w * (Math.max(z[e], 0) - z[e] * y[e] + Math.log1p(Math.exp(-Math.abs(z[e]))));
      if (grad != null) {
        grad[e] = w * (1.0 / (1.0 + Math.exp(-z[e])) - y[e]);
      }
    }
    return new double[][] {score, grad};
  }

  private static void check(INDArray labels, INDArray preOutput, IActivation activationFn) {
    if (!(activationFn instanceof ActivationSigmoid)) {
      throw new IllegalArgumentException("the multi-task loss needs the sigmoid activation, got " + activationFn);
    }
    if (preOutput.rank() != 2 || preOutput.size(1) < 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
      throw new IllegalArgumentException("the multi-task loss needs flat [N, segmentation + 1] labels and outputs of"
          + " equal shape, got " + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
    }
  }

  @Override
  public String name() {
    return segmentation().name() + "+" + gradeWeight + "xGradeBCE";
  }

  @Override
  public String toString() {
    return "MultiTaskLoss(" + segmentation() + ", gradeWeight=" + gradeWeight + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiTaskLoss l && l.regions == regions && l.bceWeight == bceWeight && l.smooth == smooth
        && l.gradeWeight == gradeWeight;
  }

  @Override
  public int hashCode() {
    return Objects.hash(regions, bceWeight, smooth, gradeWeight);
  }
}
