package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The one-pass loss layer asks its loss function once per training step (DL4J's asks twice: for the gradient, then
 * for the score) and gives DL4J's layer's steps, and the batch's loss as the step's score.
 */
class OnePassLossLayerTest {

  @Test
  void asksTheLossOncePerStepScoresTheBatchsLossAndStepsAsDl4jsLayer() {
    CountingLoss stockLoss = new CountingLoss();
    CountingLoss ownLoss = new CountingLoss();
    ComputationGraph stock = graph(new LossLayer.Builder(stockLoss));
    ComputationGraph own = graph(new OnePassLossLayer.Builder(ownLoss));
    assertInstanceOf(OnePassLossLayerImpl.class, own.getLayer("loss"));
    // The batch's loss at the step's parameters, scored without backprop by a third network: DL4J's layer scores
    // after backprop, from an input the layer below may have overwritten in place (its score after a step here was
    // 2.98 where the batch's loss was 2.38), so its score() after fit is no reference.
    ComputationGraph reference = graph(new LossLayer.Builder(new LossBinaryXENT()));
    own.setParams(stock.params().dup());
    for (int step = 0; step < 3; step++) {
      Nd4j.getRandom().setSeed(10 + step);
      MultiDataSet b = new MultiDataSet(Nd4j.randn(DataType.FLOAT, 4, 6),
          Nd4j.rand(DataType.FLOAT, 4, 3).lt(0.5).castTo(DataType.FLOAT));
      reference.setParams(stock.params().dup());
      double loss = reference.score(b);
      stock.fit(b);
      own.fit(b);
      assertEquals(loss, own.score(), 1e-6 * Math.abs(loss), "score of step " + step);
    }
    assertTrue(stock.params().equalsWithEps(own.params(), 1e-6), "parameters after 3 steps");
    assertEquals(List.of(3, 0, 0, 3), stockLoss.calls(), "DL4J's layer: gradient, then score");
    assertEquals(List.of(0, 3, 0, 0), ownLoss.calls(), "one pass: gradient and score together");
    // A score without backprop (evaluation) is DL4J's computation.
    Nd4j.getRandom().setSeed(99);
    MultiDataSet eval = new MultiDataSet(Nd4j.randn(DataType.FLOAT, 2, 6),
        Nd4j.rand(DataType.FLOAT, 2, 3).lt(0.5).castTo(DataType.FLOAT));
    assertEquals(stock.score(eval), own.score(eval), 1e-6);
  }

  private static ComputationGraph graph(LossLayer.Builder loss) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2))
        .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(6))
        .addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
        .addLayer("loss", loss.activation(Activation.SIGMOID).build(), "dense")
        .setOutputs("loss").build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  /** DL4J's binary cross-entropy, counting how it is asked: gradient, gradient and score, score, score array. */
  private static final class CountingLoss extends LossBinaryXENT {
    /** The computation, on another instance: its own calls between its methods are not counted. */
    private final LossBinaryXENT real = new LossBinaryXENT();
    private int gradient;
    private int gradientAndScore;
    private int scoreArray;
    private int score;

    List<Integer> calls() {
      return List.of(gradient, gradientAndScore, scoreArray, score);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
      gradient++;
      return real.computeGradient(labels, preOutput, fn, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
        INDArray mask, boolean average) {
      gradientAndScore++;
      return real.computeGradientAndScore(labels, preOutput, fn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
      scoreArray++;
      return real.computeScoreArray(labels, preOutput, fn, mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
      score++;
      return real.computeScore(labels, preOutput, fn, mask, average);
    }
  }
}
