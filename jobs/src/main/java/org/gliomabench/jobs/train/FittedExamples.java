package org.gliomabench.jobs.train;

import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A training hook that adds the examples of every minibatch a Spark worker fits to a Spark accumulator. */
public final class FittedExamples implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private final LongAccumulator fitted;

  public FittedExamples(LongAccumulator fitted) {
    this.fitted = fitted;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    fitted.add(minibatch.numExamples());
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    fitted.add(minibatch.getFeatures(0).size(0));
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}
}
