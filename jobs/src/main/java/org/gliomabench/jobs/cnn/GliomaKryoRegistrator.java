package org.gliomabench.jobs.cnn;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Kryo registrator of the cluster confs (spark.kryo.registrator): ND4J's, with CPU arrays written as raw
 * bytes ({@link PackedNDArray}) instead of one element at a time (other backends keep ND4J's serializer), and
 * Java records written with Java serialization: Spark's Kryo 4 cannot build its field serializer for a record
 * ("can't get field offset on a record class"), and the jobs collect records (ingest's per-patient results).
 */
public final class GliomaKryoRegistrator extends Nd4jRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    super.registerClasses(kryo);
    kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    // By name: CUDA builds have no nd4j-native classes, and only CPU arrays are written raw.
    if (ShippedArrays.cpuBackend()) {
      kryo.register(Nd4j.getBackend().getNDArrayClass(), new Raw());
      kryo.register(PackedNDArray.class, new Raw());
    }
  }

  /** Kryo serializer of CPU arrays as raw bytes. */
  static final class Raw extends Serializer<INDArray> {
    private final Nd4jSerializer nd4j = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
      boolean packable = PackedNDArray.packable(array);
      output.writeBoolean(packable);
      if (!packable) {
        nd4j.write(kryo, output, array); // string or compressed arrays: ND4J's own format
        return;
      }
      try {
        PackedNDArray.writePacked(array, output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
      if (!input.readBoolean()) {
        return nd4j.read(kryo, input, type);
      }
      try {
        return PackedNDArray.readPacked(input);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
