package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The U-Net of the project's own layers (oneDNN convolutions, pooling and upsampling, channels-last preprocessors, the
 * one-pass loss) is DL4J's stock U-Net: the same score, gradients, Adam steps and outputs as the stock NCDHW network
 * given the same parameters, in both layouts, through oneDNN and through the layers' ND4J fallbacks; it keeps no
 * arrays after a step, and two workers training at once get what each computes alone.
 */
class UNetOwnLayersTest {
  /** Odd sizes (padded to 8 x 8 x 8): off-by-one errors in the layouts show. */
  private static final SegSpec SPEC =
      SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {3, 5, 7, 6}, 4, 2, SegLoss.DICE_BCE, 1e-3, 7);

  @AfterEach
  void reEnable() {
    OneDnn.setEnabled(true);
  }

  @ParameterizedTest
  @EnumSource(CnnLayout.class)
  void ownLayersGiveTheStockGradientsAdamStepsAndOutputs(CnnLayout layout) {
    compareWithStock(layout);
  }

  @ParameterizedTest
  @EnumSource(CnnLayout.class)
  void theLayersNd4jFallbacksGiveTheStockGradientsAdamStepsAndOutputs(CnnLayout layout) {
    OneDnn.setEnabled(false);
    compareWithStock(layout);
  }

  private static void compareWithStock(CnnLayout layout) {
    ComputationGraph stock = graph(UNet.configuration(SPEC.withLayout(CnnLayout.NCDHW), false));
    ComputationGraph own = graph(UNet.configuration(SPEC.withLayout(layout), true));
    assertEquals(Convolution3DLayer.class, stock.getLayer("enc0a").getClass());
    assertInstanceOf(OneDnnConvolution3DLayer.class, own.getLayer("enc0a"));
    assertEquals(stock.numParams(), own.numParams());
    own.setParams(stock.params().dup());

    MultiDataSet data = batch(2, 21);
    Gradient expected = gradient(stock, data);
    Gradient actual = gradient(own, data);
    assertEquals(stock.score(), own.score(), 1e-5 * Math.abs(stock.score()), "score");
    assertEquals(expected.gradientForVariable().keySet(), actual.gradientForVariable().keySet());
    for (String key : expected.gradientForVariable().keySet()) {
      INDArray g = expected.getGradientFor(key);
      assertTrue(g.amaxNumber().doubleValue() > 0, key + " gradient is non-zero");
      assertClose(key + " gradient", g, actual.getGradientFor(key), 1e-4);
    }
    boolean oneDnn = OneDnn.available();
    for (Layer l : own.getLayers()) {
      String name = l.conf().getLayer().getLayerName();
      long passes = l instanceof OneDnnConvolution3DLayer c ? c.oneDnnPasses()
          : l instanceof OneDnnSubsampling3DLayer p ? p.oneDnnPasses()
          : l instanceof OneDnnUpsampling3DLayer u ? u.oneDnnPasses() : -1;
      if (passes >= 0) {
        assertEquals(oneDnn ? 1 : 0, passes, name + " backprop through oneDNN: " + oneDnn);
      }
      if (l instanceof ReluReuseConvolution3DLayer r) {
        assertTrue(!r.holdsOutput(), name + " keeps nothing after the step");
      }
    }

    for (int step = 0; step < 3; step++) {
      MultiDataSet b = batch(2, 200 + step);
      stock.fit(b);
      own.fit(b);
    }
    assertClose("parameters after 3 Adam steps", stock.params(), own.params(), 1e-3);
    INDArray x = batch(1, 9).getFeatures(0);
    assertClose("output", stock.outputSingle(x), own.outputSingle(x), 1e-4);
  }

  /** The 2D network of own layers (3D ones on volumes of depth 1) against DL4J's 2D layers, NCHW. */
  @ParameterizedTest
  @EnumSource(CnnLayout.class)
  void theTwoDimensionalNetworkOfOwnLayersGivesDl4jsTwoDimensionalGradientsAndSteps(CnnLayout layout) {
    SegSpec two = SegSpec.of(SegSpec.Dimensions.TWO_D, new int[] {3, 5, 7, 6}, 4, 2, SegLoss.DICE_BCE, 1e-3, 7, layout);
    ComputationGraph stock = graph(UNet.configuration(two, false));
    ComputationGraph own = graph(UNet.configuration(two, true));
    assertEquals(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, stock.getLayer("enc0a").getClass());
    assertInstanceOf(OneDnnConvolution3DLayer.class, own.getLayer("enc0a"));
    assertEquals(stock.numParams(), own.numParams());
    own.setParams(stock.params().dup());
    Nd4j.getRandom().setSeed(23);
    MultiDataSet data = new MultiDataSet(Nd4j.randn(DataType.FLOAT, 3, two.featureLength()),
        Nd4j.rand(DataType.FLOAT, 3, two.labelLength()).lt(0.3).castTo(DataType.FLOAT));
    Gradient expected = gradient(stock, data);
    Gradient actual = gradient(own, data);
    assertEquals(stock.score(), own.score(), 1e-5 * Math.abs(stock.score()), "score");
    for (String key : expected.gradientForVariable().keySet()) {
      INDArray g = expected.getGradientFor(key);
      assertClose(key + " gradient", g, actual.getGradientFor(key).reshape(g.shape()), 1e-4);
    }
    for (int step = 0; step < 3; step++) {
      stock.fit(data);
      own.fit(data);
    }
    assertClose("parameters after 3 Adam steps", stock.params(), own.params(), 1e-3);
  }

  @Test
  void theFirstConvolutionComputesNoInputGradient() {
    ComputationGraph own = graph(UNet.configuration(SPEC, true));
    own.initGradientsView();
    OneDnnConvolution3DLayer first = (OneDnnConvolution3DLayer) own.getLayer("enc0a");
    OneDnnConvolution3DLayer second = (OneDnnConvolution3DLayer) own.getLayer("enc0b");
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = new ChannelsLastPreProcessor(8, 8, 8, 3).preProcess(batch(2, 3).getFeatures(0), 2, noWs);
    first.setInput(x, noWs);
    INDArray out = first.activate(true, noWs);
    Nd4j.getRandom().setSeed(17);
    Pair<Gradient, INDArray> p = first.backpropGradient(Nd4j.randn(DataType.FLOAT, out.shape()), noWs);
    assertTrue(p.getFirst().getGradientFor("W").amaxNumber().doubleValue() > 0, "weight gradient");
    if (OneDnn.available()) {
      assertNull(p.getSecond(), "no input gradient for the layer the network input feeds");
    }
    second.setInput(out, noWs);
    INDArray out2 = second.activate(true, noWs);
    assertEquals(x.size(0), second.backpropGradient(Nd4j.randn(DataType.FLOAT, out2.shape()), noWs).getSecond().size(0),
        "the next one does compute it");
  }

  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void concurrentWorkersGetWhatEachComputesAlone() throws Exception {
    ComputationGraphConfiguration conf = UNet.configuration(SPEC, true);
    MultiDataSet[] data = {batch(2, 31), batch(2, 32)};
    INDArray[] alone = new INDArray[2];
    ExecutorService pool = Executors.newFixedThreadPool(2);
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    try {
      for (int w = 0; w < 2; w++) {
        MultiDataSet d = data[w];
        alone[w] = pool.submit(() -> {
          ops.setOmpNumThreads(1);
          return train(conf, d);
        }).get();
      }
      for (int round = 0; round < 3; round++) {
        List<Future<INDArray>> together = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          MultiDataSet d = data[w];
          // As DL4J's Spark workers do: each sets its own OpenMP thread count.
          together.add(pool.submit(() -> {
            ops.setOmpNumThreads(1);
            return train(conf, d);
          }));
        }
        for (int w = 0; w < 2; w++) {
          assertEquals(alone[w], together.get(w).get(), "worker " + w + " in round " + round);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A fresh network of the configuration after two steps on the data (its parameters). */
  private static INDArray train(ComputationGraphConfiguration conf, MultiDataSet data) {
    ComputationGraph net = graph(conf);
    net.fit(data);
    net.fit(data);
    return net.params().dup();
  }

  private static ComputationGraph graph(ComputationGraphConfiguration conf) {
    ComputationGraph net = new ComputationGraph(conf.clone());
    net.init();
    return net;
  }

  private static Gradient gradient(ComputationGraph net, MultiDataSet data) {
    net.setInputs(data.getFeatures());
    net.setLabels(data.getLabels());
    net.computeGradientAndScore();
    return net.gradient();
  }

  /** Flat rows of random features and region labels on SPEC's padded grid. */
  static MultiDataSet batch(int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.randn(DataType.FLOAT, n, SPEC.featureLength());
    INDArray labels = Nd4j.rand(DataType.FLOAT, n, SPEC.labelLength()).lt(0.3).castTo(DataType.FLOAT);
    return new MultiDataSet(features, labels);
  }

  /** Every element within {@code rel} of the largest magnitude of the expected array. */
  private static void assertClose(String what, INDArray expected, INDArray actual, double rel) {
    assertEquals(List.of(expected.shape().length), List.of(actual.shape().length), what + " rank");
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
    double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE).reshape(expected.shape()))
        .amaxNumber().doubleValue();
    assertTrue(diff <= rel * scale, what + ": max difference " + diff + " against max magnitude " + scale);
  }
}
