package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The CNN scores patients on the executors as the driver's network would, and leaves that network intact. */
class CnnScorerTest {
  private static final int[] SHAPE = {4, 8, 16, 16};

  @TempDir
  Path tmp;

  @Test
  void scoringThroughABroadcastCopyKeepsTheNetworksParametersAndMatchesLocalOutput() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<PhantomVolumes.Patient> patients = PhantomVolumes.cohort(12, 0.3);
    PhantomVolumes.write(spark, tmp.toString(), "s", SHAPE, patients);
    TrainingVolumes volumes = TrainingVolumes.load(new Warehouse(spark, tmp.toString()), "train-cnn",
        TrainingVolumes.LABELLED, "");
    MultiLayerNetwork net = GliomaCnn.network(CnnSpec.of(SHAPE, 1e-3, 3, CnnLayout.NDHWC));
    INDArray before = net.params().dup();
    List<String> ids = patients.subList(0, 5).stream().map(PhantomVolumes.Patient::id).toList();

    Map<String, Double> scores = CnnScorer.score(jsc, net, volumes, ids, 2);

    assertEquals(5, scores.size());
    for (PhantomVolumes.Patient p : patients.subList(0, 5)) {
      float[] v = PhantomVolumes.volume(SHAPE, p.label(), p.id().hashCode());
      double local = net.output(Nd4j.create(v, new long[] {1, v.length}, 'c'), false).getDouble(0, 0);
      assertEquals(local, scores.get(p.id()), 1e-6, p.id());
    }
    System.gc(); // let Spark's cleaner remove whatever the scoring left behind
    assertFalse(net.params().wasClosed());
    assertEquals(before, net.params(), "the driver's parameters are untouched and readable");
  }
}
