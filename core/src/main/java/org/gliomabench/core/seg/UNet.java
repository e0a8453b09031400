package org.gliomabench.core.seg;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
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
import org.gliomabench.core.model.ChannelsFirstPreProcessor;
import org.gliomabench.core.model.ChannelsLastPreProcessor;
import org.gliomabench.core.model.ChannelsLastToRowsPreProcessor;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.OneDnnConvolution3D;
import org.gliomabench.core.model.OneDnnSubsampling3D;
import org.gliomabench.core.model.OneDnnUpsampling3D;
import org.gliomabench.core.model.OnePassLossLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The segmentation U-Net as a DL4J ComputationGraph, 3D (volumes) or 2D (axial slices), one topology:
 * per level two convolutions (k3, same, ReLU) with base * 2^level filters, 2x max pooling down; a
 * bottleneck of two convolutions ({@code bottom_a}, {@code bottom_b}); up the same levels by 2x nearest upsampling,
 * concatenation ({@link ChannelMergeVertex}, along channels) with the level's encoder output and two convolutions; a
 * 1x1 convolution to 3 logits (WT, TC, ET; {@code logits}) and a sigmoid loss layer with {@link SoftDiceLoss}.
 *
 * <p>Features and labels are flat rows ([N, C*D*H*W] and [N, 3*D*H*W], C-order over the padded grid, channel
 * first): DL4J's {@code DataSet.merge} (Spark minibatch assembly) rejects rank-5 arrays. The input preprocessor
 * turns them into the spec's layout ({@link SegSpec#layout()}: [N, D, H, W, C] in NDHWC, the default, or
 * [N, C, D, H, W]); the output preprocessor turns the logits back into channel-first rows, so output index
 * {@code c*DHW + d*HW + h*W + w} is region c at voxel (d, h, w), exactly as the labels are laid out. Activations
 * between layers, {@code bottom_b}'s included, are in the spec's layout.
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
   * the loss it applies there. {@link #BOTTLENECK}'s activations are in the network's layout: pool them over
   * {@link #spatialAxes}.
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
   * The study's configuration: {@link #configuration(SegSpec, boolean)} with the project's own layers, in the
   * spec's layout.
   */
  public static ComputationGraphConfiguration configuration(SegSpec spec) {
    return configuration(spec, true);
  }

  /**
   * The configuration in the spec's layout, with the project's own layers or DL4J's stock ones (same parameters,
   * same results; a test holds them to each other).
   *
   * <p>Own layers: every convolution an {@link OneDnnConvolution3D} (oneDNN directly: bias and ReLU fused, no
   * reorders, the first one computing no input gradient), max pooling and upsampling through oneDNN
   * ({@link OneDnnSubsampling3D}, {@link OneDnnUpsampling3D}), the loss evaluated once per step
   * ({@link OnePassLossLayer}), and in NDHWC the project's preprocessors between the flat rows and the channels-last
   * activations ({@link ChannelsLastPreProcessor}, {@link ChannelsLastToRowsPreProcessor}). The 2D network is the
   * same layers on volumes of depth 1 (kernels 1 x 3 x 3, pooling and upsampling 1 x 2 x 2), whose parameters are
   * laid out as DL4J's 2D kernels. Stock: DL4J's Convolution3D, pooling, upsampling and LossLayer and, in NCDHW, its
   * preprocessors (the 3D network as it was before the own layers); for 2D, DL4J's 2D layers in NCHW.
   */
  public static ComputationGraphConfiguration configuration(SegSpec spec, boolean ownLayers) {
    return configuration(spec, ownLayers, null);
  }

  /** The configuration with {@code head} (null: none) added before the loss layer. */
  public static ComputationGraphConfiguration configuration(SegSpec spec, boolean ownLayers, Head head) {
    int d = spec.paddedDepth();
    int h = spec.paddedHeight();
    int w = spec.paddedWidth();
    boolean volumes = volumes(spec, ownLayers);
    boolean last = volumes && spec.layout() == CnnLayout.NDHWC;
    Convolution3D.DataFormat format = spec.layout().dataFormat();
    ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .updater(new Adam(spec.learningRate()))
        .weightInit(WeightInit.RELU)
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .graphBuilder()
        .addInputs(INPUT)
        .setInputTypes(InputType.feedForward(spec.featureLength()));
    InputPreProcessor toGrid;
    if (!volumes) {
      toGrid = new FeedForwardToCnnPreProcessor(h, w, spec.channels());
    } else if (last) {
      toGrid = new ChannelsLastPreProcessor(d, h, w, spec.channels());
    } else {
      toGrid = ownLayers ? new ChannelsFirstPreProcessor(d, h, w, spec.channels())
          : new FeedForwardToCnn3DPreProcessor(d, h, w, spec.channels(), true);
    }
    Layers layers = new Layers(volumes, spec.is3d() ? 2 : 1, ownLayers, format);
    String previous = INPUT;
    String[] skips = new String[spec.levels()];
    for (int l = 0; l < spec.levels(); l++) {
      int f = spec.baseFilters() << l;
      if (l == 0) {
        g.addLayer("enc0a", layers.conv(f, 3, false), toGrid, previous);
      } else {
        g.addLayer("enc" + l + "a", layers.conv(f, 3, true), previous);
      }
      g.addLayer("enc" + l + "b", layers.conv(f, 3, true), "enc" + l + "a");
      skips[l] = "enc" + l + "b";
      g.addLayer("pool" + l, layers.pool(), skips[l]);
      previous = "pool" + l;
    }
    int fb = spec.baseFilters() << spec.levels();
    g.addLayer("bottom_a", layers.conv(fb, 3, true), previous);
    g.addLayer(BOTTLENECK, layers.conv(fb, 3, true), "bottom_a");
    previous = BOTTLENECK;
    for (int l = spec.levels() - 1; l >= 0; l--) {
      int f = spec.baseFilters() << l;
      g.addLayer("up" + l, layers.upsample(), previous);
      ChannelMergeVertex merge = new ChannelMergeVertex();
      merge.setMergeAxis(last ? 4 : 1);
      g.addVertex("merge" + l, merge, "up" + l, skips[l]);
      g.addLayer("dec" + l + "a", layers.conv(f, 3, true), "merge" + l);
      g.addLayer("dec" + l + "b", layers.conv(f, 3, true), "dec" + l + "a");
      previous = "dec" + l + "b";
    }
    g.addLayer("logits", layers.logits(), previous);
    InputPreProcessor flat;
    if (!volumes) {
      flat = new CnnToFeedForwardPreProcessor(h, w, SegSpec.REGIONS);
    } else if (last) {
      flat = new ChannelsLastToRowsPreProcessor(d, h, w, SegSpec.REGIONS);
    } else {
      flat = new Cnn3DToFeedForwardPreProcessor(d, h, w, SegSpec.REGIONS, true);
    }
    if (head == null) {
      g.addLayer(OUTPUT, lossLayer(spec.loss().function(), ownLayers), flat, "logits");
    } else {
      g.addVertex(FLAT_LOGITS, new PreprocessorVertex(flat), "logits");
      Output out = head.add(g);
      g.addLayer(OUTPUT, lossLayer(out.loss(), ownLayers), out.vertex());
    }
    g.setOutputs(OUTPUT);
    return g.build();
  }

  /**
   * The spatial axes of the activations between the layers of {@link #configuration(SegSpec, boolean, Head)}, the
   * ones a global pooling of {@link #BOTTLENECK} averages over: {1, 2, 3} of [N, D, H, W, C] (NDHWC), {2, 3, 4} of
   * [N, C, D, H, W] (NCDHW; the 2D network of own layers has D = 1 either way), {2, 3} of DL4J's stock 2D network's
   * [N, C, H, W]. DL4J's GlobalPoolingLayer assumes channels first unless told these.
   */
  public static int[] spatialAxes(SegSpec spec, boolean ownLayers) {
    if (!volumes(spec, ownLayers)) {
      return new int[] {2, 3};
    }
    return spec.layout() == CnnLayout.NDHWC ? new int[] {1, 2, 3} : new int[] {2, 3, 4};
  }

  /** Whether the network's activations are volumes: the own layers are 3D ones, the 2D network them at depth 1. */
  private static boolean volumes(SegSpec spec, boolean ownLayers) {
    return spec.is3d() || ownLayers;
  }

  /** The loss layer: evaluating {@code loss} once per step with the own layers, DL4J's otherwise. */
  private static Layer lossLayer(ILossFunction loss, boolean ownLayers) {
    LossLayer.Builder b = ownLayers ? new OnePassLossLayer.Builder(loss) : new LossLayer.Builder(loss);
    return b.activation(Activation.SIGMOID).build();
  }

  /**
   * The layout a U-Net configuration runs its 3D activations in: the spec's for one this class built, and for a
   * checkpoint's its own, whatever {@code seg.layout} says now (parameters are laid out the same in both, so a
   * checkpoint of either layout restores as the network it was). NCDHW for DL4J's stock 2D network.
   */
  public static CnnLayout layout(ComputationGraphConfiguration conf) {
    GraphVertex first = conf.getVertices().get("enc0a");
    return first instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof Convolution3D c
        && c.getDataFormat() == Convolution3D.DataFormat.NDHWC ? CnnLayout.NDHWC : CnnLayout.NCDHW;
  }

  /** A freshly initialised network. */
  public static ComputationGraph network(SegSpec spec) {
    ComputationGraph net = new ComputationGraph(configuration(spec));
    net.init();
    return net;
  }

  /**
   * The layers of one configuration: DL4J's 2D ones (the stock 2D network), or 3D ones, the project's own or
   * DL4J's, in one layout, whose depth axis is pooled and upsampled by {@code depthScale} (1 for the 2D network run
   * as volumes of depth 1, whose kernels are then 1 x k x k: the same parameters, laid out as DL4J's 2D kernels).
   */
  private record Layers(boolean volumes, int depthScale, boolean own, Convolution3D.DataFormat format) {
    /** A k x k (x k) ReLU convolution, same padding; {@code inputGradient} false for the one fed by the input. */
    Layer conv(int filters, int k, boolean inputGradient) {
      if (!volumes) {
        return new ConvolutionLayer.Builder().kernelSize(k, k).stride(1, 1).padding(k / 2, k / 2)
            .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW)
            .nOut(filters).activation(Activation.RELU).build();
      }
      int kd = depthScale == 1 ? 1 : k;
      return conv3d(inputGradient).kernelSize(kd, k, k).stride(1, 1, 1).padding(kd / 2, k / 2, k / 2)
          .convolutionMode(ConvolutionMode.Truncate).dataFormat(format).nOut(filters).activation(Activation.RELU)
          .build();
    }

    /** The 1x1(x1) convolution to the three regions' logits. */
    Layer logits() {
      if (!volumes) {
        return new ConvolutionLayer.Builder().kernelSize(1, 1).stride(1, 1).convolutionMode(ConvolutionMode.Truncate)
            .dataFormat(CNN2DFormat.NCHW).nOut(SegSpec.REGIONS).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER).biasInit(LOGIT_BIAS).build();
      }
      return conv3d(true).kernelSize(1, 1, 1).stride(1, 1, 1).convolutionMode(ConvolutionMode.Truncate)
          .dataFormat(format).nOut(SegSpec.REGIONS).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
          .biasInit(LOGIT_BIAS).build();
    }

    private Convolution3D.Builder conv3d(boolean inputGradient) {
      return own ? new OneDnnConvolution3D.Builder().inputGradient(inputGradient) : new Convolution3D.Builder();
    }

    Layer pool() {
      if (!volumes) {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
            .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW).build();
      }
      Subsampling3DLayer.Builder b = own ? new OneDnnSubsampling3D.Builder(PoolingType.MAX)
          : new Subsampling3DLayer.Builder(PoolingType.MAX);
      return b.kernelSize(depthScale, 2, 2).stride(depthScale, 2, 2).convolutionMode(ConvolutionMode.Truncate)
          .dataFormat(format).build();
    }

    Layer upsample() {
      if (!volumes) {
        return new Upsampling2D.Builder(2).dataFormat(CNN2DFormat.NCHW).build();
      }
      Upsampling3D.Builder b = own ? new OneDnnUpsampling3D.Builder(format, 2) : new Upsampling3D.Builder(format, 2);
      return b.size(new int[] {depthScale, 2, 2}).build();
    }
  }
}
