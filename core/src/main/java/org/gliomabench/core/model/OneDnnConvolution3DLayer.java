package org.gliomabench.core.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link OneDnnConvolution3D}'s implementation: forward and backward through {@link OneDnnConvolution} when oneDNN is
 * loaded and the layer is one it covers (FLOAT; stride and dilation 1; explicit padding (Truncate or Strict mode);
 * a plain ReLU or the identity; no dropout or weight noise), else the stock computation of
 * {@link ReluReuseConvolution3DLayer}.
 *
 * <p>The training forward pass writes relu(conv(x) + b) straight into the layer's activation array and keeps it
 * with its input; backprop takes ReLU's mask from that output (relu'(z) = [relu(z) > 0]), then oneDNN's
 * backward-data (skipped when the configuration says nothing needs the input gradient) and backward-weights
 * primitives. The kept arrays are dropped after backprop, on {@link #clear()} and by the next forward pass.
 */
public class OneDnnConvolution3DLayer extends ReluReuseConvolution3DLayer {
  private INDArray output;
  private INDArray source;
  private INDArray sourceInput;
  private long oneDnnPasses;

  public OneDnnConvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Whether this layer's configuration, data and backend let it run through oneDNN. */
  boolean oneDnnApplies() {
    Convolution3D c = (Convolution3D) layerConf();
    IActivation fn = c.getActivationFn();
    return OneDnnConvolution.available() && dataType == DataType.FLOAT && input != null && input.rank() == 5
        && input.dataType() == DataType.FLOAT && c.getConvolutionMode() != ConvolutionMode.Same
        && Arrays.equals(c.getStride(), new int[] {1, 1, 1}) && Arrays.equals(c.getDilation(), new int[] {1, 1, 1})
        && (fn instanceof ActivationIdentity || reusable()) && c.getIDropout() == null && c.getWeightNoise() == null
        && OneDnnConvolution.accepts(getParam(Convolution3DParamInitializer.WEIGHT_KEY),
            c.hasBias() ? getParam(Convolution3DParamInitializer.BIAS_KEY) : null);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    forgetOwn();
    if (!oneDnnApplies()) {
      return super.activate(training, workspaceMgr);
    }
    Convolution3D c = (Convolution3D) layerConf();
    boolean channelsLast = channelsLast();
    INDArray src = OneDnnConvolution.accepts(input) ? input : workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
    long[] in = src.shape();
    int[] k = c.getKernelSize();
    int[] p = c.getPadding();
    long n = c.getNOut();
    long[] spatial = new long[3];
    for (int i = 0; i < 3; i++) {
      long size = (channelsLast ? in[1 + i] : in[2 + i]) + 2L * p[i] - k[i] + 1;
      if (size < 1) {
        throw new IllegalArgumentException("Convolution3D " + layerId() + ": kernel " + Arrays.toString(k)
            + " does not fit input " + Arrays.toString(in) + " with padding " + Arrays.toString(p));
      }
      spatial[i] = size;
    }
    long[] shape = channelsLast ? new long[] {in[0], spatial[0], spatial[1], spatial[2], n}
        : new long[] {in[0], n, spatial[0], spatial[1], spatial[2]};
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
    OneDnnConvolution.forward(src, getParam(Convolution3DParamInitializer.WEIGHT_KEY),
        c.hasBias() ? getParam(Convolution3DParamInitializer.BIAS_KEY) : null, out, p, channelsLast, relu());
    if (training) {
      output = out;
      source = src;
      sourceInput = input;
    }
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (output == null || sourceInput != input || output.wasClosed() || source.wasClosed()) {
      forgetOwn();
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    try {
      return oneDnnBackprop(epsilon, workspaceMgr);
    } finally {
      forgetOwn();
    }
  }

  private Pair<Gradient, INDArray> oneDnnBackprop(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    OneDnnConvolution3D c = (OneDnnConvolution3D) layerConf();
    boolean channelsLast = channelsLast();
    INDArray eps = OneDnnConvolution.accepts(epsilon) ? epsilon : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon, 'c');
    INDArray delta = eps;
    if (relu()) {
      delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, output.shape(), 'c');
      OneDnnConvolution.reluBackward(output, eps, delta);
    }
    INDArray weights = getParam(Convolution3DParamInitializer.WEIGHT_KEY);
    INDArray inputGradient = null;
    if (c.inputGradient()) {
      inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, source.shape(), 'c');
      OneDnnConvolution.backwardData(delta, weights, inputGradient, c.getPadding(), channelsLast);
    }
    INDArray weightGrad = gradientViews.get(Convolution3DParamInitializer.WEIGHT_KEY);
    INDArray biasGrad = c.hasBias() ? gradientViews.get(Convolution3DParamInitializer.BIAS_KEY) : null;
    OneDnnConvolution.backwardWeights(source, delta, weightGrad, biasGrad, c.getPadding(), channelsLast);
    oneDnnPasses++;

    Gradient gradient = new DefaultGradient();
    if (biasGrad != null) {
      gradient.setGradientFor(Convolution3DParamInitializer.BIAS_KEY, biasGrad);
    }
    gradient.setGradientFor(Convolution3DParamInitializer.WEIGHT_KEY, weightGrad, 'c');
    return new Pair<>(gradient, inputGradient);
  }

  private boolean channelsLast() {
    return ((Convolution3D) layerConf()).getDataFormat() == Convolution3D.DataFormat.NDHWC;
  }

  private boolean relu() {
    return !(((Convolution3D) layerConf()).getActivationFn() instanceof ActivationIdentity);
  }

  @Override
  public void clear() {
    super.clear();
    forgetOwn();
  }

  /** How many backprop passes ran through oneDNN (for tests). */
  long oneDnnPasses() {
    return oneDnnPasses;
  }

  private void forgetOwn() {
    output = null;
    source = null;
    sourceInput = null;
  }
}
