package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.upsampling.Upsampling3D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link OneDnnUpsampling3D}'s implementation: nearest-neighbour upsampling and its backprop (the sum over each
 * source voxel's copies) through {@link OneDnnResampling} when oneDNN is loaded and the arrays are dense FLOAT,
 * else DL4J's.
 */
public class OneDnnUpsampling3DLayer extends Upsampling3D {
  private long oneDnnPasses;

  public OneDnnUpsampling3DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean channelsLast() {
    return ((org.deeplearning4j.nn.conf.layers.Upsampling3D) layerConf()).getDataFormat()
        == Convolution3D.DataFormat.NDHWC;
  }

  private boolean oneDnnApplies() {
    return OneDnn.available() && input != null && input.rank() == 5 && OneDnn.accepts(input)
        && layerConf().getIDropout() == null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!oneDnnApplies()) {
      return super.activate(training, workspaceMgr);
    }
    int[] size = getSize();
    long[] shape = input.shape().clone(); // ND4J hands out its own shape array
    for (int i = 0; i < 3; i++) {
      shape[channelsLast() ? 1 + i : 2 + i] *= size[i];
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
    INDArray scratch = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, input.shape(), 'c');
    OneDnnResampling.upsampleForward(input, out, scratch, channelsLast());
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!oneDnnApplies() || epsilon.dataType() != DataType.FLOAT) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    INDArray eps = OneDnn.accepts(epsilon) ? epsilon : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon, 'c');
    INDArray inputGradient =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
    OneDnnResampling.upsampleBackward(eps, inputGradient, channelsLast());
    oneDnnPasses++;
    return new Pair<>(new DefaultGradient(), inputGradient);
  }

  /** How many backprop passes ran through oneDNN (for tests). */
  long oneDnnPasses() {
    return oneDnnPasses;
  }
}
