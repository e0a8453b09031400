package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Layer 0 computing only its weight and bias gradients gives the stock network's gradients and Adam steps in
 * both layouts, survives serialisation, and falls back to the stock backprop when switched off.
 */
class FirstLayerConvolution3DTest {
  private static final double REL = 1e-4;
  private static final CnnSpec SPEC = CnnSpec.of(new int[] {3, 8, 8, 12}, 1e-3, 42);

  @AfterEach
  void reEnable() {
    FirstLayerConvolution3DLayer.setEnabled(true);
  }

  @Test
  void theWeightsOnlyPathRunsWhereNd4jUsesOneDnn() {
    MultiLayerNetwork net = network(SPEC, true);
    fitOnce(net, 2, 1);
    assertEquals("onednn-avx2".equals(NativeBackend.loadedBuild()), OneDnnConvolution.available(),
        NativeBackend.loadedBuild());
  }

  @ParameterizedTest
  @EnumSource(CnnLayout.class)
  void gradientsAndAdamStepsEqualStock(CnnLayout layout) {
    CnnSpec spec = SPEC.withLayout(layout);
    MultiLayerNetwork stock = network(spec, false);
    MultiLayerNetwork own = network(spec, true);
    assertEquals(Convolution3DLayer.class, stock.getLayer(0).getClass());
    FirstLayerConvolution3DLayer first = assertInstanceOf(FirstLayerConvolution3DLayer.class, own.getLayer(0));
    assertInstanceOf(ReluReuseConvolution3DLayer.class, own.getLayer(2));
    assertClose("initial parameters", stock.params(), own.params());

    DataSet data = batch(3, 11);
    Gradient expected = gradient(stock, data);
    Gradient actual = gradient(own, data);
    assertEquals(stock.score(), own.score(), 1e-6 * Math.abs(stock.score()));
    for (String key : expected.gradientForVariable().keySet()) {
      INDArray g = expected.getGradientFor(key);
      assertTrue(g.amaxNumber().doubleValue() > 0, key + " gradient is non-zero");
      assertClose(key + " gradient", g, actual.getGradientFor(key));
    }
    assertClose("flat gradient", stock.gradient().gradient(), own.gradient().gradient());
    if (OneDnnConvolution.available()) {
      assertEquals(1, first.weightOnlyPasses(), "layer 0 took the weights-only path");
    }
    assertTrue(first.reuses() > 0, "layer 0 still reuses its ReLU output");

    for (int step = 0; step < 2; step++) {
      DataSet b = batch(2, 100 + step);
      stock.fit(b);
      own.fit(b);
    }
    assertClose("parameters after 2 Adam steps", stock.params(), own.params());
  }

  @Test
  void layerZeroGivesNoInputGradientOnTheWeightsOnlyPathAndTheStockOneWhenOff() {
    MultiLayerNetwork own = network(SPEC, true);
    own.initGradientsView();
    INDArray x = batch(2, 3).getFeatures();
    Pair<INDArray, INDArray> on = backpropLayerZero(own, x);
    if (OneDnnConvolution.available()) {
      assertNull(on.getSecond(), "no input gradient");
    }
    FirstLayerConvolution3DLayer.setEnabled(false);
    Pair<INDArray, INDArray> off = backpropLayerZero(own, x);
    assertNotNull(off.getSecond(), "stock backprop: input gradient");
    assertTrue(on.getFirst().amaxNumber().doubleValue() > 0, "non-zero gradient");
    assertClose("layer 0 gradient, path on vs off", off.getFirst(), on.getFirst());
  }

