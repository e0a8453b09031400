package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A {@link ReluReuseConvolution3D} for layer 0 of a MultiLayerNetwork: its implementation
 * ({@link FirstLayerConvolution3DLayer}) computes only the weight and bias gradients in backprop, not the
 * gradient with respect to the network input, which nothing uses. Parameters, JSON form (apart from the class
 * name) and parameter gradients are those of DL4J's {@code Convolution3D}; backprop returns no input
 * gradient (null) when it takes that path.
 */
public class FirstLayerConvolution3D extends ReluReuseConvolution3D {

  /** For JSON deserialisation. */
  public FirstLayerConvolution3D() {
    super();
  }

  protected FirstLayerConvolution3D(Builder builder) {
    super(builder);
  }

  @Override
  protected ReluReuseConvolution3DLayer newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
    return new FirstLayerConvolution3DLayer(conf, networkDataType);
  }

  @Override
  public FirstLayerConvolution3D clone() {
    return (FirstLayerConvolution3D) super.clone();
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FirstLayerConvolution3D;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + FirstLayerConvolution3D.class.getName().hashCode();
  }

  /** {@link ReluReuseConvolution3D.Builder} (same settings and validation) building this class. */
  public static class Builder extends ReluReuseConvolution3D.Builder {
    @Override
    public FirstLayerConvolution3D build() {
      super.build(); // the stock validation
      return new FirstLayerConvolution3D(this);
    }
  }
}
