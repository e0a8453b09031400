package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reusing Convolution3D gives the stock layer's gradients and training trajectory, in the study's
 * MultiLayerNetwork (GliomaCnn) and ComputationGraph with skip merges (UNet), and survives serialisation.
 */
class ReluReuseConvolution3DTest {
  private static final double REL = 1e-6;
  private static final CnnSpec CNN = CnnSpec.of(new int[] {3, 8, 12, 16}, 1e-3, 42);
  private static final SegSpec SEG =
      SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {2, 8, 8, 12}, 4, 2, SegLoss.DICE_BCE, 1e-3, 7, CnnLayout.NCDHW);

  @AfterEach
  void reEnable() {
    OneDnn.setEnabled(true);
  }

  @Test
  void multiLayerNetworkGradientsAndAdamStepsEqualStock() {
    MultiLayerNetwork stock = new MultiLayerNetwork(GliomaCnn.configuration(CNN, false));
    stock.init();
    MultiLayerNetwork reuse = new MultiLayerNetwork(GliomaCnn.configuration(CNN, true));
    reuse.init();
    assertEquals(Convolution3DLayer.class, stock.getLayer(0).getClass());
    assertInstanceOf(ReluReuseConvolution3DLayer.class, reuse.getLayer(0));
    assertInstanceOf(ReluReuseConvolution3DLayer.class, reuse.getLayer(2));
    assertClose("initial parameters", stock.params(), reuse.params());

    DataSet data = cnnBatch(4, 11);
    stock.setInput(data.getFeatures());
    stock.setLabels(data.getLabels());
    stock.computeGradientAndScore();
    reuse.setInput(data.getFeatures());
    reuse.setLabels(data.getLabels());
    reuse.computeGradientAndScore();
    assertEquals(stock.score(), reuse.score(), 1e-6 * Math.abs(stock.score()));
    assertClose("gradient", stock.gradient().gradient(), reuse.gradient().gradient());
    assertTrue(layer(reuse.getLayer(0)).reuses() > 0, "conv 1 reused its forward output");
    assertTrue(layer(reuse.getLayer(2)).reuses() > 0, "conv 2 reused its forward output");

    for (int step = 0; step < 3; step++) {
      DataSet b = cnnBatch(4, 100 + step);
      stock.fit(b);
      reuse.fit(b);
    }
    assertClose("parameters after 3 Adam steps", stock.params(), reuse.params());
    assertFalse(layer(reuse.getLayer(0)).holdsOutput(), "nothing kept after fit");
    assertFalse(layer(reuse.getLayer(2)).holdsOutput(), "nothing kept after fit");

    // Inference keeps nothing and gives the stock output.
    INDArray x = cnnBatch(2, 5).getFeatures();
    assertClose("output", stock.output(x), reuse.output(x));
    assertFalse(layer(reuse.getLayer(0)).holdsOutput(), "nothing kept after inference");
  }

  @Test
  void computationGraphWithSkipMergesGradientsAndAdamStepsEqualStock() {
    // The U-Net's own convolutions where oneDNN is not loaded: DL4J's computation with the ReLU output reused.
    OneDnn.setEnabled(false);
    ComputationGraph stock = new ComputationGraph(UNet.configuration(SEG, false));
    stock.init();
    ComputationGraph reuse = new ComputationGraph(UNet.configuration(SEG, true));
    reuse.init();
    List<ReluReuseConvolution3DLayer> reusing = new ArrayList<>();
    for (Layer l : reuse.getLayers()) {
      if (l instanceof ReluReuseConvolution3DLayer r && r.reusable()) {
        reusing.add(r);
      }
    }
    assertEquals(2 * (2 * SEG.levels() + 1), reusing.size(), "every ReLU convolution");
    assertEquals(Convolution3DLayer.class, stock.getLayer("logits").getClass());
    assertClose("initial parameters", stock.params(), reuse.params());

    DataSet data = segBatch(2, 21);
    stock.setInputs(data.getFeatures());
    stock.setLabels(data.getLabels());
    stock.computeGradientAndScore();
    reuse.setInputs(data.getFeatures());
    reuse.setLabels(data.getLabels());
    reuse.computeGradientAndScore();
    assertEquals(stock.score(), reuse.score(), 1e-6 * Math.abs(stock.score()));
    assertClose("gradient", stock.gradient().gradient(), reuse.gradient().gradient());
    for (ReluReuseConvolution3DLayer r : reusing) {
      assertTrue(r.reuses() > 0, r.conf().getLayer().getLayerName() + " reused its forward output");
    }

    for (int step = 0; step < 3; step++) {
      DataSet b = segBatch(2, 200 + step);
      stock.fit(b);
      reuse.fit(b);
    }
    assertClose("parameters after 3 Adam steps", stock.params(), reuse.params());
    for (ReluReuseConvolution3DLayer r : reusing) {
      assertFalse(r.holdsOutput(), r.conf().getLayer().getLayerName() + " keeps nothing after fit");
    }
    INDArray x = segBatch(1, 9).getFeatures();
    assertClose("output", stock.outputSingle(x), reuse.outputSingle(x));
    for (ReluReuseConvolution3DLayer r : reusing) {
      assertFalse(r.holdsOutput(), r.conf().getLayer().getLayerName() + " keeps nothing after inference");
    }
  }

  @Test
  void otherActivationsFallBackToTheStockComputation() {
    MultiLayerConfiguration conf = GliomaCnn.configuration(CNN, true);
    MultiLayerConfiguration stockConf = GliomaCnn.configuration(CNN, false);
    for (MultiLayerConfiguration c : List.of(conf, stockConf)) {
      ((Convolution3D) c.getConf(0).getLayer()).setActivationFn(Activation.TANH.getActivationFunction());
    }
    MultiLayerNetwork stock = new MultiLayerNetwork(stockConf);
    stock.init();
    MultiLayerNetwork reuse = new MultiLayerNetwork(conf);
    reuse.init();
    DataSet data = cnnBatch(3, 4);
    for (MultiLayerNetwork n : List.of(stock, reuse)) {
      n.setInput(data.getFeatures());
      n.setLabels(data.getLabels());
      n.computeGradientAndScore();
    }
    assertClose("gradient", stock.gradient().gradient(), reuse.gradient().gradient());
    assertEquals(0, layer(reuse.getLayer(0)).reuses(), "tanh: recomputed");
    assertTrue(layer(reuse.getLayer(2)).reuses() > 0, "relu: reused");
  }

  @Test
  void theStudysNetworksReuse() {
    assertInstanceOf(ReluReuseConvolution3D.class,
        ((LayerVertex) UNet.configuration(SEG).getVertices().get("dec1a")).getLayerConf().getLayer());
    // The CNN's layer 0 is the reusing subclass that also skips the input gradient.
    assertEquals(FirstLayerConvolution3D.class, GliomaCnn.configuration(CNN).getConf(0).getLayer().getClass());
    assertEquals(ReluReuseConvolution3D.class, GliomaCnn.configuration(CNN).getConf(2).getLayer().getClass());
  }

  @Test
  void layerClassSurvivesJsonAndModelSerializer() throws Exception {
    MultiLayerConfiguration conf = GliomaCnn.configuration(CNN, true);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    assertEquals(ReluReuseConvolution3D.class, back.getConf(2).getLayer().getClass());
    assertEquals(ReluReuseConvolution3D.class, back.getConf(2).getLayer().clone().getClass());
    assertFalse(conf.equals(GliomaCnn.configuration(CNN, false)), "stock and reusing configurations differ");

    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.fit(cnnBatch(2, 1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    MultiLayerNetwork restored =
        ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    assertInstanceOf(ReluReuseConvolution3DLayer.class, restored.getLayer(0));
    assertClose("restored parameters", net.params(), restored.params());
    restored.fit(cnnBatch(2, 2));

    ComputationGraphConfiguration g = UNet.configuration(SEG, true);
    ComputationGraphConfiguration gBack = ComputationGraphConfiguration.fromJson(g.toJson());
    assertEquals(g, gBack);
    assertEquals(OneDnnConvolution3D.class,
        ((LayerVertex) gBack.getVertices().get("enc0a")).getLayerConf().getLayer().getClass());
    assertEquals(OneDnnConvolution3D.class,
        ((LayerVertex) gBack.getVertices().get("logits")).getLayerConf().getLayer().getClass());
    ComputationGraph graph = new ComputationGraph(g);
    graph.init();
    bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(graph, bytes, true);
    ComputationGraph gRestored =
        ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    assertInstanceOf(OneDnnConvolution3DLayer.class, gRestored.getLayer("dec0b"));
  }

  private static ReluReuseConvolution3DLayer layer(Layer l) {
    return (ReluReuseConvolution3DLayer) l;
  }

  private static DataSet cnnBatch(int n, long seed) {
    return CnnBatches.alternating(CNN, n, seed);
  }

  private static DataSet segBatch(int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.randn(DataType.FLOAT, n, SEG.featureLength());
    INDArray y = Nd4j.rand(DataType.FLOAT, n, SEG.labelLength()).gt(0.8).castTo(DataType.FLOAT);
    return new DataSet(x, y);
  }

  /** max |a - b| <= REL * max |b| (and the same shape). */
  private static void assertClose(String what, INDArray expected, INDArray actual) {
    assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + " shape");
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-30);
    double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(diff <= REL * scale, what + ": max |diff| " + diff + " vs max |expected| " + scale);
  }
}
