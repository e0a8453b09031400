package org.gliomabench.jobs.train;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One patient as the volumes table stores it, the input of both training arms: the tensor (float32
 * little-endian, C-order over [C, D, H, W]), the uint8 BraTS label mask over [D, H, W], and where the grid lies
 * in the original volume. {@code label} is 0 (LGG) or 1 (HGG).
 */
public record VolumeExample(String patientId, int label, byte[] tensor, byte[] mask, int[] cropOrigin,
    int[] cropExtent) implements Serializable {

  public float[] floats() {
    float[] f = new float[tensor.length / Float.BYTES];
    ByteBuffer.wrap(tensor).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** The flat row [1, C*D*H*W] the CNN's first preprocessor reshapes to NCDHW. */
  public INDArray features() {
    float[] f = floats();
    return Nd4j.create(f, new long[] {1, f.length}, 'c');
  }
}
