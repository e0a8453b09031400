package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.Test;

/** Training memory is planned from the network and the batch, and what cannot fit is refused, naming the settings. */
class MemoryPlanTest {
  private static final Map<String, String> KEYS = Map.of("batch", "cnn.batch.size", "workers", "cnn.workers");
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());

  @Test
  void theForwardPassIsMeasuredFromTheNetworksOwnActivations() {
    int[] shape = {4, 8, 16, 16};
    MultiLayerNetwork cnn = GliomaCnn.network(CnnSpec.of(shape, 1e-3, 1, CnnLayout.NDHWC));
    long input = 4L * 8 * 16 * 16 * Float.BYTES;
    long bytes = MemoryPlan.forwardBytes(cnn, 4 * 8 * 16 * 16);
    // conv 8 at full size alone is twice the input; the whole pass is more than that.
    assertTrue(bytes > input + 8L * 8 * 16 * 16 * Float.BYTES, "forward bytes " + bytes);
    SegSpec seg = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 8, 16, 16}, 4, 2, SegLoss.DICE, 1e-3, 1);
    assertTrue(MemoryPlan.forwardBytes(UNet.network(seg), seg.featureLength()) > (long) seg.featureLength() * Float.BYTES * 3,
        "the U-Net's levels and skips");
  }

  @Test
  void planMultipliesByTheBatchAndFitsTheWorkersTheMachineHas() {
    int[] shape = {4, 8, 16, 16};
    MultiLayerNetwork cnn = GliomaCnn.network(CnnSpec.of(shape, 1e-3, 1, CnnLayout.NDHWC));
    int f = 4 * 8 * 16 * 16;
    MemoryPlan small = MemoryPlan.of(jsc, cnn, f, 1, 4, 2, 2, null, "train-cnn", KEYS);
    MemoryPlan big = MemoryPlan.of(jsc, cnn, f, 1, 8, 2, 2, null, "train-cnn", KEYS);
    assertEquals(2 * small.activations(), big.activations(), 2, "activations scale with the batch");
    assertEquals(small.network(), big.network());
    assertEquals(cnn.numParams() * 16, small.network(), "parameters, gradient and Adam's two moments, float32");
    assertEquals(2, small.workers(), "both task slots fit a toy network");
    assertTrue(small.describe("train-cnn", 4).contains("2 worker(s)"), small.describe("train-cnn", 4));
  }

  @Test
  void aBatchThatCannotFitIsRefusedNamingTheSettings() {
    int[] shape = {4, 8, 16, 16};
    MultiLayerNetwork cnn = GliomaCnn.network(CnnSpec.of(shape, 1e-3, 1, CnnLayout.NDHWC));
    MemoryPlan.DoesNotFit e = assertThrows(MemoryPlan.DoesNotFit.class,
        () -> MemoryPlan.of(jsc, cnn, 4 * 8 * 16 * 16, 1, 50_000_000, 2, 2, null, "train-cnn", KEYS));
    for (String s : new String[] {"train-cnn cannot fit its memory", "cnn.batch.size", "cnn.workers", "GLIOMA_BENCH_HEAP",
        "activations at cnn.batch.size=50000000"}) {
      assertTrue(e.getMessage().contains(s), s + " in: " + e.getMessage());
    }
    // Workers asked for explicitly are refused rather than quietly reduced.
    long per = MemoryPlan.of(jsc, cnn, 4 * 8 * 16 * 16, 1, 4, 2, 2, null, "train-cnn", KEYS).perWorker();
    long available = MemoryPlan.of(jsc, cnn, 4 * 8 * 16 * 16, 1, 4, 2, 2, null, "train-cnn", KEYS).available();
    int tooMany = (int) Math.min(Integer.MAX_VALUE, available / per + 1);
    assertThrows(MemoryPlan.DoesNotFit.class,
        () -> MemoryPlan.of(jsc, cnn, 4 * 8 * 16 * 16, 1, 4, 2, 2, tooMany, "train-cnn", KEYS));
  }

  @Test
  void foldsTrainAtOnceWhereTheWorkersAllowEachWithWorkersOfItsOwn() {
    int[] shape = {4, 8, 16, 16};
    MultiLayerNetwork cnn = GliomaCnn.network(CnnSpec.of(shape, 1e-3, 1, CnnLayout.NDHWC));
    int f = 4 * 8 * 16 * 16;
    MemoryPlan auto = MemoryPlan.of(jsc, cnn, f, 1, 4, 2, 2, null, 5, 0, "train-cnn", KEYS);
    assertEquals(2, auto.folds(), "two task slots: two folds at once");
    assertEquals(1, auto.workers(), "one worker each");
    assertTrue(auto.describe("train-cnn", 4).contains("2 folds at once, 1 worker(s) each"), auto.describe("train-cnn", 4));
    MemoryPlan oneAtATime = MemoryPlan.of(jsc, cnn, f, 1, 4, 2, 2, null, 5, 1, "train-cnn", KEYS);
    assertEquals(1, oneAtATime.folds());
    assertEquals(2, oneAtATime.workers(), "one fold at a time gets every worker");
    assertEquals(1, MemoryPlan.of(jsc, cnn, f, 1, 4, 2, 2, null, 1, 0, "train-cnn", KEYS).folds(), "one fold asked for");
    MemoryPlan requested = MemoryPlan.of(jsc, cnn, f, 1, 4, 2, 2, 2, 5, 0, "train-cnn", KEYS);
    assertEquals(2, requested.workers(), "workers asked for are per fold");
    assertEquals(1, requested.folds(), "two workers per fold fill the two slots");
    assertEquals(auto.available() + auto.driver(), oneAtATime.available(),
        "each fold at once holds its own driver copies in this JVM");
  }
}
