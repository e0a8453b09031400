package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Packed arrays come back equal through Java serialization, and shipped-once copies free their memory. */
class PackedNDArrayTest {

  @Test
  void javaSerializationRoundTripsEveryShapeAndType() throws Exception {
    for (INDArray a : samples()) {
      INDArray packed = PackedNDArray.copyOf(a);
      assertInstanceOf(PackedNDArray.class, packed);
      INDArray back = javaRoundTrip(packed);
      assertFalse(back instanceof PackedNDArray, "reads back as a plain array");
      assertEquals(a, back, a.dataType() + " " + a.shapeInfoToString());
    }
  }

  @Test
  void itTravelsInsideDl4jsResultAndTheCopyIsFreedOnceWritten() throws Exception {
    INDArray params = Nd4j.rand(DataType.FLOAT, 1, 1000);
    INDArray state = Nd4j.rand(DataType.FLOAT, 1, 2000);
    INDArray p = PackedNDArray.copyOf(params, true, null);
    INDArray s = PackedNDArray.copyOf(state, true, null);
    // A worker's task result: DL4J's per-partition sum, which holds the worker's arrays as they are.
    ParameterAveragingAggregationTuple back = javaRoundTrip(
        new ParameterAveragingAggregationTuple(p, s, 0.5, 1, null, null, null, null));
    assertEquals(params, back.getParametersSum());
    assertEquals(state, back.getUpdaterStateSum());
    assertTrue(p.wasClosed() && s.wasClosed(), "a task result's copies are freed once serialized");
    INDArray kept = PackedNDArray.copyOf(params);
    javaRoundTrip(kept);
    assertFalse(kept.wasClosed(), "broadcast copies stay until the split is averaged");
  }

  @Test
  void withAnExchangeFolderTheArrayTravelsAsAFileAndTheStreamCarriesOnlyItsPath(@TempDir Path dir)
      throws Exception {
    INDArray big = Nd4j.rand(DataType.FLOAT, 2, 1 << 18);
    INDArray small = Nd4j.rand(DataType.FLOAT, 2, 3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(PackedNDArray.copyOf(big, true, dir.toString()));
      out.writeObject(PackedNDArray.copyOf(small, true, dir.toString()));
    }
    assertTrue(bytes.size() < 2048, "the stream holds two paths, not 2 MB: " + bytes.size());
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted(java.util.Comparator.comparingLong(f -> -f.toFile().length())).toList();
    }
    assertEquals(2, files.size(), "one file per array: " + files);
    assertEquals(big.length() * Float.BYTES, Files.size(files.get(0)));
    assertFalse(big.wasClosed(), "the original is untouched");
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(big, in.readObject());
      assertEquals(small, in.readObject());
    }
    Files.delete(files.get(0));
    Exception gone = assertThrows(IOException.class,
        () -> new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject());
    assertTrue(gone.getMessage().contains(files.get(0).getFileName().toString()) && gone.getMessage().contains("gone"),
        gone.getMessage());
  }

  @Test
  void copiesAreDetachedAndNullStaysNull() {
    assertNull(PackedNDArray.copyOf(null));
    INDArray a = Nd4j.rand(DataType.FLOAT, 3, 4);
    INDArray c = PackedNDArray.copyOf(a);
    assertNotSame(a.data(), c.data());
    a.addi(1);
    assertFalse(a.equals(c), "a copy, not a view");
    assertFalse(c.isAttached());
  }

  @Test
  void aCorruptStreamIsRefused() {
    IOException e = assertThrows(IOException.class,
        () -> PackedNDArray.readPacked(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
    assertTrue(e.getMessage().contains("packed"), e.getMessage());
  }

  static INDArray[] samples() {
    INDArray big = Nd4j.rand(DataType.FLOAT, 3, 1 << 19); // 6 MB: more than one copy chunk
    return new INDArray[] {
        Nd4j.rand(DataType.FLOAT, 2, 3, 4),
        Nd4j.rand(DataType.DOUBLE, 5),
        Nd4j.createFromArray(new int[] {1, -2, 3}),
        Nd4j.scalar(2.5f),
        big,
        big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3), org.nd4j.linalg.indexing.NDArrayIndex.all()),
        Nd4j.rand(DataType.FLOAT, 'f', 4, 6),
        Nd4j.rand(DataType.FLOAT, 4, 6).transpose(),
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> T javaRoundTrip(T o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
