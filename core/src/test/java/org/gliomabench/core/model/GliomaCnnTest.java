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
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class GliomaCnnTest {
  private static final CnnSpec SMALL = new CnnSpec(4, 8, 12, 16, 1e-3, 42);

  @Test
  void hasTheStudysLayersInOrder() {
    MultiLayerConfiguration conf = GliomaCnn.configuration(SMALL);
    assertEquals(6, conf.getConfs().size());
    assertInstanceOf(FeedForwardToCnn3DPreProcessor.class, conf.getInputPreProcess(0));
    Convolution3D c1 = (Convolution3D) conf.getConf(0).getLayer();
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
  void flatLayoutIsTheVolumesTablesCOrderOverCdhw() {
    // A single bright voxel at (c=2, d=5, h=7, w=9) must reach conv1 at that position: the
    // preprocessor's reshape is the C-order layout ingest writes.
    CnnSpec spec = SMALL;
    INDArray x = Nd4j.zeros(1, spec.featureLength());
    int c = 2, d = 5, h = 7, w = 9;
    long flat = (((long) c * spec.depth() + d) * spec.height() + h) * spec.width() + w;
    x.putScalar(0, flat, 1.0);
    FeedForwardToCnn3DPreProcessor pre = (FeedForwardToCnn3DPreProcessor) GliomaCnn.configuration(spec).getInputPreProcess(0);
    INDArray vol = pre.preProcess(x, 1, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    assertArrayEquals(new long[] {1, 4, 8, 12, 16}, vol.shape());
    assertEquals(1.0, vol.getDouble(0, c, d, h, w));
    assertEquals(1.0, vol.sumNumber().doubleValue());
  }

  @Test
  void learnsToSeparateTwoEasyClasses() {
    CnnSpec spec = new CnnSpec(1, 4, 4, 4, 1e-2, 7);
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
    assertThrows(IllegalArgumentException.class, () -> new CnnSpec(4, 3, 8, 8, 1e-3, 1));
    assertThrows(IllegalArgumentException.class, () -> CnnSpec.of(new int[] {8, 8, 8}, 1e-3, 1));
  }

  @Test
  void studyShapeHasAbout48MillionParameters() {
    CnnSpec study = CnnSpec.of(CnnSpec.STUDY_SHAPE, CnnSpec.STUDY_LEARNING_RATE, 1);
    // 16 x 23 x 32 x 32 flattened into the dense layer dominates.
    assertEquals(16L * 23 * 32 * 32 * 128 + 128 + 27 * 4 * 8 + 8 + 27 * 8 * 16 + 16 + 129, GliomaCnn.parameterCount(study));
  }
}
