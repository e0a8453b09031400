package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

  @Test
  void matchesPublishedWilsonIntervals() {
    // Newcombe (1998), table I: 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611.
    double[] a = WilsonInterval.of95(81, 263);
    assertEquals(0.2553, a[0], 1e-4);
    assertEquals(0.3662, a[1], 1e-4);
    double[] b = WilsonInterval.of95(15, 148);
    assertEquals(0.0624, b[0], 1e-4);
    assertEquals(0.1605, b[1], 1e-4);
    double[] c = WilsonInterval.of95(0, 20);
    assertEquals(0.0, c[0], 1e-12);
    assertEquals(0.1611, c[1], 1e-4);
  }

  @Test
  void theStudysUnanimousSliceStillGetsAnIntervalBelowOne() {
    double[] i = WilsonInterval.of95(95, 95);
    assertEquals(1.0, i[1], 1e-12);
    assertEquals(0.9612, i[0], 1e-3);
    assertNull(WilsonInterval.of95(0, 0));
    assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(5, 4));
  }
}
