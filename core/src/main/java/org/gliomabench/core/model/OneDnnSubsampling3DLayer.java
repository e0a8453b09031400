package org.gliomabench.core.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling3DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link OneDnnSubsampling3D}'s implementation: max pooling without padding or dilation through
 * {@link OneDnnResampling} when oneDNN is loaded, else DL4J's. The training pass writes the window arg-maxima into a
 * workspace array (1 byte per output value, beside the activations) that backprop reads and then drops.
 */
public class OneDnnSubsampling3DLayer extends Subsampling3DLayer {
  private INDArray workspace;
  private INDArray workspaceInput;
  private INDArray output;
  private long oneDnnPasses;

  public OneDnnSubsampling3DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private org.deeplearning4j.nn.conf.layers.Subsampling3DLayer config() {
    return (org.deeplearning4j.nn.conf.layers.Subsampling3DLayer) layerConf();
  }

  boolean oneDnnApplies() {
    org.deeplearning4j.nn.conf.layers.Subsampling3DLayer c = config();
    return OneDnn.available() && c.getPoolingType() == PoolingType.MAX && c.getConvolutionMode() != ConvolutionMode.Same
        && Arrays.stream(c.getPadding()).allMatch(p -> p == 0) && Arrays.stream(c.getDilation()).allMatch(d -> d == 1)
        && c.getIDropout() == null && input != null && input.rank() == 5 && OneDnn.accepts(input);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    forget();
    if (!oneDnnApplies()) {
      return super.activate(training, workspaceMgr);
    }
    org.deeplearning4j.nn.conf.layers.Subsampling3DLayer c = config();
    boolean channelsLast = c.getDataFormat() == Convolution3D.DataFormat.NDHWC;
    long[] in = input.shape();
    int[] k = c.getKernelSize();
    int[] s = c.getStride();
    long[] shape = in.clone();
    for (int i = 0; i < 3; i++) {
      int axis = channelsLast ? 1 + i : 2 + i;
      shape[axis] = (in[axis] - k[i]) / s[i] + 1;
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
    long bytes = OneDnnResampling.maxPoolWorkspaceBytes(input, out, k, s, channelsLast);
    // Beside the activations: in training it lives until backprop, as they do.
    INDArray ws = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.BYTE, new long[] {bytes}, 'c');
    OneDnnResampling.maxPoolForward(input, out, ws, k, s, channelsLast);
    if (training) {
      workspace = ws;
      workspaceInput = input;
      output = out;
    }
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (workspace == null || workspaceInput != input || workspace.wasClosed()
        || !Arrays.equals(epsilon.shape(), output.shape())) {
      forget();
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    try {
      org.deeplearning4j.nn.conf.layers.Subsampling3DLayer c = config();
      INDArray eps = OneDnn.accepts(epsilon) ? epsilon : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon, 'c');
      INDArray inputGradient =
          workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
      OneDnnResampling.maxPoolBackward(eps, workspace, inputGradient, c.getKernelSize(), c.getStride(),
          c.getDataFormat() == Convolution3D.DataFormat.NDHWC);
      oneDnnPasses++;
      return new Pair<>(new DefaultGradient(), inputGradient);
    } finally {
      forget();
    }
  }

  @Override
  public void clear() {
    super.clear();
    forget();
  }

  /** How many backprop passes ran through oneDNN (for tests). */
  long oneDnnPasses() {
    return oneDnnPasses;
  }

  private void forget() {
    workspace = null;
    workspaceInput = null;
    output = null;
  }
}
