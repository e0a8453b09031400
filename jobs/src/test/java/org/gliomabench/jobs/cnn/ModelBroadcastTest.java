package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/** Inference on executors leaves the driver's network intact after Spark removes the broadcast. */
class ModelBroadcastTest {
  private static final int[] SHAPE = {4, 8, 16, 16};
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());

  /** Why the project never broadcasts a network's own arrays (DL4J's feedForwardWithKey does). */
  @Test
  void sparkClosesAnArrayBroadcastWhenTheBroadcastIsRemoved() {
    INDArray live = Nd4j.rand(3, 4);
    Broadcast<INDArray> b = jsc.broadcast(live);
    assertEquals(live, jsc.parallelize(List.of(1), 1).map(i -> b.value()).collect().get(0));
    b.destroy(true);
    assertTrue(live.wasClosed(), "Spark 3.5 closes AutoCloseable broadcast values it removes");
  }

  @Test
  void scoringThroughABroadcastCopyKeepsTheNetworksParametersAndMatchesLocalOutput() {
    MultiLayerNetwork net = GliomaCnn.network(CnnSpec.of(SHAPE, 1e-3, 3, CnnLayout.NDHWC));
    INDArray before = net.params().dup();
    List<Tuple2<String, CnnExample>> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      float[] v = PhantomVolumes.volume(SHAPE, i % 2, 40 + i);
      rows.add(new Tuple2<>("p" + i, new CnnExample("p" + i, i % 2, PhantomVolumes.bytes(v))));
    }
    JavaPairRDD<String, CnnExample> examples = JavaPairRDD.fromJavaRDD(jsc.parallelize(rows, 2));
    Map<String, Double> scores = CnnScorer.score(jsc, net, examples, List.of("p0", "p1", "p2", "p4"), 2);

    assertEquals(4, scores.size());
    for (String id : scores.keySet()) {
      CnnExample e = rows.stream().filter(t -> t._1().equals(id)).findFirst().orElseThrow()._2();
      assertEquals(net.output(e.features(), false).getDouble(0, 0), scores.get(id), 1e-6, id);
    }
    System.gc(); // let Spark's cleaner remove whatever the scoring left behind
    assertFalse(net.params().wasClosed());
    assertEquals(before, net.params(), "the driver's parameters are untouched and readable");
  }

  @Test
  void closingTheBroadcastFreesOnlyItsCopy() {
    MultiLayerNetwork net = GliomaCnn.network(CnnSpec.of(SHAPE, 1e-3, 3, CnnLayout.NDHWC));
    ModelBroadcast model = ModelBroadcast.of(jsc, net);
    Broadcast<ModelBroadcast.Payload> handle = model.handle();
    INDArray onExecutor = jsc.parallelize(List.of(1), 1).map(i -> handle.value().multiLayer().params()).collect().get(0);
    model.close();
    assertFalse(net.params().wasClosed());
    assertEquals(net.params(), onExecutor);
  }
}
