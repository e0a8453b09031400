package org.gliomabench.core.multitask;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.nd4j.linalg.activations.Activation;

/**
 * The multi-task network: the segmentation {@link UNet} of {@code spec} (3D or 2D, the same layers) with a grade
 * head on its bottleneck: global average pooling of the bottleneck's features (over the spatial axes of the U-Net's
 * layout, {@link UNet#spatialAxes}), a dense layer to one logit, the sigmoid of the U-Net's loss layer. The output
 * row is the U-Net's flat region outputs ({@link SegSpec#labelLength()} values, laid out as its labels) followed by
 * P(HGG); the loss is {@link MultiTaskLoss}.
 */
public final class MultiTaskUNet {
  private MultiTaskUNet() {}

  static final String GRADE_POOL = "grade_pool";
  static final String GRADE = "grade";
  static final String JOINT = "seg_and_grade";

  public static ComputationGraphConfiguration configuration(SegSpec spec, double gradeWeight) {
    return UNet.configuration(spec, true, g -> {
      // The bottleneck's activations are in the spec's layout: average over its spatial axes, not DL4J's default
      // (channels first), which in NDHWC would average over H, W and the channels.
      g.addLayer(GRADE_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG)
          .poolingDimensions(UNet.spatialAxes(spec, true)).build(), UNet.BOTTLENECK);
      g.addLayer(GRADE, new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
          .build(), GRADE_POOL);
      g.addVertex(JOINT, new MergeVertex(), UNet.FLAT_LOGITS, GRADE);
      return new UNet.Output(JOINT, new MultiTaskLoss(spec.loss(), gradeWeight));
    });
  }

  /** A freshly initialised network. */
  public static ComputationGraph network(SegSpec spec, double gradeWeight) {
    ComputationGraph net = new ComputationGraph(configuration(spec, gradeWeight));
    net.init();
    return net;
  }

  /** One example's output (and label) row: the segmentation's values, then the grade. */
  public static int outputLength(SegSpec spec) {
    return spec.labelLength() + 1;
  }
}
