package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Flat rows to channels-first [N, C, D, H, W] activations and back: a reshape each way, as DL4J's
 * {@code FeedForwardToCnn3DPreProcessor} does, except that a null gradient passes through.
 */
public final class ChannelsFirstPreProcessor extends RowsToVolumePreProcessor {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public ChannelsFirstPreProcessor(@JsonProperty("depth") int depth, @JsonProperty("height") int height,
      @JsonProperty("width") int width, @JsonProperty("channels") int channels) {
    super(depth, height, width, channels);
  }

  @Override
  protected Convolution3D.DataFormat format() {
    return Convolution3D.DataFormat.NCDHW;
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, channelsFirstView(input));
  }

  @Override
  public INDArray backprop(INDArray epsilon, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null) {
      return null; // layer 0 computed no input gradient (FirstLayerConvolution3DLayer)
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon.reshape('c', epsilon.size(0), rowLength()));
  }

  @Override
  public ChannelsFirstPreProcessor clone() {
    return new ChannelsFirstPreProcessor(depth(), height(), width(), channels());
  }
}
