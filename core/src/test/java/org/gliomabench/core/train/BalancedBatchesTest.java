package org.gliomabench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancedBatchesTest {
  /** 23 HGG and 7 LGG, roughly BraTS's 3:1. */
  private static List<BalancedBatches.Item> cohort() {
    List<BalancedBatches.Item> items = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      items.add(new BalancedBatches.Item("hgg" + i, 1));
    }
    for (int i = 0; i < 7; i++) {
      items.add(new BalancedBatches.Item("lgg" + i, 0));
    }
    return items;
  }

  @Test
  void everyBatchIsBalancedAndLggIsOversampledToTheHggCount() {
    for (int batch : new int[] {2, 4, 5, 16}) {
      List<List<String>> plan = BalancedBatches.plan(cohort(), batch, 11);
      int hgg = 0;
      int lgg = 0;
      Map<String, Integer> seen = new HashMap<>();
      for (List<String> b : plan) {
        int h = (int) b.stream().filter(id -> id.startsWith("hgg")).count();
        int l = b.size() - h;
        assertTrue(b.size() <= batch);
        assertTrue(Math.abs(h - l) <= 1, "batch " + b + " of size " + batch + " is balanced");
        hgg += h;
        lgg += l;
        b.forEach(id -> seen.merge(id, 1, Integer::sum));
      }
      assertEquals(23, hgg, "each HGG once");
      assertEquals(23, lgg, "LGG oversampled to 23");
      assertEquals(30, seen.size(), "every patient appears");
      for (int i = 0; i < 7; i++) {
        int copies = seen.get("lgg" + i);
        assertTrue(copies == 3 || copies == 4, "LGG copies spread evenly: " + copies);
      }
      assertTrue(plan.stream().limit(plan.size() - 1).allMatch(b -> b.size() == batch), "only the last batch may be short");
    }
  }

  @Test
  void isDeterministicPerSeedAndDiffersBetweenEpochs() {
    long s1 = BalancedBatches.epochSeed(2020, 0, 1);
    long s2 = BalancedBatches.epochSeed(2020, 0, 2);
    assertEquals(BalancedBatches.plan(cohort(), 8, s1), BalancedBatches.plan(cohort(), 8, s1));
    assertNotEquals(BalancedBatches.plan(cohort(), 8, s1), BalancedBatches.plan(cohort(), 8, s2));
    assertNotEquals(BalancedBatches.epochSeed(2020, 1, 1), s1);
    assertEquals(new HashSet<>(List.of(s1, s2)).size(), 2);
  }

  @Test
  void needsBothClasses() {
    List<BalancedBatches.Item> onlyHgg = List.of(new BalancedBatches.Item("a", 1), new BalancedBatches.Item("b", 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalancedBatches.plan(onlyHgg, 4, 1));
    assertTrue(e.getMessage().contains("0 LGG"), e.getMessage());
  }
}
