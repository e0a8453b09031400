package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.Test;

/** Parameter averaging is built from the settings, with worker threads sized to the task slots. */
class TrainingMastersTest {
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());

  @Test
  void defaultsAreDirectTrainingWithoutRepartitionAndOneCoreShareEach() {
    TrainingMasters masters = TrainingMasters.of(SettingsLoader.defaults(), "cnn");
    assertEquals(2, jsc.defaultParallelism(), "tests run on local[2]");
    assertEquals(2, masters.workers(jsc));
    assertEquals(1, masters.workerThreads(jsc), "2 cores over 2 workers");
    ParameterAveragingTrainingMaster tm = assertInstanceOf(ParameterAveragingTrainingMaster.class, masters.create(1, jsc));
    String json = tm.toJson();
    assertTrue(json.contains("\"rddTrainingApproach\" : \"Direct\""), json);
    assertTrue(json.contains("\"repartition\" : \"NumPartitionsWorkersDiffers\""), json);
    assertTrue(json.contains("\"averagingFrequency\" : 5"), json);
    assertTrue(tm.getTrainingHookList().stream().anyMatch(h -> h instanceof WorkerThreads w && w.threads() == 1),
        "workers are capped: " + tm.getTrainingHookList());
  }

  @Test
  void fewerWorkersGetMoreThreadsAndSettingsWin() {
    assertEquals(2, TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.workers", "1")), "cnn").workerThreads(jsc));
    assertEquals(3, TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.worker.threads", "3")), "cnn").workerThreads(jsc));
  }

  @Test
  void trainingLeavesTheCachedMinibatchesAsTheyWere() {
    // BATCH_STORAGE keeps DataSet objects deserialized: a worker that changed them would corrupt later splits.
    CnnSpec spec = CnnSpec.of(new int[] {2, 8, 8, 8}, 1e-3, 3);
    int length = spec.featureLength();
    JavaRDD<DataSet> batches = jsc.parallelize(List.of(0, 1, 2, 3, 4, 5), 2)
        .map(i -> new DataSet(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(100L + i), 4, length),
            Nd4j.createFromArray(new float[] {0, 1, 0, 1}).reshape(4, 1)))
        .persist(TrainingMasters.BATCH_STORAGE);
    List<Double> before = batches.map(TrainingMastersTest::checksum).collect();
    TrainingMasters masters = TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.batch.size", "4",
        "cnn.averaging.frequency", "2")), "cnn");
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(spec), masters.create(7, jsc));
    INDArray params = net.getNetwork().params().dup();
    net.fit(batches);
    net.fit(batches);
    assertTrue(net.getNetwork().params().sub(params).norm2Number().doubleValue() > 0, "the network trained");
    assertEquals(before, batches.map(TrainingMastersTest::checksum).collect());
    batches.unpersist();
  }

  private static double checksum(DataSet d) {
    return d.getFeatures().sumNumber().doubleValue() + 3 * d.getFeatures().norm2Number().doubleValue()
        + 5 * d.getLabels().sumNumber().doubleValue();
  }

  @Test
  void badSettingsNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.worker.threads", "0")), "cnn"));
    assertTrue(e.getMessage().contains("cnn.worker.threads"), e.getMessage());
    ConfigException exchange = assertThrows(ConfigException.class,
        () -> TrainingMasters.of(SettingsLoader.defaults().with(Map.of("seg.exchange", "nfs")), "seg"));
    assertTrue(exchange.getMessage().contains("seg.exchange") && exchange.getMessage().contains("files or spark"),
        exchange.getMessage());
  }

  @Test
  void parametersTravelThroughFilesUnlessSparkIsAskedFor() {
    assertTrue(TrainingMasters.of(SettingsLoader.defaults(), "cnn").exchangesFiles());
    assertFalse(TrainingMasters.of(SettingsLoader.defaults().with(Map.of("train.exchange", "spark")), "cnn").exchangesFiles());
    assertFalse(TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.exchange", "Spark")), "cnn").exchangesFiles());
  }
}
