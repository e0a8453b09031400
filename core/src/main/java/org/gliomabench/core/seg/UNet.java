package org.gliomabench.core.seg;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.gliomabench.core.model.ReluReuseConvolution3D;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The segmentation U-Net as a DL4J ComputationGraph, 3D (volumes) or 2D (axial slices), one topology:
 * per level two convolutions (k3, same, ReLU) with base * 2^level filters, 2x max pooling down; a
 * bottleneck of two convolutions; up the same levels by 2x upsampling, concatenation ({@link ChannelMergeVertex}, DL4J's MergeVertex, along
 * channels) with the level's encoder output and two convolutions; a 1x1 convolution to 3 logits (WT, TC,
 * ET) and a sigmoid loss layer with {@link SoftDiceLoss}.
 *
 * <p>Features and labels are flat rows ([N, C*D*H*W] and [N, 3*D*H*W], C-order over the padded grid):
 * DL4J's {@code DataSet.merge} (Spark minibatch assembly) rejects rank-5 arrays. The input preprocessor
 * reshapes to NCDHW (NCHW in 2D); the output preprocessor flattens NCDHW back in C order, so output index
 * {@code c*DHW + d*HW + h*W + w} is region c at voxel (d, h, w), exactly as the labels are laid out.
 */
public final class UNet {
  private UNet() {}

  public static final String INPUT = "in";
  public static final String OUTPUT = "loss";
  /** The bottleneck's last convolution: where a {@link Head} reads the encoder's features. */
  public static final String BOTTLENECK = "bottom_b";
  /** The segmentation logits flattened as the labels are laid out, when a {@link Head} is added. */
  public static final String FLAT_LOGITS = "logits_flat";

  /**
   * A second head sharing the U-Net's loss layer (the multi-task arm's grade head): it adds its vertices, reading
   * {@link #BOTTLENECK} and {@link #FLAT_LOGITS}, and names the vertex the loss layer reads (with the sigmoid) and
   * the loss it applies there.
   */
  public interface Head {
    Output add(ComputationGraphConfiguration.GraphBuilder graph);
  }

  /** What a {@link Head} hands the loss layer. */
  public record Output(String vertex, ILossFunction loss) {}

  /**
   * Initial bias of the three logits: sigmoid(-2) = 0.12, near the tumour's share of a crop, so training
   * starts from "mostly background" instead of spending its first epochs pushing every voxel down from 0.5.
   */
  static final double LOGIT_BIAS = -2.0;

  /**
   * The study's configuration: the 3D ReLU convolutions are {@link ReluReuseConvolution3D} (same results as
   * DL4J's Convolution3D; backprop does not recompute the forward convolution: 2.38 s vs 2.74 s median per
   * step at 4x96x128x128 batch 1, 8 filters, 2 levels).
   */
  public static ComputationGraphConfiguration configuration(SegSpec spec) {
    return configuration(spec, true);
  }

  /**
   * The configuration with the 3D ReLU convolutions as {@link ReluReuseConvolution3D} (backprop reuses the
   * forward output instead of recomputing the convolution; same parameters and results) or, with
   * {@code reuseReluOutput} false, as DL4J's stock {@link Convolution3D}. The 1x1x1 logits convolution and
   * the 2D network are stock either way.
   */
  public static ComputationGraphConfiguration configuration(SegSpec spec, boolean reuseReluOutput) {
    return configuration(spec, reuseReluOutput, null);
  }

