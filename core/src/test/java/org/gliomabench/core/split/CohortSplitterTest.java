package org.gliomabench.core.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.junit.jupiter.api.Test;

class CohortSplitterTest {

  /** BraTS 2020's 365 training patients: 293 HGG, 72 LGG (ids in any order). */
  private static Map<String, String> brats(int hgg, int lgg) {
    Map<String, String> g = new LinkedHashMap<>();
    for (int i = 0; i < hgg + lgg; i++) {
      g.put(String.format("BraTS20_Training_%03d", i + 1), i < hgg ? "HGG" : "LGG");
    }
    return g;
  }

  @Test
  void testCohortIsFifteenPercentOfEachGradeAndFoldsAreBalanced() {
    Map<String, Assignment> a = new CohortSplitter(0.15, 5, 1).assign(brats(293, 72), Map.of());
    assertEquals(365, a.size());
    long testHgg = a.entrySet().stream().filter(e -> e.getValue().isTest() && Integer.parseInt(e.getKey().substring(17)) <= 293).count();
    long testLgg = a.values().stream().filter(Assignment::isTest).count() - testHgg;
    assertEquals(Math.round(0.15 * 293), testHgg);
    assertEquals(Math.round(0.15 * 72), testLgg);
    assertEquals(55, testHgg + testLgg, "the study held out 55 patients");
    int[] perFold = new int[5];
    a.values().stream().filter(x -> !x.isTest()).forEach(x -> perFold[x.fold()]++);
    for (int f : perFold) {
      assertEquals(62, f, "310 cv patients over 5 folds: " + java.util.Arrays.toString(perFold));
    }
    a.values().stream().filter(Assignment::isTest).forEach(x -> assertEquals(null, x.fold()));
  }

  @Test
  void deterministicForASeedAndIndependentOfInputOrder() {
    Map<String, String> g = brats(40, 10);
    Map<String, String> reversed = new LinkedHashMap<>();
    java.util.List<String> ids = new java.util.ArrayList<>(g.keySet());
    java.util.Collections.reverse(ids);
    ids.forEach(k -> reversed.put(k, g.get(k)));
    CohortSplitter s = new CohortSplitter(0.15, 5, 42);
    assertEquals(s.assign(g, Map.of()), s.assign(reversed, Map.of()));
    assertNotEquals(s.assign(g, Map.of()), new CohortSplitter(0.15, 5, 43).assign(g, Map.of()),
        "another seed gives another split");
  }

  @Test
  void addingPatientsKeepsEveryExistingAssignment() {
    CohortSplitter s = new CohortSplitter(0.15, 5, 7);
    Map<String, Assignment> before = s.assign(brats(80, 20), Map.of());
    Map<String, String> grown = brats(80, 20);
    for (int i = 0; i < 30; i++) {
      grown.put("New_" + i, i % 5 == 0 ? "LGG" : "HGG");
    }
    Map<String, Assignment> after = s.assign(grown, before);
    before.forEach((id, a) -> assertEquals(a, after.get(id), id + " moved"));
    long test = after.values().stream().filter(Assignment::isTest).count();
    assertEquals(Math.round(0.15 * 104) + Math.round(0.15 * 26), test, "newcomers top the test cohort up to its share");
  }

  @Test
  void noPatientIsInTwoParts() {
    Map<String, Assignment> a = new CohortSplitter(0.2, 3, 3).assign(brats(30, 9), new HashMap<>());
    assertEquals(39, a.size());
    a.values().forEach(x -> assertTrue(x.isTest() ^ (x.fold() != null)));
  }
}
