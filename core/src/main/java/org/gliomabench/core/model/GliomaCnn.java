package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The study's 3D CNN, defined once for the training job, the tests and the benchmarks:
 * conv3d 8 (k3, s1, p1, ReLU) -> maxpool 2 -> conv3d 16 (k3, s1, p1, ReLU) -> maxpool 2 -> dense 128 ReLU
 * -> 1 sigmoid, binary cross-entropy, Adam.
 *
 * <p>Examples are flat rows [N, C*D*H*W] (the volumes table's C-order tensor as is) and layer 0's
 * preprocessor turns them into the spec's {@link CnnLayout}: {@link ChannelsLastPreProcessor} for NDHWC (the
 * default, faster on CPU), {@link ChannelsFirstPreProcessor} for NCDHW. DL4J's
 * {@code DataSet.merge} (used by Spark training to assemble minibatches) rejects rank-5 features, so the data
 * path stays rank 2.
 */
public final class GliomaCnn {
  private GliomaCnn() {}

  /**
   * The study's configuration: {@link #configuration(CnnSpec, boolean)} with the project's convolutions, which
   * halve a CPU training step at the study's shape (4x95x128x128, batch 2, 2 cores, oneDNN build: NDHWC
   * 0.97 s to 0.47 s mean, NCDHW 1.17 s to 0.78 s), mostly by not computing layer 0's input gradient.
   */
  public static MultiLayerConfiguration configuration(CnnSpec spec) {
    return configuration(spec, true);
  }

  /**
   * The configuration with the project's convolutions (same parameters and results as the stock ones):
   * layer 0 a {@link FirstLayerConvolution3D} (backprop computes no input gradient, and reuses the ReLU output)
   * with a preprocessor that passes the missing gradient on ({@link ChannelsLastPreProcessor} or
   * {@link ChannelsFirstPreProcessor}), layer 2 a {@link ReluReuseConvolution3D}; or, with {@code ownConvolutions}
   * false, DL4J's stock {@link Convolution3D} and, for NCDHW, its {@link FeedForwardToCnn3DPreProcessor}.
   */
  public static MultiLayerConfiguration configuration(CnnSpec spec, boolean ownConvolutions) {
    Convolution3D.DataFormat format = spec.layout().dataFormat();
    boolean ncdhw = spec.layout() == CnnLayout.NCDHW;
    return new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .updater(new Adam(spec.learningRate()))
        .weightInit(WeightInit.RELU)
        // Workspaces keep the large 3D activations out of the Java heap's churn.
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .list()
        .inputPreProcessor(0, inputPreProcessor(spec, ownConvolutions))
        .layer(conv(8, ownConvolutions ? new FirstLayerConvolution3D.Builder() : new Convolution3D.Builder(), format))
        .layer(maxPool(format))
        .layer(conv(16, ownConvolutions ? new ReluReuseConvolution3D.Builder() : new Convolution3D.Builder(), format))
        .layer(maxPool(format))
        // Explicit, with the layout: the automatic one assumes NDHWC whatever the pooling's format.
        .inputPreProcessor(4, new Cnn3DToFeedForwardPreProcessor(spec.depth() / 4, spec.height() / 4,
            spec.width() / 4, 16, ncdhw))
        .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
            .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build())
        .setInputType(InputType.feedForward(spec.featureLength()))
        .build();
  }

  /** A freshly initialised network. */
  public static MultiLayerNetwork network(CnnSpec spec) {
    MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
    net.init();
    return net;
  }

  /** Parameters of the network for a spec, computed from the architecture (for memory estimates and tests). */
  public static long parameterCount(CnnSpec spec) {
    long c = spec.channels();
    long conv1 = 27 * c * 8 + 8;
    long conv2 = 27 * 8 * 16 + 16;
    long flat = 16L * (spec.depth() / 2 / 2) * (spec.height() / 2 / 2) * (spec.width() / 2 / 2);
    return conv1 + conv2 + flat * 128 + 128 + 128 + 1;
  }

  private static InputPreProcessor inputPreProcessor(CnnSpec spec, boolean ownConvolutions) {
    if (spec.layout() == CnnLayout.NDHWC) {
      return new ChannelsLastPreProcessor(spec.depth(), spec.height(), spec.width(), spec.channels());
    }
    return ownConvolutions
        ? new ChannelsFirstPreProcessor(spec.depth(), spec.height(), spec.width(), spec.channels())
        : new FeedForwardToCnn3DPreProcessor(spec.depth(), spec.height(), spec.width(), spec.channels(), true);
  }

  private static Convolution3D conv(int filters, Convolution3D.Builder b, Convolution3D.DataFormat format) {
    return b
        .kernelSize(3, 3, 3).stride(1, 1, 1).padding(1, 1, 1)
        .convolutionMode(ConvolutionMode.Truncate)
        .dataFormat(format)
        .nOut(filters).activation(Activation.RELU)
        .build();
  }

  private static Subsampling3DLayer maxPool(Convolution3D.DataFormat format) {
    return new Subsampling3DLayer.Builder(PoolingType.MAX)
        .kernelSize(2, 2, 2).stride(2, 2, 2)
        .convolutionMode(ConvolutionMode.Truncate)
        .dataFormat(format)
        .build();
  }
}
