package org.gliomabench.jobs.cnn;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One patient's CNN input as the volumes table stores it: float32 little-endian, C-order over [C, D, H, W]. */
public record CnnExample(String patientId, int label, byte[] tensor) implements Serializable {

  public float[] floats() {
    float[] f = new float[tensor.length / Float.BYTES];
    ByteBuffer.wrap(tensor).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** The flat row [1, C*D*H*W] the network's first preprocessor reshapes to NCDHW. */
  public INDArray features() {
    float[] f = floats();
    return Nd4j.create(f, new long[] {1, f.length}, 'c');
  }
}
