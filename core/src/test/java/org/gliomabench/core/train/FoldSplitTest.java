package org.gliomabench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FoldSplitTest {
  @Test
  void testCohortNeverTrainsAndEachFoldValidatesOnItself() {
    List<FoldSplit.Member> members = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean test = i % 6 == 0;
      members.add(new FoldSplit.Member("p" + i, i % 3 == 0 ? 0 : 1, test ? "test" : "cv", test ? null : i % 5));
    }
    members.add(new FoldSplit.Member("orphan", 1, "cv", null));
    for (int k = 0; k < 5; k++) {
      FoldSplit s = FoldSplit.of(members, k);
      Set<String> train = new HashSet<>(s.trainIds());
      for (String t : s.test()) {
        assertTrue(!train.contains(t) && !s.validation().contains(t), t + " of the test cohort stays out of fold " + k);
      }
      for (String v : s.validation()) {
        assertTrue(!train.contains(v));
      }
      assertEquals(5, s.test().size());
      assertEquals(30 - 5, train.size() + s.validation().size(), "every cv patient with a fold is used once");
      assertTrue(!train.contains("orphan"));
    }
    assertThrows(IllegalArgumentException.class, () -> FoldSplit.of(members, 7));
  }
}