  /** Layer 0's backprop of a fixed output gradient: (its flat parameter gradient, its input gradient). */
  private static Pair<INDArray, INDArray> backpropLayerZero(MultiLayerNetwork net, INDArray x) {
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    Layer layer = net.getLayer(0);
    layer.setInput(net.getLayerWiseConfigurations().getInputPreProcess(0).preProcess(x, (int) x.size(0), noWs), noWs);
    INDArray out = layer.activate(true, noWs);
    Nd4j.getRandom().setSeed(17);
    INDArray eps = Nd4j.randn(DataType.FLOAT, out.shape());
    Pair<Gradient, INDArray> p = layer.backpropGradient(eps, noWs);
    INDArray flat = Nd4j.concat(0, p.getFirst().getGradientFor("b").reshape(-1),
        p.getFirst().getGradientFor("W").reshape(-1));
    return new Pair<>(flat.dup(), p.getSecond() == null ? null : p.getSecond().dup());
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void keepsStockGradientsWhenTheOpenMpThreadCountChanges() {
    // DL4J's Spark workers set their own OpenMP thread count (a primitive made for another count hung one in
    // TrainCnnCommandTest; this shape does not reproduce that hang, it checks the per-count primitives).
    CnnSpec spec = CnnSpec.of(new int[] {4, 24, 32, 32}, 1e-3, 42);
    MultiLayerNetwork stock = network(spec, false);
    MultiLayerNetwork own = network(spec, true);
    DataSet data = batch(spec, 2, 9);
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = ops.ompGetMaxThreads();
    try {
      ops.setOmpNumThreads(Math.max(2, before));
      gradient(own, data);
      ops.setOmpNumThreads(1);
      assertClose("gradient with 1 thread", gradient(stock, data).gradient(), gradient(own, data).gradient());
    } finally {
      ops.setOmpNumThreads(before);
    }
  }

  /**
   * Two Spark workers in one executor train at once on their own threads; layer 0's gradients must be exactly
   * those each computes alone (a shared oneDNN primitive once let them corrupt each other now and then).
   */
  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void concurrentWorkersGetTheGradientsEachComputesAlone() throws Exception {
    CnnSpec spec = CnnSpec.of(new int[] {4, 16, 24, 24}, 1e-3, 42);
    MultiLayerNetwork[] nets = {network(spec, true), network(spec, true)};
    DataSet[] data = {batch(spec, 2, 11), batch(spec, 2, 12)};
    INDArray[] alone = new INDArray[2];
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = ops.ompGetMaxThreads();
    try {
      ops.setOmpNumThreads(1);
      for (int w = 0; w < 2; w++) {
        alone[w] = gradient(nets[w], data[w]).gradient().dup();
      }
    } finally {
      ops.setOmpNumThreads(before);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> mismatches = new java.util.ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int worker = w;
        mismatches.add(pool.submit(() -> {
          ops.setOmpNumThreads(1); // as WorkerThreads does on each worker's task thread
          int bad = 0;
          for (int i = 0; i < 25; i++) {
            if (!alone[worker].equals(gradient(nets[worker], data[worker]).gradient())) {
              bad++;
            }
          }
          return bad;
        }));
      }
      for (int w = 0; w < 2; w++) {
        assertEquals(0, mismatches.get(w).get(), "worker " + w + ": concurrent gradients that differ from its own alone");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onlyLayerZeroTakesTheWeightsOnlyPath() {
    MultiLayerConfiguration conf = GliomaCnn.configuration(SPEC);
    MultiLayerConfiguration stockConf = GliomaCnn.configuration(SPEC, false);
    // The same class at layer 2 must compute its input gradient: layer 1 needs it.
    conf.getConf(2).setLayer(new FirstLayerConvolution3D.Builder().kernelSize(3, 3, 3).stride(1, 1, 1)
        .padding(1, 1, 1).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate)
        .dataFormat(org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC).nIn(8).nOut(16)
        .activation(org.nd4j.linalg.activations.Activation.RELU)
        .weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU).build());
    MultiLayerNetwork own = new MultiLayerNetwork(conf);
    own.init();
    MultiLayerNetwork stock = new MultiLayerNetwork(stockConf);
    stock.init();
    own.setParams(stock.params());
    DataSet data = batch(2, 5);
    assertClose("gradient", gradient(stock, data).gradient(), gradient(own, data).gradient());
    assertEquals(0, ((FirstLayerConvolution3DLayer) own.getLayer(2)).weightOnlyPasses(), "layer 2: stock backprop");
  }

  @Test
  void configurationSurvivesJsonAndModelSerializer() throws Exception {
    for (CnnLayout layout : CnnLayout.values()) {
      MultiLayerConfiguration conf = GliomaCnn.configuration(SPEC.withLayout(layout));
      MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
      assertEquals(conf, back, layout.toString());
      assertEquals(FirstLayerConvolution3D.class, back.getConf(0).getLayer().getClass());
      assertEquals(FirstLayerConvolution3D.class, back.getConf(0).getLayer().clone().getClass());
      assertEquals(ReluReuseConvolution3D.class, back.getConf(2).getLayer().getClass());
      MultiLayerNetwork net = new MultiLayerNetwork(back);
      net.init();
      fitOnce(net, 2, 1);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ModelSerializer.writeModel(net, bytes, true);
      MultiLayerNetwork restored =
          ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
      assertInstanceOf(FirstLayerConvolution3DLayer.class, restored.getLayer(0));
      assertClose("restored parameters", net.params(), restored.params());
      fitOnce(restored, 2, 2);
    }
    assertTrue(!new FirstLayerConvolution3D.Builder().nIn(1).nOut(1).build()
        .equals(new ReluReuseConvolution3D.Builder().nIn(1).nOut(1).build()), "distinct from the reusing class");
  }

  private static MultiLayerNetwork network(CnnSpec spec, boolean own) {
    MultiLayerNetwork net = new MultiLayerNetwork(GliomaCnn.configuration(spec, own));
    net.init();
    return net;
  }

  private static Gradient gradient(MultiLayerNetwork net, DataSet data) {
    net.setInput(data.getFeatures());
    net.setLabels(data.getLabels());
    net.computeGradientAndScore();
    return net.gradient();
  }

  private static void fitOnce(MultiLayerNetwork net, int n, long seed) {
    net.fit(batch(n, seed));
  }

  private static DataSet batch(int n, long seed) {
    return batch(SPEC, n, seed);
  }

  private static DataSet batch(CnnSpec spec, int n, long seed) {
    return CnnBatches.alternating(spec, n, seed);
  }

  /** max |a - b| <= REL * max |b| (and the same shape). */
  private static void assertClose(String what, INDArray expected, INDArray actual) {
    assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-30);
    double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(diff <= REL * scale, what + ": max |diff| " + diff + " vs max |expected| " + scale);
  }
}
