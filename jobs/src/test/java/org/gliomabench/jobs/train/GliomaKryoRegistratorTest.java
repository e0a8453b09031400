package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

/**
 * Spark's Kryo with the clusters' registrator round-trips packed and plain arrays, records, and the JDK's
 * unmodifiable collections (which Kryo alone cannot rebuild).
 */
@SuppressWarnings("unchecked")
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

  @Test
  void unmodifiableListsSetsAndMapsRoundTripAndStayUnmodifiable() {
    List<Collection<?>> collections = List.of(List.of(), List.of("a"), List.of("a", "b", "c"),
        List.of(1, 2, 3, 4).subList(1, 3), Stream.of("x", null, "z").toList(),
        Collections.unmodifiableList(new ArrayList<>(List.of(1L, 2L))), Collections.unmodifiableCollection(List.of(7)),
        Set.of(), Set.of("s"), Set.of("s", "t", "u"), Collections.unmodifiableSet(new LinkedHashSet<>(List.of(3, 1))));
    for (Collection<?> c : collections) {
      Collection<?> back = roundTrip(c);
      if (c instanceof List<?>) {
        assertEquals(c, back, c.getClass().getName());
      } else if (c instanceof Set<?>) {
        assertEquals(c, back, c.getClass().getName());
      } else {
        assertEquals(new ArrayList<>(c), new ArrayList<>(back), c.getClass().getName());
      }
      assertThrows(UnsupportedOperationException.class, () -> ((Collection<Object>) back).add("more"),
          c.getClass().getName() + " reads back unmodifiable");
    }
    Map<String, Integer> source = new HashMap<>(Map.of("BraTS20_Training_001", 1, "BraTS20_Training_002", 0));
    for (Map<String, Integer> m : List.of(Map.<String, Integer>of(), Map.of("a", 1), Map.copyOf(source),
        Collections.unmodifiableMap(source))) {
      Map<String, Integer> back = roundTrip(m);
      assertEquals(m, back, m.getClass().getName());
      assertThrows(UnsupportedOperationException.class, () -> back.put("more", 2));
    }
    List<String> asList = roundTrip(Arrays.asList("p", null));
    assertEquals(Arrays.asList("p", null), asList);
    asList.set(0, "q"); // Arrays.asList is settable
  }

  /** What crosses JVMs nested: a record holding immutable collections inside a task result's list. */
  @Test
  void nestedImmutableCollectionsInsideCollectedResultsRoundTrip() {
    List<Object> result = new ArrayList<>(List.of(Map.copyOf(Map.of("p1", List.of(new long[] {0, 1}))),
        new Sample("p2", Stream.of("truncated").toList(), 3)));
    List<Object> back = roundTrip(result);
    assertEquals(2, back.size());
    assertEquals(List.of(0L, 1L), Arrays.stream(((Map<String, List<long[]>>) back.get(0)).get("p1").get(0)).boxed().toList());
    assertEquals(result.get(1), back.get(1));
  }

  /**
   * What the stages send across JVMs on a cluster, each as it travels: the broadcast model (a packed copy of the
   * parameters), a worker's averaging result (packed arrays), an epoch's slots and patients (task data), a
   * U-Net patient's score with its original-space result (a task result), the reference masks (a broadcast map).
   */
  @Test
  void whatTheStagesSendAcrossJvmsRoundTrips() {
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = org.gliomabench.core.model.GliomaCnn.network(
        org.gliomabench.core.model.CnnSpec.of(new int[] {2, 4, 8, 8}, 1e-3, 1));
    ModelBroadcast.Payload payload = roundTrip(new ModelBroadcast.Payload(
        net.getLayerWiseConfigurations().toJson(), false, PackedNDArray.copyOf(net.params())));
    assertEquals(net.params(), payload.multiLayer().params());

    org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult result =
        new org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult(PackedNDArray.copyOf(net.params()),
            PackedNDArray.copyOf(Nd4j.rand(3, 5)), 0.25, null, null, null);
    org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult back = roundTrip(result);
    assertEquals(net.params(), back.getParameters());
    assertEquals(0.25, back.getScore());

    List<List<EpochData.Slot>> slots = List.of(List.of(new EpochData.Slot("BraTS20_Training_001", 1, -1),
        new EpochData.Slot("BraTS20_Training_002", 0, 17)));
    assertEquals(slots, roundTrip(new ArrayList<>(slots)));
    TrainingVolumes.Patient patient = new TrainingVolumes.Patient("p", 1, new int[] {1, 2, 3}, new int[] {4, 5, 6});
    TrainingVolumes.Patient p2 = roundTrip(patient);
    assertEquals(List.of(1, 2, 3), Arrays.stream(p2.cropOrigin()).boxed().toList());

    org.gliomabench.core.seg.OriginalSpaceScorer.Result original = new org.gliomabench.core.seg.OriginalSpaceScorer.Result(
        List.of(new org.gliomabench.core.seg.OriginalSpaceScorer.RegionScore("WT", 0.8, 3.0, 10, 12)), "brats_consensus");
    SegScorer.PatientScore score = new SegScorer.PatientScore("p", 0.3, new double[] {0.8, 0.5, 0.1},
        new byte[] {1, 3, 7}, new int[] {0, 0, 0}, new int[] {8, 8, 8}, original, null, 0.7);
    SegScorer.PatientScore s2 = roundTrip(score);
    assertEquals(original, s2.original());
    assertEquals(0.5, s2.gridDice()[1]);
    assertEquals(0.7, s2.grade());

    byte[] labels = new byte[4 * 4 * 4];
    labels[5] = 4;
    Map<String, org.gliomabench.core.seg.ReferenceMask> refs = new HashMap<>(Map.of("p",
        org.gliomabench.core.seg.ReferenceMask.ofLabels("p", labels, new int[] {4, 4, 4}, new double[] {1, 1, 1}, org.gliomabench.core.preprocess.Orientation.fromAxisCodes("LPS"),
            "brats_consensus")));
    Map<String, org.gliomabench.core.seg.ReferenceMask> r2 = roundTrip(refs);
    assertTrue(Arrays.equals(refs.get("p").bits(), r2.get("p").bits()));
  }

  private <T> T roundTrip(T o) {
    ByteBuffer bytes = kryo.serialize(o, ClassTag$.MODULE$.apply(Object.class));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
  }
}
