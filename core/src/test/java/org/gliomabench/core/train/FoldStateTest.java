package org.gliomabench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FoldStateTest {
  private static EpochRecord epoch(int e, double valLoss, double valAuc) {
    return new EpochRecord(2, e, 0.7, 0.6, 0.5, 0.55, valLoss, 0.5, valAuc, 1.5, 10.0, 30);
  }

  @Test
  void tracksTheBestEpochAndRoundTripsThroughText() {
    FoldState s = FoldState.start(2)
        .after(epoch(1, 0.9, 0.6), BestEpochCriterion.VAL_LOSS)
        .after(epoch(2, 0.5, Double.NaN), BestEpochCriterion.VAL_LOSS)
        .after(epoch(3, 0.7, 0.9), BestEpochCriterion.VAL_LOSS);
    assertEquals(2, s.bestEpoch());
    assertEquals(3, s.epochsDone());
    FoldState back = FoldState.parse(s.serialize());
    assertEquals(s, back);
    assertTrue(Double.isNaN(back.history().get(1).valAuc()));
    FoldState done = FoldState.parse(s.finished(0.42).serialize());
    assertTrue(done.done());
    assertEquals(0.42, done.threshold());
  }

  @Test
  void aucCriterionBreaksTiesByLoss() {
    FoldState s = FoldState.start(0)
        .after(epoch(1, 0.6, 1.0), BestEpochCriterion.VAL_AUC)
        .after(epoch(2, 0.3, 1.0), BestEpochCriterion.VAL_AUC)
        .after(epoch(3, 0.2, 0.9), BestEpochCriterion.VAL_AUC);
    assertEquals(2, s.bestEpoch());
  }

  @Test
  void checkpointNamesParseBack() {
    assertEquals(7, CheckpointNames.stateEpoch(CheckpointNames.state(7)).getAsInt());
    assertEquals(12, CheckpointNames.bestEpoch(CheckpointNames.best(12)).getAsInt());
    assertTrue(CheckpointNames.stateEpoch(CheckpointNames.model(7)).isEmpty());
    assertTrue(CheckpointNames.modelEpoch(CheckpointNames.best(7)).isEmpty());
  }
}
