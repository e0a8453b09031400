package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The inverse of {@link ChannelsLastPreProcessor}: channels-last activations [N, D, H, W, C] to flat channel-first
 * rows [N, C*D*H*W] (a permuted copy), and the rows' gradient back. DL4J's {@code Cnn3DToFeedForwardPreProcessor}
 * flattens NDHWC voxel by voxel, so its rows would not line up with labels laid out channel by channel.
 */
public final class ChannelsLastToRowsPreProcessor implements InputPreProcessor {
  private static final long serialVersionUID = 1L;

  private final int depth;
  private final int height;
  private final int width;
  private final int channels;

  @JsonCreator
  public ChannelsLastToRowsPreProcessor(@JsonProperty("depth") int depth, @JsonProperty("height") int height,
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

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    long[] expected = {input.size(0), depth, height, width, channels};
    if (!Arrays.equals(input.shape(), expected)) {
      throw new IllegalArgumentException("expected channels-last activations " + Arrays.toString(expected) + ", got "
          + Arrays.toString(input.shape()));
    }
    return ChannelsLastPreProcessor.toChannelFirstRows(input, ArrayType.ACTIVATIONS, workspaceMgr);
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    return ChannelsLastPreProcessor.toChannelsLast(
        epsilon.reshape('c', epsilon.size(0), channels, depth, height, width), ArrayType.ACTIVATION_GRAD, workspaceMgr);
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeConvolutional3D c)
        || c.getDataFormat() != org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC
        || c.getDepth() != depth || c.getHeight() != height || c.getWidth() != width || c.getChannels() != channels) {
      throw new IllegalStateException(this + " expects NDHWC activations of " + channels + "x" + depth + "x" + height
          + "x" + width + ", got " + inputType);
    }
    return InputType.feedForward((long) channels * depth * height * width);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
      int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public ChannelsLastToRowsPreProcessor clone() {
    return new ChannelsLastToRowsPreProcessor(depth, height, width, channels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelsLastToRowsPreProcessor p && p.depth == depth && p.height == height
        && p.width == width && p.channels == channels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), depth, height, width, channels);
  }

  @Override
  public String toString() {
    return "ChannelsLastToRowsPreProcessor(" + depth + "x" + height + "x" + width + "x" + channels + " NDHWC -> rows)";
  }
}
