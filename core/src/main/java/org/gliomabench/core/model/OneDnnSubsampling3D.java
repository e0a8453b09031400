package org.gliomabench.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Subsampling3DLayer} whose max pooling runs through oneDNN directly ({@link OneDnnSubsampling3DLayer}):
 * the training pass keeps the arg-max workspace for backprop instead of pooling again. JSON form (apart from the class
 * name) and results are DL4J's layer's.
 */
public class OneDnnSubsampling3D extends Subsampling3DLayer {

  /** For JSON deserialisation. */
  public OneDnnSubsampling3D() {
    super();
  }

  protected OneDnnSubsampling3D(Builder builder) {
    super(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
      DataType networkDataType) {
    // As Subsampling3DLayer.instantiate, with this implementation.
    return LayerSetup.setUp(new OneDnnSubsampling3DLayer(conf, networkDataType), initializer(),
        conf, listeners, layerIndex, layerParamsView, initializeParams);
  }

  @Override
  public OneDnnSubsampling3D clone() {
    return (OneDnnSubsampling3D) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof OneDnnSubsampling3D;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + OneDnnSubsampling3D.class.getName().hashCode();
  }

  /** {@link Subsampling3DLayer.Builder} (same settings and validation) building this class. */
  public static class Builder extends Subsampling3DLayer.Builder {
    public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType) {
      super(poolingType);
    }

    @Override
    public OneDnnSubsampling3D build() {
      super.build(); // the stock validation
      return new OneDnnSubsampling3D(this);
    }
  }
}
