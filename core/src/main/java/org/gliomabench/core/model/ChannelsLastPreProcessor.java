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
    return toChannelsLast(channelsFirstView(input), ArrayType.ACTIVATIONS, workspaceMgr);
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null) {
      return null; // layer 0 computed no input gradient (FirstLayerConvolution3DLayer, OneDnnConvolution3D)
    }
    return toChannelFirstRows(epsilon, ArrayType.ACTIVATION_GRAD, workspaceMgr);
  }

  /** [N, C, D, H, W] (any strides) as a C-order copy [N, D, H, W, C] of the given array type. */
  static INDArray toChannelsLast(INDArray channelsFirst, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
    return LayoutCopy.copy(channelsFirst.permute(0, 2, 3, 4, 1), type, workspaceMgr);
  }

  /** [N, D, H, W, C] as channel-first C-order rows [N, C*D*H*W] of the given array type (a permuted copy). */
  static INDArray toChannelFirstRows(INDArray channelsLast, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
    long[] s = channelsLast.shape();
    INDArray rows = workspaceMgr.createUninitialized(type, channelsLast.dataType(),
        new long[] {s[0], s[1] * s[2] * s[3] * s[4]}, 'c');
    LayoutCopy.assign(rows.reshape('c', s[0], s[4], s[1], s[2], s[3]), channelsLast.permute(0, 4, 1, 2, 3));
    return rows;
  }

  @Override
  public ChannelsLastPreProcessor clone() {
    return new ChannelsLastPreProcessor(depth(), height(), width(), channels());
  }
}
