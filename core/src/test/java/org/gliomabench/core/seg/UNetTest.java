package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.model.ChannelsLastPreProcessor;
import org.gliomabench.core.model.ChannelsLastToRowsPreProcessor;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.OnePassLossLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class UNetTest {

  @Test
  void softDiceScoreAndGradientMatchTheDoublePrecisionFormulaAndItsFiniteDifferences() {
    Random rnd = new Random(3);
    for (SegLoss kind : SegLoss.values()) {
      SoftDiceLoss loss = kind.function();
      int n = 2;
      int len = 3 * 7;
      INDArray[] zy = LossGradients.randomLogitsAndLabels(rnd, n, len);
      INDArray zf = zy[0].castTo(DataType.FLOAT);
      INDArray yf = zy[1].castTo(DataType.FLOAT);
      LossGradients.assertMatchesFiniteDifferences(loss, yf, zf, null, (z, y) -> LossGradients.softDice(loss, z, y),
          kind.toString());
      INDArray scores = loss.computeScoreArray(yf, zf.dup(), new ActivationSigmoid(), null);
      // The score from logits equals the one validation computes from probabilities.
      INDArray p = new ActivationSigmoid().getActivation(zf.dup(), false);
      float[] pf = p.reshape(n * len).toFloatVector();
      float[] yv = yf.reshape(n * len).toFloatVector();
      assertEquals(scores.getDouble(1), loss.scoreProbabilities(pf, yv, len, len), 1e-5, kind + " score from probabilities");
    }
  }

  @Test
  void softDiceGivesTheSameOnStridedCopiesMasksAndDoubleArrays() {
    SoftDiceLoss loss = SegLoss.DICE_BCE.function();
    Nd4j.getRandom().setSeed(5);
    INDArray z = Nd4j.randn(DataType.FLOAT, 3, 3 * 40).muli(2);
    INDArray y = Nd4j.rand(DataType.FLOAT, 3, 3 * 40).lt(0.3).castTo(DataType.FLOAT);
    INDArray g = loss.computeGradient(y, z, new ActivationSigmoid(), null);
    INDArray s = loss.computeScoreArray(y, z, new ActivationSigmoid(), null);
    // Strided views (not dense: the passes work on copies) and DOUBLE arrays give the same.
    INDArray zs = Nd4j.create(DataType.FLOAT, 3 * 40, 3).transpose();
    zs.assign(z);
    INDArray ys = Nd4j.create(DataType.FLOAT, 3 * 40, 3).transpose();
    ys.assign(y);
    assertEquals(g, loss.computeGradient(ys, zs, new ActivationSigmoid(), null));
    assertEquals(s, loss.computeScoreArray(ys, zs, new ActivationSigmoid(), null));
    INDArray gd = loss.computeGradient(y.castTo(DataType.DOUBLE), z.castTo(DataType.DOUBLE), new ActivationSigmoid(), null);
    assertEquals(DataType.DOUBLE, gd.dataType());
    assertTrue(g.castTo(DataType.DOUBLE).equalsWithEps(gd, 1e-7));
    // A per-example mask weights each example's score and gradient.
    INDArray mask = Nd4j.createFromArray(new float[] {1f, 0f, 0.5f}).reshape(3, 1);
    INDArray gm = loss.computeGradient(y, z, new ActivationSigmoid(), mask);
    INDArray sm = loss.computeScoreArray(y, z, new ActivationSigmoid(), mask);
    for (int e = 0; e < 3; e++) {
      double w = mask.getDouble(e);
      assertEquals(w * s.getDouble(e), sm.getDouble(e), 1e-6);
      assertTrue(g.getRow(e).mul(w).equalsWithEps(gm.getRow(e), 1e-7), "masked gradient of example " + e);
    }
    assertEquals(s.sumNumber().doubleValue() / 3, loss.computeScore(y, z, new ActivationSigmoid(), null, true), 1e-6);
  }

  /** The loss of one example in double precision, straight from its definition (the test's reference). */
  @Test
  void lossRefusesOtherActivationsAndSurvivesJson() {
    SoftDiceLoss loss = SegLoss.DICE_BCE.function();
    INDArray z = Nd4j.zeros(DataType.FLOAT, 1, 6);
    assertThrows(IllegalArgumentException.class, () -> loss.computeGradient(z, z, new ActivationReLU(), null));
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 6, 10, 12}, 4, 2, SegLoss.DICE, 1e-3, 1);
    ComputationGraphConfiguration conf = UNet.configuration(spec);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    // Equality would not tell a plain MergeVertex from ours: check the classes survive the JSON.
    assertEquals(ChannelMergeVertex.class, back.getVertices().get("merge0").getClass());
    org.deeplearning4j.nn.conf.graph.LayerVertex out = (org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get(UNet.OUTPUT);
    assertEquals(OnePassLossLayer.class, out.getLayerConf().getLayer().getClass());
    assertEquals(SegLoss.DICE.function(), ((org.deeplearning4j.nn.conf.layers.LossLayer) out.getLayerConf().getLayer()).getLossFn());
    // The study's layout, channels last, all the way from the first preprocessor to the last.
    assertEquals(CnnLayout.NDHWC, spec.layout());
    assertEquals(ChannelsLastPreProcessor.class,
        ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("enc0a")).getPreProcessor().getClass());
    assertEquals(ChannelsLastToRowsPreProcessor.class,
        ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get(UNet.OUTPUT)).getPreProcessor().getClass());
    assertEquals(4, ((ChannelMergeVertex) back.getVertices().get("merge1")).getMergeAxis());
    assertEquals(8, spec.paddedDepth());
    assertEquals(12, spec.paddedHeight());
    assertEquals(12, spec.paddedWidth());
  }

  /**
   * A checkpoint train-seg wrote before the U-Net went channels-last (commit 677b43a: NCDHW, DL4J's layers with the
   * ReLU-reusing convolution; src/test/resources/seg, with an input and that network's output on it) restores as the
   * network it was, trains on, and its parameters give the channels-last network the same output.
   */
  @Test
  void aChannelsFirstCheckpointRestoresAsItWasAndItsParametersGiveTheChannelsLastNetworkItsOutput() throws Exception {
    ComputationGraph old;
    try (java.io.InputStream in = UNetTest.class.getResourceAsStream("/seg/unet-ncdhw-checkpoint.zip")) {
      old = ModelSerializer.restoreComputationGraph(in, true);
    }
    float[][] io = new float[2][];
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        UNetTest.class.getResourceAsStream("/seg/unet-ncdhw-checkpoint-io.bin"))) {
      for (int i = 0; i < 2; i++) {
        io[i] = new float[in.readInt()];
        for (int j = 0; j < io[i].length; j++) {
          io[i][j] = in.readFloat();
        }
      }
    }
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {3, 5, 7, 6}, 4, 2, SegLoss.DICE_BCE, 1e-3, 7);
    INDArray x = Nd4j.create(io[0], new long[] {1, spec.featureLength()}, 'c');
    INDArray expected = Nd4j.create(io[1], new long[] {1, spec.labelLength()}, 'c');
    assertEquals(CnnLayout.NCDHW, UNet.layout(old.getConfiguration()));
    assertTrue(old.outputSingle(x).equalsWithEps(expected, 1e-6), "restored as it was");

    ComputationGraph now = UNet.network(spec);
    assertEquals(CnnLayout.NDHWC, UNet.layout(now.getConfiguration()));
    assertEquals(old.numParams(), now.numParams());
    now.setParams(old.params());
    INDArray out = now.outputSingle(x);
    double diff = out.sub(expected).amaxNumber().doubleValue();
    assertTrue(diff < 1e-5, "channels-last network on the checkpoint's parameters: max difference " + diff);

    Nd4j.getRandom().setSeed(3);
    old.fit(new DataSet(Nd4j.randn(DataType.FLOAT, 2, spec.featureLength()),
        Nd4j.rand(DataType.FLOAT, 2, spec.labelLength()).lt(0.3).castTo(DataType.FLOAT)));
    assertTrue(Double.isFinite(old.score()) && old.score() > 0, "the restored network trains on: " + old.score());
  }

  @Test
  void theThreeDimensionalUNetLearnsPhantomsAndSurvivesSerialisation() throws Exception {
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 8, 16, 16}, 8, 2, SegLoss.DICE_BCE, 3e-3, 11);
    double dice = trainAndScore(spec, 40);
    assertTrue(dice > 0.8, "3D U-Net whole-tumour Dice on unseen phantoms: " + dice);
  }

  @Test
  void theTwoDimensionalUNetLearnsPhantomsFromAxialSlices() throws Exception {
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.TWO_D, new int[] {4, 6, 16, 16}, 8, 2, SegLoss.DICE_BCE, 3e-3, 12);
    // DL4J's 2D convolutions are several times slower per step than its 3D ones at these tiny sizes, so the
    // 2D check trains less and asks for less (an untrained U-Net scores 0, asserted in trainAndScore).
    double dice = trainAndScore(spec, 30);
    assertTrue(dice > 0.6, "2D U-Net whole-tumour Dice on unseen phantoms: " + dice);
  }

  /** Trains on 8 phantoms for {@code iterations} minibatches, returns the mean WT Dice on 4 unseen ones. */
  private static double trainAndScore(SegSpec spec, int iterations) throws Exception {
    Random rnd = new Random(spec.seed());
    List<SegPhantoms.Phantom> train = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      train.add(SegPhantoms.make(rnd, spec.depth(), spec.height(), spec.width()));
    }
    ComputationGraph net = UNet.network(spec);
    double untrained = meanWtDice(net, spec, rnd, 0);
    int per = spec.examplesPerPatient();
    int batch = spec.is3d() ? 4 : 8;
    List<float[][]> examples = new ArrayList<>();
    for (SegPhantoms.Phantom p : train) {
      for (int s = 0; s < per; s++) {
        float[] f = new float[spec.featureLength()];
        float[] l = new float[spec.labelLength()];
        SegTensors.features(p.tensor(), spec, s, f, 0);
        SegTensors.labels(p.mask(), spec, s, l, 0);
        examples.add(new float[][] {f, l});
      }
    }
    for (int it = 0; it < iterations; it++) {
      float[] f = new float[batch * spec.featureLength()];
      float[] l = new float[batch * spec.labelLength()];
      for (int b = 0; b < batch; b++) {
        float[][] ex = examples.get(rnd.nextInt(examples.size()));
        System.arraycopy(ex[0], 0, f, b * spec.featureLength(), spec.featureLength());
        System.arraycopy(ex[1], 0, l, b * spec.labelLength(), spec.labelLength());
      }
      net.fit(new DataSet(Nd4j.create(f, new long[] {batch, spec.featureLength()}, 'c'),
          Nd4j.create(l, new long[] {batch, spec.labelLength()}, 'c')));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    double trained = meanWtDice(restored, spec, new Random(99), 0);
    assertTrue(untrained < 0.05, "an untrained U-Net (logit bias -2) predicts no tumour: " + untrained);
    return trained;
  }

  private static double meanWtDice(ComputationGraph net, SegSpec spec, Random rnd, int region) {
    double sum = 0;
    int n = 4;
    Random r = new Random(1234);
    for (int i = 0; i < n; i++) {
      SegPhantoms.Phantom p = SegPhantoms.make(r, spec.depth(), spec.height(), spec.width());
      int per = spec.examplesPerPatient();
      float[] f = new float[per * spec.featureLength()];
      for (int s = 0; s < per; s++) {
        SegTensors.features(p.tensor(), spec, s, f, s * spec.featureLength());
      }
      float[] out = net.outputSingle(Nd4j.create(f, new long[] {per, spec.featureLength()}, 'c')).reshape(per * spec.labelLength())
          .toFloatVector();
      byte[] bits = new byte[p.mask().length];
      for (int s = 0; s < per; s++) {
        SegTensors.toBits(out, s * spec.labelLength(), spec, s, bits);
      }
      sum += MaskMetrics.dice(Regions.region(bits, region), Regions.region(Regions.bitsOf(p.mask()), region));
    }
    return sum / n;
  }
}
