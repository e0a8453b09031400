package org.gliomabench.core.multitask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.metrics.RocAuc;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.seg.LossGradients;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegPhantoms;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.core.seg.UNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class MultiTaskUNetTest {

  @Test
  void jointLossGradientMatchesFiniteDifferencesWithAndWithoutMasks() {
    Random rnd = new Random(5);
    MultiTaskLoss loss = new MultiTaskLoss(SegLoss.DICE_BCE, 0.7);
    int n = 3;
    int len = 3 * 5 + 1;
    INDArray[] zy = LossGradients.randomLogitsAndLabels(rnd, n, len);
    INDArray z = zy[0];
    INDArray y = zy[1];
    INDArray mask = Nd4j.create(new double[] {1, 0.5, 0}, new long[] {n, 1}, DataType.DOUBLE);
    for (INDArray m : new INDArray[] {null, mask}) {
      LossGradients.assertMatchesFiniteDifferences(loss, y, z, m, MultiTaskUNetTest::reference, "mask " + m);
      INDArray g = loss.computeGradient(y, z.dup(), new ActivationSigmoid(), m);
      assertEquals(List.of((long) n, (long) len), List.of(g.size(0), g.size(1)));
      var both = loss.computeGradientAndScore(y, z.dup(), new ActivationSigmoid(), m, true);
      assertEquals(loss.computeScore(y, z.dup(), new ActivationSigmoid(), m, true), both.getFirst(), 1e-9);
      assertEquals(g, both.getSecond());
    }
    // The grade column adds exactly weight x its cross-entropy to the segmentation loss of the other columns.
    INDArray seg = z.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, len - 1));
    INDArray segY = y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, len - 1));
    double p = 1 / (1 + Math.exp(-z.getDouble(1, len - 1)));
    assertEquals(SegLoss.DICE_BCE.function().computeScoreArray(segY, seg.dup(), new ActivationSigmoid(), null).getDouble(1)
            + 0.7 * MultiTaskLoss.crossEntropy(p, y.getDouble(1, len - 1)),
        loss.computeScoreArray(y, z.dup(), new ActivationSigmoid(), null).getDouble(1), 1e-9);
    // Validation scores the same from the sigmoid outputs.
    float[] pf = new ActivationSigmoid().getActivation(z.dup(), false).reshape(n * len).toFloatVector();
    float[] yf = y.reshape(n * len).toFloatVector();
    assertEquals(loss.computeScoreArray(y, z.dup(), new ActivationSigmoid(), null).getDouble(2),
        loss.scoreProbabilities(pf, yf, 2 * len, len), 1e-5);
    assertThrows(IllegalArgumentException.class, () -> loss.computeGradient(y, z, new ActivationReLU(), null));
    assertThrows(IllegalArgumentException.class, () -> new MultiTaskLoss(SegLoss.DICE, -1));
  }

  /** The joint loss of one example in double precision: the soft Dice + BCE formula, then 0.7 x the grade's BCE. */
  private static double reference(double[] z, double[] y) {
    int seg = z.length - 1;
    double p = 1 / (1 + Math.exp(-z[seg]));
    return LossGradients.softDice(SegLoss.DICE_BCE.function(), java.util.Arrays.copyOf(z, seg),
        java.util.Arrays.copyOf(y, seg)) + 0.7 * MultiTaskLoss.crossEntropy(p, y[seg]);
  }

  @Test
  void theNetworkIsTheUNetWithAGradeHeadAndSurvivesJson() {
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 6, 10, 12}, 4, 2, SegLoss.DICE, 1e-3, 1);
    ComputationGraphConfiguration conf = MultiTaskUNet.configuration(spec, 0.5);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    LayerVertex out = (LayerVertex) back.getVertices().get(UNet.OUTPUT);
    assertEquals(new MultiTaskLoss(SegLoss.DICE, 0.5), ((LossLayer) out.getLayerConf().getLayer()).getLossFn());
    assertEquals(List.of(MultiTaskUNet.JOINT), back.getVertexInputs().get(UNet.OUTPUT));
    assertEquals(List.of(UNet.BOTTLENECK), back.getVertexInputs().get(MultiTaskUNet.GRADE_POOL));

    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    ComputationGraph unet = UNet.network(spec);
    // The dense layer on the bottleneck's 4 << 2 = 16 channels: 16 weights and a bias.
    assertEquals(unet.numParams() + 16 + 1, net.numParams(), "the U-Net's parameters plus the head's");
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, spec.featureLength());
    INDArray p = net.outputSingle(x);
    assertEquals(List.of(2L, (long) MultiTaskUNet.outputLength(spec)), List.of(p.size(0), p.size(1)));
    assertTrue(p.minNumber().doubleValue() >= 0 && p.maxNumber().doubleValue() <= 1, "sigmoid outputs");
  }

  /**
   * The grade head averages the bottleneck over its spatial axes in either layout (channels last by default, the 2D
   * network as volumes of depth 1): on the same parameters the NDHWC and NCDHW networks give the same outputs,
   * grade included, and the same gradients.
   */
  @ParameterizedTest
  @EnumSource(SegSpec.Dimensions.class)
  void theGradeHeadPoolsTheBottleneckAlikeInBothLayouts(SegSpec.Dimensions dims) {
    int[] shape = {4, 6, 10, 12};
    SegSpec last = SegSpec.of(dims, shape, 4, 2, SegLoss.DICE_BCE, 1e-3, 3, CnnLayout.NDHWC);
    SegSpec first = SegSpec.of(dims, shape, 4, 2, SegLoss.DICE_BCE, 1e-3, 3, CnnLayout.NCDHW);
    ComputationGraph a = MultiTaskUNet.network(last, 0.5);
    ComputationGraph b = MultiTaskUNet.network(first, 0.5);
    assertEquals(CnnLayout.NDHWC, UNet.layout(a.getConfiguration()));
    assertEquals(CnnLayout.NCDHW, UNet.layout(b.getConfiguration()));
    b.setParams(a.params().dup());
    Nd4j.getRandom().setSeed(8);
    int ll = MultiTaskUNet.outputLength(last);
    INDArray x = Nd4j.randn(DataType.FLOAT, 2, last.featureLength());
    INDArray y = Nd4j.rand(DataType.FLOAT, 2, ll).lt(0.3).castTo(DataType.FLOAT);
    INDArray pa = a.outputSingle(x);
    INDArray pb = b.outputSingle(x);
    assertEquals(pb.getDouble(1, ll - 1), pa.getDouble(1, ll - 1), 1e-5, "P(HGG)");
    assertTrue(pa.equalsWithEps(pb, 1e-5), "outputs");
    a.setInput(0, x);
    a.setLabel(0, y);
    a.computeGradientAndScore();
    b.setInput(0, x);
    b.setLabel(0, y);
    b.computeGradientAndScore();
    for (String key : List.of(MultiTaskUNet.GRADE + "_W", MultiTaskUNet.GRADE + "_b", UNet.BOTTLENECK + "_W")) {
      INDArray ga = a.gradient().getGradientFor(key);
      INDArray gb = b.gradient().getGradientFor(key);
      double scale = Math.max(1e-6, gb.amaxNumber().doubleValue());
      assertTrue(ga.reshape(gb.shape()).sub(gb).amaxNumber().doubleValue() <= 1e-3 * scale, key + " gradient");
    }
  }

  @Test
  void learnsToSegmentAndToGradePhantomsAndSurvivesSerialisation() throws Exception {
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {4, 8, 16, 16}, 8, 2, SegLoss.DICE_BCE, 3e-3, 21);
    Random rnd = new Random(spec.seed());
    int ll = MultiTaskUNet.outputLength(spec);
    List<float[][]> examples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      boolean hgg = i % 2 == 0;
      SegPhantoms.Phantom p = SegPhantoms.make(rnd, spec.depth(), spec.height(), spec.width(), hgg);
      float[] f = new float[spec.featureLength()];
      float[] l = new float[ll];
      SegTensors.features(p.tensor(), spec, -1, f, 0);
      SegTensors.labels(p.mask(), spec, -1, l, 0);
      l[ll - 1] = hgg ? 1 : 0;
      examples.add(new float[][] {f, l});
    }
    ComputationGraph net = MultiTaskUNet.network(spec, 1.0);
    double[] untrained = score(net, spec);
    int batch = 4;
    for (int it = 0; it < 50; it++) {
      float[] f = new float[batch * spec.featureLength()];
      float[] l = new float[batch * ll];
      for (int b = 0; b < batch; b++) {
        // Half HGG, half LGG in every batch, as the arm's balanced minibatches.
        float[][] ex = examples.get(2 * rnd.nextInt(4) + b % 2);
        System.arraycopy(ex[0], 0, f, b * spec.featureLength(), spec.featureLength());
        System.arraycopy(ex[1], 0, l, b * ll, ll);
      }
      net.fit(new DataSet(Nd4j.create(f, new long[] {batch, spec.featureLength()}, 'c'),
          Nd4j.create(l, new long[] {batch, ll}, 'c')));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    double[] trained = score(restored, spec);
    assertTrue(untrained[0] < 0.05, "an untrained U-Net predicts no tumour: " + untrained[0]);
    assertTrue(trained[0] > 0.7, "whole-tumour Dice on unseen phantoms: " + trained[0]);
    // An untrained head answers about 0.5 for every phantom (its random features may already rank them).
    assertTrue(trained[1] >= 0.9, "grade AUC on unseen phantoms (enhancing shell or not): " + trained[1]);
    assertTrue(untrained[2] > 0.65 && trained[2] < 0.45, "the grade's cross-entropy on unseen phantoms falls: "
        + untrained[2] + " -> " + trained[2]);
    assertTrue(untrained[3] < 0.05 && trained[3] > 0.3, "mean P(HGG) of HGG minus LGG phantoms: " + untrained[3]
        + " -> " + trained[3]);
  }

  /**
   * On 8 unseen phantoms (4 of each grade): mean WT Dice, the grade's AUC, its mean cross-entropy and the mean P(HGG) of the HGG phantoms less that of the LGG ones.
   */
  private static double[] score(ComputationGraph net, SegSpec spec) {
    Random r = new Random(4321);
    int ll = spec.labelLength();
    double dice = 0;
    int[] labels = new int[8];
    double[] grades = new double[8];
    for (int i = 0; i < 8; i++) {
      labels[i] = i % 2;
      SegPhantoms.Phantom p = SegPhantoms.make(r, spec.depth(), spec.height(), spec.width(), labels[i] == 1);
      float[] f = new float[spec.featureLength()];
      SegTensors.features(p.tensor(), spec, -1, f, 0);
      float[] out = net.outputSingle(Nd4j.create(f, new long[] {1, spec.featureLength()}, 'c')).reshape(ll + 1)
          .toFloatVector();
      byte[] bits = new byte[p.mask().length];
      SegTensors.toBits(out, 0, spec, -1, bits);
      dice += MaskMetrics.dice(Regions.region(bits, Regions.WT), Regions.region(Regions.bitsOf(p.mask()), Regions.WT));
      grades[i] = out[ll];
    }
    double bce = 0;
    double sep = 0;
    for (int i = 0; i < 8; i++) {
      bce += MultiTaskLoss.crossEntropy(grades[i], labels[i]) / 8;
      sep += (labels[i] == 1 ? 1 : -1) * grades[i] / 4;
    }
    return new double[] {dice / 8, RocAuc.auc(labels, grades), bce, sep};
  }

  @Test
  void epochRecordsRoundTripAndTheCriteriaKeepTheRightEpoch() {
    MultiTaskEpoch a = new MultiTaskEpoch(1, 3, 0.9, 0.8, 0.5, 0.3, 0.75, 0.9, 0.8, 0.6, Double.NaN, 12.5, 3.2, 40);
    assertEquals(a, MultiTaskEpoch.fromLine(a.toLine()));
    MultiTaskEpoch b = new MultiTaskEpoch(1, 4, 0.8, 0.7, 0.45, 0.25, 0.75, 0.85, 0.82, 0.6, 0.1, 12.0, 3.3, 40);
    assertTrue(MultiTaskEpoch.Criterion.VAL_LOSS.improves(b, a), "lower joint loss");
    assertTrue(!MultiTaskEpoch.Criterion.VAL_AUC.improves(b, a), "lower AUC");
    assertTrue(MultiTaskEpoch.Criterion.VAL_DICE_WT.improves(b, a), "higher WT Dice");
    assertEquals(MultiTaskEpoch.Criterion.VAL_DICE_WT, MultiTaskEpoch.Criterion.parse(" VAL_DICE_WT"));
    assertThrows(IllegalArgumentException.class, () -> MultiTaskEpoch.Criterion.parse("val_accuracy"));
    assertThrows(IllegalArgumentException.class, () -> MultiTaskEpoch.fromLine("1,2,3"));
  }
}
