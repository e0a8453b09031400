package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.ToDoubleBiFunction;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss layer's gradient against central finite differences of a double-precision formula of its score (tests
 * only). The formula, not the loss: {@link SoftDiceLoss} computes in FLOAT, too coarse for a step of 1e-6.
 */
public final class LossGradients {
  private LossGradients() {}

  /** Random logits z (N(0, 4)) and 0/1 labels y (40 % ones), [n, len] each in double precision: {z, y}. */
  public static INDArray[] randomLogitsAndLabels(Random rnd, int n, int len) {
    INDArray z = Nd4j.create(DataType.DOUBLE, n, len);
    INDArray y = Nd4j.create(DataType.DOUBLE, n, len);
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < len; i++) {
        z.putScalar(e, i, rnd.nextGaussian() * 2);
        y.putScalar(e, i, rnd.nextDouble() < 0.4 ? 1 : 0);
      }
    }
    return new INDArray[] {z, y};
  }

  /** {@code loss}'s score of one example's logits z and labels y, in double precision (the formula of its javadoc). */
  public static double softDice(SoftDiceLoss loss, double[] z, double[] y) {
    int r = loss.regions();
    int m = z.length / r;
    double diceSum = 0;
    double bce = 0;
    for (int c = 0; c < r; c++) {
      double inter = 0;
      double ps = 0;
      double ys = 0;
      for (int i = c * m; i < (c + 1) * m; i++) {
        double p = 1 / (1 + Math.exp(-z[i]));
        inter += p * y[i];
        ps += p;
        ys += y[i];
        bce += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
      }
      diceSum += (2 * inter + loss.smooth()) / (ps + ys + loss.smooth());
    }
    return 1 - diceSum / r + loss.bceWeight() * bce / z.length;
  }

  /**
   * Asserts {@code loss}'s score of each example (sigmoid outputs; times its per-example mask) within 1e-5 of
   * {@code reference}(z, y), and its d score / d z at every element of {@code z} within 2e-6 of the reference's central
   * finite differences.
   */
  public static void assertMatchesFiniteDifferences(ILossFunction loss, INDArray y, INDArray z, INDArray mask,
      ToDoubleBiFunction<double[], double[]> reference, String what) {
    INDArray g = loss.computeGradient(y, z.dup(), new ActivationSigmoid(), mask);
    INDArray scores = loss.computeScoreArray(y, z.dup(), new ActivationSigmoid(), mask);
    double h = 1e-6;
    for (int e = 0; e < z.size(0); e++) {
      double weight = mask == null ? 1 : mask.getDouble(e, 0);
      double[] ze = z.getRow(e).toDoubleVector();
      double[] ye = y.getRow(e).toDoubleVector();
      assertEquals(weight * reference.applyAsDouble(ze, ye), scores.getDouble(e, 0), 1e-5, what + " score of " + e);
      for (int i = 0; i < ze.length; i++) {
        double[] zp = ze.clone();
        zp[i] += h;
        double[] zm = ze.clone();
        zm[i] -= h;
        double numeric = weight * (reference.applyAsDouble(zp, ye) - reference.applyAsDouble(zm, ye)) / (2 * h);
        assertEquals(numeric, g.getDouble(e, i), 2e-6, what + " d/dz[" + e + "," + i + "]");
      }
    }
  }
}
