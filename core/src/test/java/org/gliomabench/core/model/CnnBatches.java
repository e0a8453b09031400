package org.gliomabench.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Test minibatches for the CNN: seeded Gaussian rows, labels alternating 0, 1, 0, ... */
final class CnnBatches {
  private CnnBatches() {}

  static DataSet alternating(CnnSpec spec, int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.randn(DataType.FLOAT, n, spec.featureLength());
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 1);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, 0, i % 2);
    }
    return new DataSet(x, y);
  }
}
