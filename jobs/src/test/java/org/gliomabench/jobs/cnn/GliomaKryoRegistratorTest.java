package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

/** Spark's Kryo with the clusters' registrator round-trips packed and plain arrays, and records. */
class GliomaKryoRegistratorTest {
  private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
      .set("spark.kryo.registrator", GliomaKryoRegistrator.class.getName())).newInstance();

  @Test
  void packedAndPlainArraysRoundTrip() {
    for (INDArray a : PackedNDArrayTest.samples()) {
      assertEquals(a, roundTrip(PackedNDArray.copyOf(a)), "packed " + a.shapeInfoToString());
      assertEquals(a, roundTrip(a), "plain " + a.shapeInfoToString());
    }
    assertTrue(roundTrip(Nd4j.empty(DataType.FLOAT)).isEmpty());
    INDArray noRows = Nd4j.create(DataType.FLOAT, 0, 3);
    assertEquals(noRows.shapeInfoToString(), roundTrip(noRows).shapeInfoToString());
    // What DL4J's Kryo check sends before it trusts a registrator other than ND4J's.
    assertEquals(Nd4j.linspace(1, 5, 5), roundTrip(Nd4j.linspace(1, 5, 5)));
  }

  /** A record as the jobs collect them (Spark's Kryo cannot write records by itself). */
  record Sample(String patient, List<String> issues, int slices) implements java.io.Serializable {}

  @Test
  void recordsRoundTrip() {
    Sample sample = new Sample("BraTS20_Training_001", List.of("no seg"), 155);
    assertEquals(sample, roundTrip(sample));
  }

  private <T> T roundTrip(T o) {
    ByteBuffer bytes = kryo.serialize(o, ClassTag$.MODULE$.apply(Object.class));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
  }
}
