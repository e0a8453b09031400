package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegFoldStateTest {

  static SegEpoch epoch(int e, double wt) {
    return new SegEpoch(2, e, 0.5, 0.4, wt, 0.3, Double.NaN, 1.5, 7.0, 26);
  }

  @Test
  void keepsTheEpochWithTheBestValidationWholeTumourDiceAndRoundTrips() {
    SegFoldState s = SegFoldState.start(2).after(epoch(1, 0.2)).after(epoch(2, 0.7)).after(epoch(3, 0.7))
        .after(epoch(4, Double.NaN));
    assertEquals(2, s.bestEpoch(), "a tie keeps the earlier epoch, NaN never wins");
    SegFoldState back = SegFoldState.parse(s.finished().serialize());
    assertEquals(s.finished(), back);
    assertTrue(back.done());
    assertTrue(Double.isNaN(back.history().get(0).valDiceEt()));
    assertThrows(IllegalArgumentException.class, () -> SegFoldState.parse("fold=1\nepochs_done=2\n"));
  }
}
