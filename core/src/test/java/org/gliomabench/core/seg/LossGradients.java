package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** A loss layer's gradient against central finite differences of its score (tests only; double precision). */
public final class LossGradients {
  private LossGradients() {}

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
