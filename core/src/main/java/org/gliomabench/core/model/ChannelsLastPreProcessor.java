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
 * Flat rows [N, C*D*H*W] (the volumes table's channel-first C-order tensor, as the data path keeps them) to
 * channels-last [N, D, H, W, C] activations, and the gradient back (a null gradient, from a layer 0 that
 * computes none, stays null).
 *
 * <p>Why channels last: with ND4J's oneDNN build, 3D convolution and max pooling in NDHWC avoid the
 * layout reorders around every convolution and take oneDNN's JIT pooling instead of its reference NCDHW
 * kernel (measured at 4x95x128x128, batch 2: conv forward 84 to 31 ms, pool forward 80 to 6 ms, pool
 * backward 94 to 13 ms). DL4J's own {@code FeedForwardToCnn3DPreProcessor} only reshapes, so it cannot turn
 * channel-first rows into NDHWC.
 */
public final class ChannelsLastPreProcessor implements InputPreProcessor {
  private static final long serialVersionUID = 1L;

  private final int depth;
  private final int height;
  private final int width;
  private final int channels;

  @JsonCreator
  public ChannelsLastPreProcessor(@JsonProperty("depth") int depth, @JsonProperty("height") int height,
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
    INDArray ncdhw = input.reshape('c', input.size(0), channels, depth, height, width);
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, ncdhw.permute(0, 2, 3, 4, 1), 'c');
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null) {
      return null; // layer 0 computed no input gradient (FirstLayerConvolution3DLayer)
    }
    long n = epsilon.size(0);
    INDArray rows = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
        new long[] {n, rowLength()}, 'c');
    rows.reshape('c', n, channels, depth, height, width).assign(epsilon.permute(0, 4, 1, 2, 3));
    return rows;
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    if (inputType == null || inputType.arrayElementsPerExample() != rowLength()) {
      throw new IllegalStateException("ChannelsLastPreProcessor expects rows of " + rowLength() + " values, got "
          + inputType);
    }
    return InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, depth, height, width, channels);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
      int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public ChannelsLastPreProcessor clone() {
    return new ChannelsLastPreProcessor(depth, height, width, channels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelsLastPreProcessor p && p.depth == depth && p.height == height && p.width == width
        && p.channels == channels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(depth, height, width, channels);
  }

  @Override
  public String toString() {
    return "ChannelsLastPreProcessor(" + channels + "x" + depth + "x" + height + "x" + width + " -> NDHWC)";
  }
}
