package org.gliomabench.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Upsampling3D} (nearest neighbour) run through oneDNN's JIT resampling ({@link OneDnnUpsampling3DLayer}):
 * libnd4j's {@code upsampling3d} and its backprop took 0.8-1.1 s of a U-Net step at the study's shape. JSON form
 * (apart from the class name) and results are DL4J's layer's.
 */
public class OneDnnUpsampling3D extends Upsampling3D {

  /** For JSON deserialisation. */
  public OneDnnUpsampling3D() {
    super();
  }

  protected OneDnnUpsampling3D(Builder builder) {
    super(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
      DataType networkDataType) {
    // As Upsampling3D.instantiate, with this implementation.
    return LayerSetup.setUp(new OneDnnUpsampling3DLayer(conf, networkDataType), initializer(),
        conf, listeners, layerIndex, layerParamsView, initializeParams);
  }

  @Override
  public OneDnnUpsampling3D clone() {
    return (OneDnnUpsampling3D) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof OneDnnUpsampling3D;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + OneDnnUpsampling3D.class.getName().hashCode();
  }

  /** {@link Upsampling3D.Builder} (same settings) building this class. */
  public static class Builder extends Upsampling3D.Builder {
    public Builder(Convolution3D.DataFormat format, int size) {
      super(format, size);
    }

    @Override
    public OneDnnUpsampling3D build() {
      return new OneDnnUpsampling3D(this);
    }
  }
}
