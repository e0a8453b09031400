package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Flat channel-first rows to channels-last [N, D, H, W, C] activations (a permuted copy), and the gradient
 * back.
 *
 * <p>Why channels last: with ND4J's oneDNN build, 3D convolution and max pooling in NDHWC avoid the
 * layout reorders around every convolution and take oneDNN's JIT pooling instead of its reference NCDHW
 * kernel (measured at 4x95x128x128, batch 2: conv forward 84 to 31 ms, pool forward 80 to 6 ms, pool
 * backward 94 to 13 ms). DL4J's own {@code FeedForwardToCnn3DPreProcessor} only reshapes, so it cannot turn
 * channel-first rows into NDHWC.
 */
public final class ChannelsLastPreProcessor extends RowsToVolumePreProcessor {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public ChannelsLastPreProcessor(@JsonProperty("depth") int depth, @JsonProperty("height") int height,
      @JsonProperty("width") int width, @JsonProperty("channels") int channels) {
    super(depth, height, width, channels);
  }

  @Override
  protected Convolution3D.DataFormat format() {
    return Convolution3D.DataFormat.NDHWC;
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, channelsFirstView(input).permute(0, 2, 3, 4, 1), 'c');
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null) {
      return null; // layer 0 computed no input gradient (FirstLayerConvolution3DLayer)
    }
    long n = epsilon.size(0);
    INDArray rows = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
        new long[] {n, rowLength()}, 'c');
    rows.reshape('c', n, channels(), depth(), height(), width()).assign(epsilon.permute(0, 4, 1, 2, 3));
    return rows;
  }

  @Override
  public ChannelsLastPreProcessor clone() {
    return new ChannelsLastPreProcessor(depth(), height(), width(), channels());
  }
}
