package org.gliomabench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.gliomabench.core.seg.SegEpoch;
import org.junit.jupiter.api.Test;

/** A fold's state for both arms: the kept epoch by each arm's rule, text round trips, earlier files still read. */
class FoldStateTest {
  private static CnnEpoch epoch(int e, double valLoss, double valAuc) {
    return new CnnEpoch(2, e, 0.7, 0.6, 0.5, 0.55, valLoss, 0.5, valAuc, 1.5, 10.0, 30);
  }

  private static SegEpoch segEpoch(int e, double wt) {
    return new SegEpoch(2, e, 0.5, 0.4, wt, 0.3, Double.NaN, 1.5, 7.0, 26);
  }

  private static final FoldState.BestRule<CnnEpoch> LOSS = BestEpochCriterion.VAL_LOSS::improves;
  private static final FoldState.BestRule<SegEpoch> WT_DICE = SegEpoch::improvesOn;

  @Test
  void tracksTheBestEpochAndRoundTripsThroughText() {
    FoldState<CnnEpoch> s = FoldState.<CnnEpoch>start(2)
        .after(epoch(1, 0.9, 0.6), LOSS)
        .after(epoch(2, 0.5, Double.NaN), LOSS)
        .after(epoch(3, 0.7, 0.9), LOSS);
    assertEquals(2, s.bestEpoch());
    assertEquals(3, s.epochsDone());
    FoldState<CnnEpoch> back = FoldState.parse(s.serialize(), CnnEpoch::fromLine);
    assertEquals(s, back);
    assertTrue(Double.isNaN(back.history().get(1).valAuc()));
    FoldState<CnnEpoch> done = FoldState.parse(s.finished(Map.of("threshold", "0.42")).serialize(), CnnEpoch::fromLine);
    assertTrue(done.done());
    assertEquals(0.42, done.result("threshold"));
  }

  @Test
  void aucCriterionBreaksTiesByLoss() {
    FoldState.BestRule<CnnEpoch> auc = BestEpochCriterion.VAL_AUC::improves;
    FoldState<CnnEpoch> s = FoldState.<CnnEpoch>start(0)
        .after(epoch(1, 0.6, 1.0), auc)
        .after(epoch(2, 0.3, 1.0), auc)
        .after(epoch(3, 0.2, 0.9), auc);
    assertEquals(2, s.bestEpoch());
  }

  @Test
  void theUNetKeepsTheEpochWithTheBestValidationWholeTumourDiceAndRoundTrips() {
    FoldState<SegEpoch> s = FoldState.<SegEpoch>start(2).after(segEpoch(1, 0.2), WT_DICE)
        .after(segEpoch(2, 0.7), WT_DICE).after(segEpoch(3, 0.7), WT_DICE).after(segEpoch(4, Double.NaN), WT_DICE);
    assertEquals(2, s.bestEpoch(), "a tie keeps the earlier epoch, NaN never wins");
    FoldState<SegEpoch> back = FoldState.parse(s.finished(Map.of()).serialize(), SegEpoch::fromLine);
    assertEquals(s.finished(Map.of()), back);
    assertTrue(back.done());
    assertTrue(Double.isNaN(back.history().get(0).valDiceEt()));
    assertThrows(IllegalArgumentException.class, () -> FoldState.parse("fold=1\nepochs_done=2\n", SegEpoch::fromLine));
  }

  /** Checkpoints written before the arms shared one state (format 1, seg-1) still resume. */
  @Test
  void readsTheStateFilesOfEarlierVersions() {
    String cnn = "format=1\nfold=2\nepochs_done=1\nbest_epoch=1\ndone=true\nthreshold=0.37\nepoch="
        + epoch(1, 0.5, 0.8).toLine() + "\n";
    FoldState<CnnEpoch> c = FoldState.parse(cnn, CnnEpoch::fromLine);
    assertEquals(0.37, c.result("threshold"));
    assertTrue(c.done());
    String running = cnn.replace("done=true", "done=false").replace("threshold=0.37", "threshold=NaN");
    assertTrue(Double.isNaN(FoldState.parse(running, CnnEpoch::fromLine).result("threshold")));
    String seg = "format=seg-1\nfold=2\nepochs_done=1\nbest_epoch=1\ndone=false\nepoch=" + segEpoch(1, 0.6).toLine() + "\n";
    assertEquals(0.6, FoldState.parse(seg, SegEpoch::fromLine).bestRecord().valDiceWt());
  }

  @Test
  void checkpointNamesParseBack() {
    assertEquals(7, CheckpointNames.stateEpoch(CheckpointNames.state(7)).getAsInt());
    assertEquals(12, CheckpointNames.bestEpoch(CheckpointNames.best(12)).getAsInt());
    assertTrue(CheckpointNames.stateEpoch(CheckpointNames.model(7)).isEmpty());
    assertTrue(CheckpointNames.modelEpoch(CheckpointNames.best(7)).isEmpty());
  }
}
