package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Layer 0's input preprocessor: flat rows [N, C*D*H*W] (the volumes table's channel-first C-order tensor, as
 * the data path keeps them) to 5D activations in one {@link CnnLayout}, and the gradient back. A null gradient
 * (layer 0 computing no input gradient, see {@link FirstLayerConvolution3DLayer}) stays null.
 */
public abstract class RowsToVolumePreProcessor implements InputPreProcessor {
  private static final long serialVersionUID = 1L;

  private final int depth;
  private final int height;
  private final int width;
  private final int channels;

  protected RowsToVolumePreProcessor(int depth, int height, int width, int channels) {
    this.depth = depth;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** The activations' layout. */
  protected abstract Convolution3D.DataFormat format();

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

  protected long rowLength() {
    return (long) channels * depth * height * width;
  }

  /** The rows as [N, C, D, H, W], a view; rejects rows of the wrong length. */
  protected INDArray channelsFirstView(INDArray rows) {
    if (rows.rank() != 2 || rows.size(1) != rowLength()) {
      throw new IllegalArgumentException("expected rows [N, " + rowLength() + "] (C*D*H*W for " + channels + "x"
          + depth + "x" + height + "x" + width + "), got " + Arrays.toString(rows.shape()));
    }
    return rows.reshape('c', rows.size(0), channels, depth, height, width);
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    if (inputType == null || inputType.arrayElementsPerExample() != rowLength()) {
      throw new IllegalStateException(getClass().getSimpleName() + " expects rows of " + rowLength()
          + " values, got " + inputType);
    }
    return InputType.convolutional3D(format(), depth, height, width, channels);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
      int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public abstract RowsToVolumePreProcessor clone();

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((RowsToVolumePreProcessor) o).depth == depth
        && ((RowsToVolumePreProcessor) o).height == height && ((RowsToVolumePreProcessor) o).width == width
        && ((RowsToVolumePreProcessor) o).channels == channels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), depth, height, width, channels);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + channels + "x" + depth + "x" + height + "x" + width + " -> "
        + format() + ")";
  }
}
