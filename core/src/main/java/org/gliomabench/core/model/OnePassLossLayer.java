package org.gliomabench.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J's {@link LossLayer} evaluating its loss function once per training step ({@link OnePassLossLayerImpl}):
 * DL4J's layer asks the loss for the gradient in backprop and then again for the score, each a full pass over the
 * outputs. JSON form (apart from the class name) and results are DL4J's layer's.
 */
public class OnePassLossLayer extends LossLayer {

  /** For JSON deserialisation. */
  public OnePassLossLayer() {
    super();
  }

  protected OnePassLossLayer(Builder builder) {
    super(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
      DataType networkDataType) {
    // As LossLayer.instantiate, with this implementation.
    return LayerSetup.setUp(new OnePassLossLayerImpl(conf, networkDataType), initializer(),
        conf, listeners, layerIndex, layerParamsView, initializeParams);
  }

  @Override
  public OnePassLossLayer clone() {
    return (OnePassLossLayer) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof OnePassLossLayer;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + OnePassLossLayer.class.getName().hashCode();
  }

  /** {@link LossLayer.Builder} building this class. */
  public static class Builder extends LossLayer.Builder {
    public Builder(ILossFunction lossFunction) {
      super(lossFunction);
    }

    @Override
    public OnePassLossLayer build() {
      return new OnePassLossLayer(this);
    }
  }
}
