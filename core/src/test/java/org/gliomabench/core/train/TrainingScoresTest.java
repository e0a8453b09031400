package org.gliomabench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingScoresTest {
  @Test
  void aucCountsTiesAsHalf() {
    int[] y = {0, 0, 1, 1};
    assertEquals(1.0, TrainingScores.auc(y, new double[] {0.1, 0.2, 0.8, 0.9}), 1e-12);
    assertEquals(0.0, TrainingScores.auc(y, new double[] {0.9, 0.8, 0.2, 0.1}), 1e-12);
    assertEquals(3.5 / 4, TrainingScores.auc(y, new double[] {0.1, 0.5, 0.5, 0.9}), 1e-12, "the tied pair counts half");
    assertEquals(0.5, TrainingScores.auc(y, new double[] {0.3, 0.3, 0.3, 0.3}), 1e-12);
    assertTrue(Double.isNaN(TrainingScores.auc(new int[] {1, 1}, new double[] {0.2, 0.3})));
  }

  @Test
  void logLossAndAccuracy() {
    int[] y = {1, 0};
    assertEquals(-Math.log(0.8), TrainingScores.logLoss(y, new double[] {0.8, 0.2}), 1e-12);
    assertEquals(0.5, TrainingScores.accuracy(y, new double[] {0.8, 0.6}, 0.5), 1e-12);
    assertEquals(1.0, TrainingScores.accuracy(y, new double[] {0.8, 0.6}, 0.7), 1e-12);
    assertTrue(Double.isFinite(TrainingScores.logLoss(y, new double[] {0.0, 1.0})), "clipped");
  }

  @Test
  void youdenThresholdSeparatesWhenPossible() {
    int[] y = {0, 0, 0, 1, 1};
    double[] s = {0.6, 0.7, 0.75, 0.8, 0.95};
    double t = TrainingScores.youdenThreshold(y, s);
    assertEquals(1.0, TrainingScores.accuracy(y, s, t), 1e-12, "threshold " + t);
    assertEquals(0.5, TrainingScores.youdenThreshold(new int[] {1}, new double[] {0.9}));
  }
}
