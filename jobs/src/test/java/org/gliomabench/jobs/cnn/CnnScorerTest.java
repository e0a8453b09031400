package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.train.VolumeExample;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/** The CNN scores patients on the executors as the driver's network would, and leaves that network intact. */
class CnnScorerTest {
  private static final int[] SHAPE = {4, 8, 16, 16};
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());

  @Test
  void scoringThroughABroadcastCopyKeepsTheNetworksParametersAndMatchesLocalOutput() {
    MultiLayerNetwork net = GliomaCnn.network(CnnSpec.of(SHAPE, 1e-3, 3, CnnLayout.NDHWC));
    INDArray before = net.params().dup();
    List<Tuple2<String, VolumeExample>> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      float[] v = PhantomVolumes.volume(SHAPE, i % 2, 40 + i);
      rows.add(new Tuple2<>("p" + i, new VolumeExample("p" + i, i % 2, PhantomVolumes.bytes(v), null, null, null)));
    }
    JavaPairRDD<String, VolumeExample> examples = JavaPairRDD.fromJavaRDD(jsc.parallelize(rows, 2));
    Map<String, Double> scores = CnnScorer.score(jsc, net, examples, List.of("p0", "p1", "p2", "p4"), 2);

    assertEquals(4, scores.size());
    for (String id : scores.keySet()) {
      VolumeExample e = rows.stream().filter(t -> t._1().equals(id)).findFirst().orElseThrow()._2();
      assertEquals(net.output(e.features(), false).getDouble(0, 0), scores.get(id), 1e-6, id);
    }
    System.gc(); // let Spark's cleaner remove whatever the scoring left behind
    assertFalse(net.params().wasClosed());
    assertEquals(before, net.params(), "the driver's parameters are untouched and readable");
  }

}
