package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class McNemarTest {

  @Test
  void handComputedPValues() {
    // b=1 c=5: n=6, P(X<=1) = (C(6,0) + C(6,1)) / 2^6 = 7/64; two-sided 14/64.
    assertEquals(14.0 / 64, McNemar.exactPValue(1, 5), 1e-15);
    // b=0 c=7: 2 * 1/128.
    assertEquals(2.0 / 128, McNemar.exactPValue(0, 7), 1e-15);
    // b=11 c=1: 2 * (1 + 12) / 4096 = 26/4096.
    assertEquals(26.0 / 4096, McNemar.exactPValue(11, 1), 1e-15);
    // Equal discordant counts, and none at all: no evidence, p = 1 (2 * P(X<=b) > 1 is capped).
    assertEquals(1.0, McNemar.exactPValue(4, 4), 0);
    assertEquals(1.0, McNemar.exactPValue(0, 0), 0);
  }

  /** Reference: scripts/metrics_reference.py, exact Fractions of 2 * sum(math.comb(n, k) for k <= min(b, c)) / 2**n. */
  @Test
  void largerCountsAgainstExactPythonReference() {
    assertEquals(0.09228515625, McNemar.exactPValue(3, 10), 1e-15);
    assertEquals(0.08168153394154005, McNemar.exactPValue(25, 40), 1e-15);
    assertEquals(0.0060157938610449525, McNemar.exactPValue(700, 600), 1e-15);
    assertEquals(McNemar.exactPValue(40, 25), McNemar.exactPValue(25, 40), 0, "symmetric in b and c");
  }

  @Test
  void countsTheFourCellsFromPredictions() {
    int[] labels = {1, 1, 1, 1, 0, 0, 0, 0, 1, 0};
    int[] cnn = {1, 1, 0, 0, 0, 0, 1, 1, 1, 0};
    int[] llm = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
    // i:      0  1  2  3  4  5  6  7  8  9
    // cnn ok: y  y  n  n  y  y  n  n  y  y
    // llm ok: y  y  y  y  n  n  n  n  n  n
    // both 2 (0,1); only cnn 4 (4,5,8,9); only llm 2 (2,3); neither 2 (6,7)
    McNemar t = McNemar.test(labels, cnn, llm);
    assertEquals(2, t.bothCorrect());
    assertEquals(4, t.onlyFirstCorrect());
    assertEquals(2, t.onlySecondCorrect());
    assertEquals(2, t.bothWrong());
    // b=4 c=2: 2 * (1 + 6 + 15) / 64 = 44/64
    assertEquals(44.0 / 64, t.pValue(), 1e-15);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> McNemar.exactPValue(-1, 3));
    assertThrows(IllegalArgumentException.class,
        () -> McNemar.test(new int[] {0, 1}, new int[] {0, 1}, new int[] {0}));
  }
}
