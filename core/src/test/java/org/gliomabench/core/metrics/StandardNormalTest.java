package org.gliomabench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StandardNormalTest {

  /**
   * Reference: Python's math.erfc (scripts/metrics_reference.py), P(Z > x) = erfc(x / sqrt 2) / 2.
   * Relative 1e-14; far out (x > 8) 1e-13, as exp(-x^2/2) carries the rounding of its argument
   * (x = 20: 200 * 1.1e-16).
   */
  @Test
  void upperTailMatchesErfcRelatively() {
    double[][] reference = {
        {0, 0.5},
        {0.5, 0.3085375387259869},
        {0.999, 0.15889734564131833},
        {1, 0.15865525393145707},
        {1.5, 0.06680720126885809},
        {2, 0.02275013194817922},
        {1.96, 0.024997895148220435},
        {2.5, 0.006209665325776139},
        {2.999, 0.0013543365337271066},
        {3, 0.0013498980316300957},
        {3.5, 0.00023262907903552504},
        {5, 2.866515718791946e-07},
        {8, 6.220960574271819e-16},
        {12, 1.776482112077702e-33},
        {20, 2.7536241186063314e-89},
    };
    for (double[] r : reference) {
      double relative = r[0] > 8 ? 1e-13 : 1e-14;
      assertEquals(r[1], StandardNormal.upperTail(r[0]), relative * r[1], "x = " + r[0]);
    }
  }

  @Test
  void symmetryAndTwoSidedP() {
    assertEquals(1 - 0.15865525393145707, StandardNormal.upperTail(-1), 1e-15);
    assertEquals(2 * 0.024997895148220435, StandardNormal.twoSidedP(-1.96), 1e-15);
    assertEquals(1.0, StandardNormal.twoSidedP(0), 0);
    assertEquals(0.0, StandardNormal.upperTail(60), 0);
  }
}
