package org.gliomabench.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LossLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link OnePassLossLayer}'s implementation: backprop asks the loss function for the gradient and the score together
 * ({@code computeGradientAndScore}) and keeps the score; the score DL4J asks for next, for the same input, labels and
 * mask, is the kept one. Anything else (a score without backprop, other arrays) is DL4J's computation.
 */
public class OnePassLossLayerImpl extends LossLayer {
  private Double keptScore;
  private INDArray keptInput;
  private INDArray keptLabels;
  private INDArray keptMask;

  public OnePassLossLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private org.deeplearning4j.nn.conf.layers.LossLayer config() {
    return (org.deeplearning4j.nn.conf.layers.LossLayer) layerConf();
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Pair<Double, INDArray> r = config().getLossFn().computeGradientAndScore(getLabels2d(), input,
        config().getActivationFn(), maskArray, false);
    keptScore = r.getFirst();
    keptInput = input;
    keptLabels = labels;
    keptMask = maskArray;
    return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, r.getSecond()));
  }

  @Override
  public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (keptScore == null || keptInput != input || keptLabels != labels || keptMask != maskArray) {
      forget();
      return super.computeScore(fullNetRegTerm, training, workspaceMgr);
    }
    score = keptScore / getInputMiniBatchSize() + fullNetRegTerm;
    forget();
    return score;
  }

  @Override
  public void clear() {
    super.clear();
    forget();
  }

  private void forget() {
    keptScore = null;
    keptInput = null;
    keptLabels = null;
    keptMask = null;
  }
}
