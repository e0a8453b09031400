package org.gliomabench.core.model;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Direct access to the elements of dense ND4J arrays in host memory (ND4J's CPU backends). */
public final class NativeArrays {
  /** Whether ND4J's arrays live in host memory; known once ND4J has loaded (an array exists). */
  private static volatile Boolean host;

  private NativeArrays() {}

  /**
   * Whether the elements lie densely in C order from the first one: every axis longer than 1 has the C-order stride
   * (ND4J's ordering flag and the strides it reports for axes of length 1 vary with how a view was made).
   */
  public static boolean dense(INDArray a) {
    long expected = 1;
    for (int i = a.rank() - 1; i >= 0; i--) {
      if (a.size(i) > 1 && a.stride(i) != expected) {
        return false;
      }
      expected *= a.size(i);
    }
    return true;
  }

  /**
   * A FLOAT array's elements in C order as a direct buffer over its own memory (reads and writes go to the array),
   * or null where that is not possible: a strided array, another type, or a backend whose arrays do not live in host
   * memory (CUDA).
   */
  public static FloatBuffer floats(INDArray a) {
    if (host == null) {
      host = !"cuda".equals(NativeBackend.loadedBuild());
    }
    if (!host || a.dataType() != DataType.FLOAT || !dense(a) || a.length() > Integer.MAX_VALUE / Float.BYTES) {
      return null;
    }
    // A view's data buffer already starts at its offset.
    return new FloatPointer(a.data().addressPointer()).position(0).capacity(a.length()).asBuffer();
  }
}
