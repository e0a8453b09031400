package org.gliomabench.core.model;

import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Flat rows [N, C*D*H*W] (the volumes table's channel-first C-order tensor) to channels-first
 * [N, C, D, H, W] activations, and the gradient back: a reshape each way, as DL4J's
 * {@code FeedForwardToCnn3DPreProcessor} does, except that a null gradient (layer 0 computing no input
 * gradient, see {@link FirstLayerConvolution3DLayer}) passes through as null.
 */
public final class ChannelsFirstPreProcessor implements InputPreProcessor {
  private static final long serialVersionUID = 1L;

  private final int depth;
  private final int height;
  private final int width;
  private final int channels;

  @JsonCreator
  public ChannelsFirstPreProcessor(@JsonProperty("depth") int depth, @JsonProperty("height") int height,
      @JsonProperty("width") int width, @JsonProperty("channels") int channels) {
    this.depth = depth;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  @JsonProperty("depth")
  public int depth() {
    return depth;
  }

  @JsonProperty("height")
  public int height() {
    return height;
  }

  @JsonProperty("width")
  public int width() {
    return width;
  }

  @JsonProperty("channels")
  public int channels() {
    return channels;
  }

  private long rowLength() {
    return (long) channels * depth * height * width;
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (input.rank() != 2 || input.size(1) != rowLength()) {
      throw new IllegalArgumentException("expected rows [N, " + rowLength() + "] (C*D*H*W for " + channels + "x"
          + depth + "x" + height + "x" + width + "), got " + java.util.Arrays.toString(input.shape()));
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS,
        input.reshape('c', input.size(0), channels, depth, height, width));
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null) {
      return null;
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon.reshape('c', epsilon.size(0), rowLength()));
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    if (inputType == null || inputType.arrayElementsPerExample() != rowLength()) {
      throw new IllegalStateException("ChannelsFirstPreProcessor expects rows of " + rowLength() + " values, got "
          + inputType);
    }
    return InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, depth, height, width, channels);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
      int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public ChannelsFirstPreProcessor clone() {
    return new ChannelsFirstPreProcessor(depth, height, width, channels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelsFirstPreProcessor p && p.depth == depth && p.height == height && p.width == width
        && p.channels == channels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(depth, height, width, channels);
  }

  @Override
  public String toString() {
    return "ChannelsFirstPreProcessor(" + channels + "x" + depth + "x" + height + "x" + width + " -> NCDHW)";
  }
}