  /** The configuration with {@code head} (null: none) added before the loss layer. */
  public static ComputationGraphConfiguration configuration(SegSpec spec, boolean reuseReluOutput, Head head) {
    int d = spec.paddedDepth();
    int h = spec.paddedHeight();
    int w = spec.paddedWidth();
    boolean three = spec.is3d();
    ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .updater(new Adam(spec.learningRate()))
        .weightInit(WeightInit.RELU)
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .graphBuilder()
        .addInputs(INPUT)
        .setInputTypes(InputType.feedForward(spec.featureLength()));
    InputPreProcessor toGrid = three
        ? new FeedForwardToCnn3DPreProcessor(d, h, w, spec.channels(), true)
        : new FeedForwardToCnnPreProcessor(h, w, spec.channels());
    String previous = INPUT;
    String[] skips = new String[spec.levels()];
    for (int l = 0; l < spec.levels(); l++) {
      int f = spec.baseFilters() << l;
      if (l == 0) {
        g.addLayer("enc0a", conv(three, reuseReluOutput, f, 3), toGrid, previous);
      } else {
        g.addLayer("enc" + l + "a", conv(three, reuseReluOutput, f, 3), previous);
      }
      g.addLayer("enc" + l + "b", conv(three, reuseReluOutput, f, 3), "enc" + l + "a");
      skips[l] = "enc" + l + "b";
      g.addLayer("pool" + l, pool(three), skips[l]);
      previous = "pool" + l;
    }
    int fb = spec.baseFilters() << spec.levels();
    g.addLayer("bottom_a", conv(three, reuseReluOutput, fb, 3), previous);
    g.addLayer(BOTTLENECK, conv(three, reuseReluOutput, fb, 3), "bottom_a");
    previous = BOTTLENECK;
    for (int l = spec.levels() - 1; l >= 0; l--) {
      int f = spec.baseFilters() << l;
      g.addLayer("up" + l, upsample(three), previous);
      g.addVertex("merge" + l, new ChannelMergeVertex(), "up" + l, skips[l]);
      g.addLayer("dec" + l + "a", conv(three, reuseReluOutput, f, 3), "merge" + l);
      g.addLayer("dec" + l + "b", conv(three, reuseReluOutput, f, 3), "dec" + l + "a");
      previous = "dec" + l + "b";
    }
    Layer logits = three
        ? new Convolution3D.Builder().kernelSize(1, 1, 1).stride(1, 1, 1).convolutionMode(ConvolutionMode.Truncate)
            .dataFormat(Convolution3D.DataFormat.NCDHW).nOut(SegSpec.REGIONS).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER).biasInit(LOGIT_BIAS).build()
        : new ConvolutionLayer.Builder().kernelSize(1, 1).stride(1, 1).convolutionMode(ConvolutionMode.Truncate)
            .dataFormat(CNN2DFormat.NCHW).nOut(SegSpec.REGIONS).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER).biasInit(LOGIT_BIAS).build();
    g.addLayer("logits", logits, previous);
    InputPreProcessor flat = three
        ? new Cnn3DToFeedForwardPreProcessor(d, h, w, SegSpec.REGIONS, true)
        : new CnnToFeedForwardPreProcessor(h, w, SegSpec.REGIONS);
    if (head == null) {
      g.addLayer(OUTPUT, new LossLayer.Builder(spec.loss().function()).activation(Activation.SIGMOID).build(), flat,
          "logits");
    } else {
      g.addVertex(FLAT_LOGITS, new PreprocessorVertex(flat), "logits");
      Output out = head.add(g);
      g.addLayer(OUTPUT, new LossLayer.Builder(out.loss()).activation(Activation.SIGMOID).build(), out.vertex());
    }
    g.setOutputs(OUTPUT);
    return g.build();
  }

  /** A freshly initialised network. */
  public static ComputationGraph network(SegSpec spec) {
    ComputationGraph net = new ComputationGraph(configuration(spec));
    net.init();
    return net;
  }

  private static Layer conv(boolean three, boolean reuseReluOutput, int filters, int k) {
    if (three) {
      Convolution3D.Builder b = reuseReluOutput ? new ReluReuseConvolution3D.Builder() : new Convolution3D.Builder();
      return b.kernelSize(k, k, k).stride(1, 1, 1).padding(k / 2, k / 2, k / 2)
          .convolutionMode(ConvolutionMode.Truncate).dataFormat(Convolution3D.DataFormat.NCDHW)
          .nOut(filters).activation(Activation.RELU).build();
    }
    return new ConvolutionLayer.Builder().kernelSize(k, k).stride(1, 1).padding(k / 2, k / 2)
        .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW)
        .nOut(filters).activation(Activation.RELU).build();
  }

  private static Layer pool(boolean three) {
    if (three) {
      return new Subsampling3DLayer.Builder(PoolingType.MAX).kernelSize(2, 2, 2).stride(2, 2, 2)
          .convolutionMode(ConvolutionMode.Truncate).dataFormat(Convolution3D.DataFormat.NCDHW).build();
    }
    return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
        .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW).build();
  }

  private static Layer upsample(boolean three) {
    return three ? new Upsampling3D.Builder(Convolution3D.DataFormat.NCDHW, 2).build()
        : new Upsampling2D.Builder(2).dataFormat(CNN2DFormat.NCHW).build();
  }
}
