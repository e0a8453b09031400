package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A {@link ReluReuseConvolution3D} whose implementation ({@link OneDnnConvolution3DLayer}) runs its forward and
 * backward passes through oneDNN directly ({@link OneDnnConvolution}): bias and ReLU fused into the forward
 * convolution, ReLU's backward pass from the kept output, no layout reorders of the activations, no buffers
 * allocated outside DL4J's workspaces, and, with {@link Builder#inputGradient(boolean) inputGradient(false)} (a
 * layer fed by the network input), no input gradient at all. Parameters and their layout are DL4J's
 * Convolution3D's; where oneDNN is not loaded (plain or CUDA builds) the stock computation runs.
 */
public class OneDnnConvolution3D extends ReluReuseConvolution3D {
  /** False: backprop computes the weight and bias gradients only (nothing upstream needs the input's). */
  @JsonProperty("inputGradient")
  private boolean inputGradient = true;

  /** For JSON deserialisation. */
  public OneDnnConvolution3D() {
    super();
  }

  protected OneDnnConvolution3D(Builder builder) {
    super(builder);
    this.inputGradient = builder.inputGradient;
  }

  public boolean inputGradient() {
    return inputGradient;
  }

  @Override
  protected ReluReuseConvolution3DLayer newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
    return new OneDnnConvolution3DLayer(conf, networkDataType);
  }

  @Override
  public OneDnnConvolution3D clone() {
    return (OneDnnConvolution3D) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((OneDnnConvolution3D) o).inputGradient == inputGradient;
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof OneDnnConvolution3D;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * super.hashCode() + OneDnnConvolution3D.class.getName().hashCode()) + Boolean.hashCode(inputGradient);
  }

  /** {@link ReluReuseConvolution3D.Builder} (same settings and validation) building this class. */
  public static class Builder extends ReluReuseConvolution3D.Builder {
    private boolean inputGradient = true;

    /** False for a layer whose input gradient nothing uses (one fed by the network input). */
    public Builder inputGradient(boolean on) {
      this.inputGradient = on;
      return this;
    }

    @Override
    public OneDnnConvolution3D build() {
      super.build(); // the stock validation
      return new OneDnnConvolution3D(this);
    }
  }
}
