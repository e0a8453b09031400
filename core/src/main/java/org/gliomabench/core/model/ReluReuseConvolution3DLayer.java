package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Convolution3DLayer} that answers backprop's pre-activation request from the output of its own
 * training forward pass when the activation is a plain ReLU (no max, threshold or negative slope), instead of
 * recomputing the convolution as DL4J 1.0.0-M2.1 does.
 *
 * <p>relu'(z) = [z > 0] = [relu(z) > 0], so {@code ActivationReLU.backprop(a, eps)} equals
 * {@code backprop(z, eps)} exactly. The output a is the next layer's input, so backprop gets a copy, allocated
 * as the stock pre-activation is (ArrayType.ACTIVATIONS). The kept reference is used only when the layer is
 * training, has no dropout or weight noise, its input is still the array that produced it and its workspace
 * is still open; it is dropped after backprop, on a non-training forward and on {@link #clear()}. In every
 * other case the stock computation runs.
 */
public class ReluReuseConvolution3DLayer extends Convolution3DLayer {
  private INDArray keptOutput;
  private INDArray keptInput;
  private long reuses;

  public ReluReuseConvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Whether this layer's configuration lets backprop reuse the forward output. */
  boolean reusable() {
    Convolution3D c = (Convolution3D) layerConf();
    IActivation fn = c.getActivationFn();
    if (!(fn instanceof ActivationReLU) || c.getIDropout() != null || c.getWeightNoise() != null) {
      return false;
    }
    ActivationReLU relu = (ActivationReLU) fn;
    return relu.getMax() == null && relu.getThreshold() == null && relu.getNegativeSlope() == null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    forget();
    INDArray out = super.activate(training, workspaceMgr);
    if (training && reusable()) {
      keptOutput = out;
      keptInput = input;
    }
    return out;
  }

  @Override
  protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop,
      LayerWorkspaceMgr workspaceMgr) {
    if (training && forBackprop && keptOutput != null && keptInput == input && !keptOutput.wasClosed()) {
      INDArray a = keptOutput;
      forget();
      reuses++;
      // A copy: the activation's backprop may work in place and a is the next layer's input.
      return new Pair<>(workspaceMgr.dup(ArrayType.ACTIVATIONS, a), null);
    }
    return super.preOutput(training, forBackprop, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    try {
      return super.backpropGradient(epsilon, workspaceMgr);
    } finally {
      forget();
    }
  }

  @Override
  public void clear() {
    super.clear();
    forget();
  }

  @Override
  public void clearNoiseWeightParams() {
    super.clearNoiseWeightParams();
    forget();
  }

  /** Whether a forward output is being kept for backprop (for tests). */
  boolean holdsOutput() {
    return keptOutput != null;
  }

  /** How many backprop passes used the kept output instead of recomputing the convolution (for tests). */
  long reuses() {
    return reuses;
  }

  /** Drops the kept forward output. */
  protected void forget() {
    keptOutput = null;
    keptInput = null;
  }
}
