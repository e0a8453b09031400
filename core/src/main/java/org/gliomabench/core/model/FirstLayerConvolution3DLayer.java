package org.gliomabench.core.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer 0's convolution: backprop computes dL/dW and dL/db with oneDNN's backward-weights primitive
 * ({@link OneDnnConvolution}) and returns a null input gradient, instead of DL4J's
 * {@code conv3dnew_bp}, which always computes the input gradient too. MultiLayerNetwork passes layer 0's
 * input gradient only to layer 0's input preprocessor and, for {@code backpropGradient}'s callers, back to
 * the caller; the study's preprocessors ({@link ChannelsLastPreProcessor}, {@link ChannelsFirstPreProcessor})
 * pass a null on.
 *
 * <p>The stock backprop runs (input gradient included) whenever this path does not apply: the layer is not at
 * index 0, oneDNN is not loaded ({@link NativeBackend}), the data is not FLOAT, or the convolution has
 * Same mode, strides or dilation other than 1, or weight noise.
 */
public class FirstLayerConvolution3DLayer extends ReluReuseConvolution3DLayer {
  private static volatile boolean enabled = true;
  private long weightOnlyPasses;

  public FirstLayerConvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Turns the weights-only path on or off in this JVM (for tests and comparisons). */
  static void setEnabled(boolean on) {
    enabled = on;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!weightsOnlyApplies()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    try {
      return weightsOnlyBackprop(epsilon, workspaceMgr);
    } finally {
      forget();
    }
  }

  private boolean weightsOnlyApplies() {
    Convolution3D c = (Convolution3D) layerConf();
    return enabled && getIndex() == 0 && OneDnnConvolution.available() && gradientViews != null
        && dataType == DataType.FLOAT && input != null && input.rank() == 5 && input.dataType() == DataType.FLOAT
        && c.getConvolutionMode() != ConvolutionMode.Same && c.getWeightNoise() == null
        && Arrays.equals(c.getStride(), new int[] {1, 1, 1}) && Arrays.equals(c.getDilation(), new int[] {1, 1, 1})
        && OneDnnConvolution.accepts(gradientViews.get(Convolution3DParamInitializer.WEIGHT_KEY),
            gradientViews.get(Convolution3DParamInitializer.BIAS_KEY));
  }

  private Pair<Gradient, INDArray> weightsOnlyBackprop(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Convolution3D c = (Convolution3D) layerConf();
    INDArray weightGrad = gradientViews.get(Convolution3DParamInitializer.WEIGHT_KEY);
    INDArray biasGrad = c.hasBias() ? gradientViews.get(Convolution3DParamInitializer.BIAS_KEY) : null;
    // As the stock layer: the activation's backprop first, on the pre-activation.
    INDArray preOut = preOutput(true, true, workspaceMgr).getFirst();
    INDArray delta = c.getActivationFn().backprop(preOut, epsilon).getFirst();
    INDArray src = input;
    if (!OneDnnConvolution.accepts(src)) {
      src = src.dup('c');
    }
    if (!OneDnnConvolution.accepts(delta)) {
      delta = delta.dup('c');
    }
    OneDnnConvolution.backwardWeights(src, delta, weightGrad, biasGrad, c.getPadding(),
        c.getDataFormat() == Convolution3D.DataFormat.NDHWC);
    weightOnlyPasses++;

    Gradient gradient = new DefaultGradient();
    if (biasGrad != null) {
      gradient.setGradientFor(Convolution3DParamInitializer.BIAS_KEY, biasGrad);
    }
    gradient.setGradientFor(Convolution3DParamInitializer.WEIGHT_KEY, weightGrad, 'c');
    return new Pair<>(gradient, null);
  }

  /** How many backprop passes computed the weight gradients only (for tests). */
  long weightOnlyPasses() {
    return weightOnlyPasses;
  }
}
