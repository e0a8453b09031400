package org.gliomabench.jobs.train;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays parameter averaging ships (broadcast parameters and updater state, workers' results): copies that
 * are {@link PackedNDArray}s where that works, i.e. on ND4J's CPU backend and with a serializer that writes
 * them, else plain copies. This class names no CPU-backend class, so CUDA builds (where nd4j-native is not
 * on the classpath and PackedNDArray cannot load) run through it without touching one.
 */
final class ShippedArrays {
  static final String CPU_NDARRAY = "org.nd4j.linalg.cpu.nativecpu.NDArray";

  private ShippedArrays() {}

  static boolean cpuBackend() {
    return Nd4j.getBackend().getNDArrayClass().getName().equals(CPU_NDARRAY);
  }

  /**
   * Whether to pack what is shipped under this Spark configuration: on the CPU backend, with Java serialization,
   * or Kryo with {@link GliomaKryoRegistrator} (or a subclass), since ND4J's registrator does not know packed arrays.
   */
  static boolean packs(SparkConf conf) {
    if (!cpuBackend()) {
      return false;
    }
    if (!conf.get("spark.serializer", JavaSerializer.class.getName()).equals(KryoSerializer.class.getName())) {
      return true;
    }
    for (String name : conf.get("spark.kryo.registrator", "").split(",")) {
      try {
        if (!name.isBlank() && GliomaKryoRegistrator.class.isAssignableFrom(Class.forName(name.trim()))) {
          return true;
        }
      } catch (ClassNotFoundException e) {
        // not ours
      }
    }
    return false;
  }

  /**
   * A detached copy of {@code a} to ship; packed if {@code pack}, and with {@code releaseAfterWrite} freed as
   * soon as it is serialized (a task result, which Spark serializes once). A packed copy with an
   * {@code exchangeDir} (null: none) is shipped as a file there, not through Spark's heap. Null stays null.
   */
  static INDArray copy(INDArray a, boolean pack, boolean releaseAfterWrite, String exchangeDir) {
    if (a == null) {
      return null;
    }
    return pack ? PackedNDArray.copyOf(a, releaseAfterWrite, exchangeDir) : a.dup();
  }

  /** Frees an array's memory now rather than at some later garbage collection; null and views are left alone. */
  static void release(INDArray a) {
    if (a != null && a.closeable()) {
      a.close();
    }
  }
}
