package org.gliomabench.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Convolution3D} whose layer implementation ({@link ReluReuseConvolution3DLayer}) does not run the
 * forward convolution a second time in backprop when its activation is a plain ReLU: relu'(z) is z > 0, which
 * is a > 0 for the layer's output a = relu(z), so backprop's pre-activation can be a copy of the output kept
 * from the training forward pass. Parameters, JSON form (apart from the class name) and results are those of
 * {@link Convolution3D}; any other activation falls back to the stock computation.
 */
public class ReluReuseConvolution3D extends Convolution3D {

  /** For JSON deserialisation. */
  public ReluReuseConvolution3D() {
    super();
  }

  protected ReluReuseConvolution3D(Builder builder) {
    super(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    // As Convolution3D.instantiate, with the reusing layer implementation.
    LayerValidation.assertNInNOutSet("Convolution3D", getLayerName(), layerIndex, getNIn(), getNOut());
    return LayerSetup.setUp(newLayer(conf, networkDataType), initializer(), conf, listeners, layerIndex,
        layerParamsView, initializeParams);
  }

  /** The layer implementation {@link #instantiate} sets up. */
  protected ReluReuseConvolution3DLayer newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
    return new ReluReuseConvolution3DLayer(conf, networkDataType);
  }

  @Override
  public ReluReuseConvolution3D clone() {
    return (ReluReuseConvolution3D) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof ReluReuseConvolution3D;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + ReluReuseConvolution3D.class.getName().hashCode();
  }

  /** {@link Convolution3D.Builder} (same settings, same validation) building a {@link ReluReuseConvolution3D}. */
  public static class Builder extends Convolution3D.Builder {
    @Override
    public ReluReuseConvolution3D build() {
      super.build(); // the stock validation of kernel, stride, padding and convolution mode
      return new ReluReuseConvolution3D(this);
    }
  }
}
