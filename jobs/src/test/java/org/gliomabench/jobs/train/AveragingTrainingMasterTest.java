package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Our parameter averaging trains every minibatch, and otherwise exactly as DL4J's master does. */
class AveragingTrainingMasterTest {
  private static final CnnSpec SPEC = CnnSpec.of(new int[] {2, 8, 8, 8}, 1e-3, 3);
  private static final int BATCH = 4;

  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());

  @Test
  void splitsRoundUpSoNoMinibatchIsLeftOver() {
    assertEquals(1, AveragingTrainingMaster.splits(0, 10));
    assertEquals(1, AveragingTrainingMaster.splits(10, 10));
    assertEquals(2, AveragingTrainingMaster.splits(11, 10));
    assertEquals(2, AveragingTrainingMaster.splits(16, 10));
    assertEquals(3, AveragingTrainingMaster.splits(21, 10));
  }

  @Test
  void everyMinibatchIsTrainedWhereDl4jsMasterSkipsSome() {
    JavaRDD<DataSet> batches = minibatches(16);
    TrainingMaster<?, ?> ours = masters(5).create(1, jsc);
    assertInstanceOf(AveragingTrainingMaster.class, ours);
    LongAccumulator fitted = jsc.sc().longAccumulator();
    ours.addHook(new FittedExamples(fitted));
    new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), ours).fit(batches);
    assertEquals(16 * BATCH, fitted.value(), "all 16 minibatches trained");

    // DL4J's own master: one split (16 / (2 workers x 5) rounds down), each worker stops after 5 of its 8.
    fitted.reset();
    TrainingMaster<?, ?> theirs = masters(5).dl4jAveraging(1, jsc);
    theirs.addHook(new FittedExamples(fitted));
    new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), theirs).fit(batches);
    assertEquals(2 * 5 * BATCH, fitted.value(), "DL4J 1.0.0-M2 skips 6 of the 16 minibatches");
    batches.unpersist();
  }


  @Test
  void trainsAsDl4jsMasterDoesWhereNothingIsSkippedReusingWorkerNetworks() {
    // 8 minibatches, 2 workers, averaging every 2: two splits per fit, 2 minibatches per worker each, so
    // DL4J's master skips nothing. Same seed, so both draw the same splits.
    JavaRDD<DataSet> batches = minibatches(8);
    SparkDl4jMultiLayer ours = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), masters(2).create(11, jsc));
    SparkDl4jMultiLayer theirs = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), masters(2).dl4jAveraging(11, jsc));
    INDArray start = ours.getNetwork().params().dup();
    assertEquals(start, theirs.getNetwork().params(), "same initial network");
    for (int fit = 0; fit < 2; fit++) {
      ours.fit(batches);
      if (fit == 0) {
        assertEquals(2, WorkerNetworks.idle(), "both workers gave their networks back for the next split");
      }
      theirs.fit(batches);
    }
    INDArray a = ours.getNetwork().params();
    INDArray b = theirs.getNetwork().params();
    assertTrue(a.sub(start).norm2Number().doubleValue() > 1e-3, "the network trained");
    double diff = a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    assertTrue(diff < 1e-6, "parameters differ from DL4J's master by " + diff);
    INDArray stateA = ours.getNetwork().getUpdater().getStateViewArray();
    INDArray stateB = theirs.getNetwork().getUpdater().getStateViewArray();
    assertTrue(stateA.sub(stateB).norm2Number().doubleValue() <= 1e-6 * stateB.norm2Number().doubleValue(),
        "Adam state as DL4J's");
    assertEquals(theirs.getNetwork().getLayerWiseConfigurations().getIterationCount(),
        ours.getNetwork().getLayerWiseConfigurations().getIterationCount());
    assertEquals(theirs.getScore(), ours.getScore(), 1e-6);
    batches.unpersist();
  }

  @Test
  void shippingThroughExchangeFilesTrainsAsShippingThroughSparkAndLeavesNoFiles(@TempDir Path root) throws Exception {
    JavaRDD<DataSet> batches = minibatches(8);
    AveragingTrainingMaster filed = (AveragingTrainingMaster) masters(2).create(11, jsc);
    filed.exchangeRoot(root.toString());
    SparkDl4jMultiLayer viaFiles = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), filed);
    SparkDl4jMultiLayer viaSpark = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(SPEC), masters(2).create(11, jsc));
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try (Stream<Path> files = Files.walk(root)) {
          files.filter(f -> f.toString().endsWith(".bin")).forEach(f -> seen.add(f.toString()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          // a round's folder removed while listing it
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
    try {
      viaFiles.fit(batches);
    } finally {
      watcher.interrupt();
      watcher.join();
    }
    viaSpark.fit(batches);
    INDArray a = viaFiles.getNetwork().params();
    INDArray b = viaSpark.getNetwork().params();
    assertTrue(a.sub(b).norm2Number().doubleValue() <= 1e-6 * b.norm2Number().doubleValue(), "same training");
    assertFalse(seen.isEmpty(), "parameters went through files under " + root);
    try (Stream<Path> left = Files.walk(root)) {
      assertEquals(List.of(root), left.toList(), "the rounds' files are removed");
    }
    batches.unpersist();
  }

  private TrainingMasters masters(int averagingFrequency) {
    return TrainingMasters.of(SettingsLoader.defaults().with(Map.of("cnn.batch.size", String.valueOf(BATCH),
        "cnn.averaging.frequency", String.valueOf(averagingFrequency))), "cnn");
  }

  /** {@code n} seeded minibatches of BATCH examples in two partitions, persisted as train-cnn persists them. */
  private JavaRDD<DataSet> minibatches(int n) {
    int length = SPEC.featureLength();
    JavaRDD<DataSet> rdd = jsc.parallelize(IntStream.range(0, n).boxed().toList(), 2)
        .map(i -> new DataSet(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(300L + i), BATCH, length),
            Nd4j.createFromArray(new float[] {0, 1, 1, 0}).reshape(BATCH, 1)))
        .persist(TrainingMasters.BATCH_STORAGE);
    rdd.count();
    return rdd;
  }
}
