package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class GliomaCnnTest {
  private static final CnnSpec SMALL = CnnSpec.of(new int[] {4, 8, 12, 16}, 1e-3, 42);

  @Test
  void hasTheStudysLayersInOrder() {
    MultiLayerConfiguration conf = GliomaCnn.configuration(SMALL);
    assertEquals(6, conf.getConfs().size());
    assertInstanceOf(ChannelsLastPreProcessor.class, conf.getInputPreProcess(0), "NDHWC by default");
    Convolution3D c1 = (Convolution3D) conf.getConf(0).getLayer();
    assertEquals(Convolution3D.DataFormat.NDHWC, c1.getDataFormat());
    assertEquals(Convolution3D.DataFormat.NDHWC, ((Subsampling3DLayer) conf.getConf(3).getLayer()).getDataFormat());
    assertEquals(4, c1.getNIn());
    assertEquals(8, c1.getNOut());
    assertArrayEquals(new int[] {3, 3, 3}, c1.getKernelSize());
    assertArrayEquals(new int[] {1, 1, 1}, c1.getPadding());
    assertInstanceOf(Subsampling3DLayer.class, conf.getConf(1).getLayer());
    assertEquals(16, ((Convolution3D) conf.getConf(2).getLayer()).getNOut());
    DenseLayer dense = (DenseLayer) conf.getConf(4).getLayer();
    assertEquals(16L * 2 * 3 * 4, dense.getNIn(), "two 2x poolings: 8x12x16 -> 2x3x4, 16 channels");
    assertEquals(128, dense.getNOut());
    assertEquals(1, ((OutputLayer) conf.getConf(5).getLayer()).getNOut());
  }

  @Test
  void takesFlatExamplesAndGivesOneProbabilityEach() {
    MultiLayerNetwork net = GliomaCnn.network(SMALL);
    assertEquals(GliomaCnn.parameterCount(SMALL), net.numParams());
    INDArray x = Nd4j.rand(3, SMALL.featureLength());
    INDArray out = net.output(x);
    assertArrayEquals(new long[] {3, 1}, out.shape());
    for (int i = 0; i < 3; i++) {
      double p = out.getDouble(i, 0);
      assertTrue(p > 0 && p < 1, "sigmoid output " + p);
    }
  }

  @Test
  void flatLayoutIsTheVolumesTablesCOrderOverCdhwInBothLayouts() {
    // A single bright voxel at (c=2, d=5, h=7, w=9) must reach conv1 at that position: the
    // preprocessor reads the C-order layout ingest writes.
    int c = 2, d = 5, h = 7, w = 9;
    INDArray x = Nd4j.zeros(1, SMALL.featureLength());
    x.putScalar(0, (((long) c * SMALL.depth() + d) * SMALL.height() + h) * SMALL.width() + w, 1.0);
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

    INDArray ndhwc = GliomaCnn.configuration(SMALL).getInputPreProcess(0).preProcess(x, 1, noWs);
    assertArrayEquals(new long[] {1, 8, 12, 16, 4}, ndhwc.shape());
    assertEquals(1.0, ndhwc.getDouble(0, d, h, w, c));
    assertEquals(1.0, ndhwc.sumNumber().doubleValue());

    CnnSpec first = SMALL.withLayout(CnnLayout.NCDHW);
    ChannelsFirstPreProcessor pre = (ChannelsFirstPreProcessor) GliomaCnn.configuration(first).getInputPreProcess(0);
    INDArray ncdhw = pre.preProcess(x, 1, noWs);
    assertArrayEquals(new long[] {1, 4, 8, 12, 16}, ncdhw.shape());
    assertEquals(1.0, ncdhw.getDouble(0, c, d, h, w));
    assertEquals(1.0, ncdhw.sumNumber().doubleValue());
  }

  @Test
  void bothLayoutsComputeTheSameNetworkAndTrainingStep() {
    // Same weights (the dense layer's rows reordered from C,D,H,W to D,H,W,C flattening): same output, and
    // after one Adam step on the same batch, the same parameters again.
    CnnSpec spec = CnnSpec.of(new int[] {3, 8, 8, 12}, 1e-2, 11);
    MultiLayerNetwork first = new MultiLayerNetwork(GliomaCnn.configuration(spec.withLayout(CnnLayout.NCDHW)));
    first.init();
    MultiLayerNetwork last = new MultiLayerNetwork(GliomaCnn.configuration(spec.withLayout(CnnLayout.NDHWC)));
    last.init();
    copyWithDenseRowsToChannelsLast(first, last, 16, spec.depth() / 4, spec.height() / 4, spec.width() / 4);

    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(4, spec.featureLength());
    INDArray y = Nd4j.createFromArray(new float[] {1, 0, 1, 0}).reshape(4, 1);
    INDArray outFirst = first.output(x);
    assertTrue(outFirst.equalsWithEps(last.output(x), 1e-5), outFirst + " vs " + last.output(x));
    assertTrue(outFirst.std(0).getDouble(0) > 1e-4, "outputs differ between examples: " + outFirst);

    first.fit(new DataSet(x, y));
    last.fit(new DataSet(x, y));
    for (int layer = 0; layer < 6; layer++) {
      if (first.getLayer(layer).numParams() == 0 || layer == 4) {
        continue;
      }
      INDArray a = first.getLayer(layer).params();
      INDArray b = last.getLayer(layer).params();
      assertTrue(a.equalsWithEps(b, 1e-4), "layer " + layer + " after one step");
    }
    INDArray denseFirst = first.getLayer(4).getParam("W");
    INDArray denseLast = last.getLayer(4).getParam("W");
    assertTrue(channelsLastRows(denseFirst, 16, spec.depth() / 4, spec.height() / 4, spec.width() / 4)
        .equalsWithEps(denseLast, 1e-4), "dense weights after one step");
    assertTrue(outFirst.sub(first.output(x)).norm2Number().doubleValue() > 1e-5, "the step changed the network");
  }

  /** Copies every parameter, reordering the dense layer's rows from C,D,H,W flattening to D,H,W,C. */
  private static void copyWithDenseRowsToChannelsLast(MultiLayerNetwork from, MultiLayerNetwork to, int c, int d,
      int h, int w) {
    for (int layer = 0; layer < 6; layer++) {
      for (var e : from.getLayer(layer).paramTable().entrySet()) {
        INDArray value = layer == 4 && e.getKey().equals("W") ? channelsLastRows(e.getValue(), c, d, h, w) : e.getValue();
        to.getLayer(layer).setParam(e.getKey(), value.dup());
      }
    }
  }

  private static INDArray channelsLastRows(INDArray rowsCdhw, int c, int d, int h, int w) {
    long out = rowsCdhw.size(1);
    return rowsCdhw.reshape('c', c, d, h, w, out).permute(1, 2, 3, 0, 4).dup('c').reshape('c', (long) c * d * h * w, out);
  }

  @Test
  void learnsToSeparateTwoEasyClasses() {
    CnnSpec spec = CnnSpec.of(new int[] {1, 4, 4, 4}, 1e-2, 7);
    MultiLayerNetwork net = GliomaCnn.network(spec);
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(16, spec.featureLength()).muli(0.1);
    INDArray y = Nd4j.zeros(16, 1);
    for (int i = 0; i < 8; i++) {
      x.getRow(i).addi(1.0);
      y.putScalar(i, 0, 1.0);
    }
    DataSet ds = new DataSet(x, y);
    double before = net.score(ds);
    for (int i = 0; i < 30; i++) {
      net.fit(ds);
    }
    double after = net.score(ds);
    assertTrue(after < before / 2, "loss " + before + " -> " + after);
  }

  @Test
  void rejectsShapesThatCannotBePooledTwice() {
    assertThrows(IllegalArgumentException.class, () -> CnnSpec.of(new int[] {4, 3, 8, 8}, 1e-3, 1));
    assertThrows(IllegalArgumentException.class, () -> CnnSpec.of(new int[] {8, 8, 8}, 1e-3, 1));
  }

  @Test
  void studyShapeHasAbout48MillionParameters() {
    CnnSpec study = CnnSpec.of(CnnSpec.STUDY_SHAPE, CnnSpec.STUDY_LEARNING_RATE, 1);
    // 16 x 23 x 32 x 32 flattened into the dense layer dominates.
    assertEquals(16L * 23 * 32 * 32 * 128 + 128 + 27 * 4 * 8 + 8 + 27 * 8 * 16 + 16 + 129, GliomaCnn.parameterCount(study));
  }
}
