package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** A loss layer's gradient against central finite differences of its score (tests only; double precision). */
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

  /** Asserts d score / d z of {@code loss} (sigmoid outputs) at every element of {@code z}, within 1e-6. */
  public static void assertMatchesFiniteDifferences(ILossFunction loss, INDArray y, INDArray z, INDArray mask,
      String what) {
    INDArray g = loss.computeGradient(y, z.dup(), new ActivationSigmoid(), mask);
    double h = 1e-6;
    for (int e = 0; e < z.size(0); e++) {
      for (int i = 0; i < z.size(1); i++) {
        INDArray zp = z.dup();
        zp.putScalar(e, i, z.getDouble(e, i) + h);
        INDArray zm = z.dup();
        zm.putScalar(e, i, z.getDouble(e, i) - h);
        double numeric = (loss.computeScore(y, zp, new ActivationSigmoid(), mask, false)
            - loss.computeScore(y, zm, new ActivationSigmoid(), mask, false)) / (2 * h);
        assertEquals(numeric, g.getDouble(e, i), 1e-6, what + " d/dz[" + e + "," + i + "]");
      }
    }
  }
}
