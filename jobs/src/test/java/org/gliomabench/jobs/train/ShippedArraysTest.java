package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What parameter averaging ships is packed only where the backend and the serializer allow. */
class ShippedArraysTest {

  @Test
  void onlySerializersThatWritePackedArraysGetThem() {
    String kryo = KryoSerializer.class.getName();
    assertTrue(ShippedArrays.packs(new SparkConf()), "Java serialization");
    assertFalse(ShippedArrays.packs(new SparkConf().set("spark.serializer", kryo)
        .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")), "ND4J's registrator does not know them");
    assertTrue(ShippedArrays.packs(new SparkConf().set("spark.serializer", kryo)
        .set("spark.kryo.registrator", "com.example.Missing, " + GliomaKryoRegistrator.class.getName())));
  }

  @Test
  void copiesArePackedOnRequestAndReleasedAtOnce() {
    assertTrue(ShippedArrays.cpuBackend(), "tests run on the CPU backend");
    INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3);
    assertInstanceOf(PackedNDArray.class, ShippedArrays.copy(a, true, false, null));
    INDArray plain = ShippedArrays.copy(a, false, false, null);
    assertFalse(plain instanceof PackedNDArray);
    assertNull(ShippedArrays.copy(null, true, true, null));
    ShippedArrays.release(plain);
    assertTrue(plain.wasClosed());
    INDArray view = a.getRow(0);
    ShippedArrays.release(view);
    assertFalse(view.wasClosed() || a.wasClosed(), "views are left alone");
  }
}
