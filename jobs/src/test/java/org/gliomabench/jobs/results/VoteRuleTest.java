package org.gliomabench.jobs.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VoteRuleTest {
  private final VoteRule study = VoteRule.studyDefault();

  @Test
  void theStudysExampleTallyGoesToLgg() {
    // [LGG 24, HGG 20, no glioma 24, unparseable 10]: LGG and "no glioma" tie at 24; the study reported LGG.
    assertEquals("LGG", study.vote(24, 20, 24, 10));
  }

  @Test
  void theLargestBucketWinsWithoutATie() {
    assertEquals("HGG", study.vote(3, 9, 2, 1));
    assertEquals("none", study.vote(3, 2, 9, 1));
    assertEquals("unparseable", study.vote(1, 2, 0, 5));
  }

  @Test
  void tiesFollowTheOrderLggHggNoneUnparseable() {
    assertEquals("LGG", study.vote(5, 5, 5, 5));
    assertEquals("HGG", study.vote(1, 5, 5, 5));
    assertEquals("none", study.vote(1, 2, 5, 5));
    assertEquals("LGG", study.vote(4, 4, 0, 0));
  }

  @Test
  void aTallyWithoutAnyAnswerIsNoAnswer() {
    assertEquals(VoteRule.NO_ANSWER, study.vote(0, 0, 0, 0));
  }

  @Test
  void anotherOrderChangesOnlyTheTies() {
    VoteRule hggFirst = new VoteRule(List.of("HGG", "none", "lgg", "unparseable"));
    assertEquals("HGG", hggFirst.vote(4, 4, 0, 0));
    assertEquals("none", hggFirst.vote(24, 20, 24, 10));
    assertEquals("LGG", hggFirst.vote(9, 4, 0, 0));
    assertEquals("0", hggFirst.sqlParameters().get("rank_hgg"));
    assertEquals("2", hggFirst.sqlParameters().get("rank_lgg"));
  }

  @Test
  void aBadOrderIsRejectedWithTheBucketsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VoteRule(List.of("lgg", "hgg", "lgg", "none")));
    assertTrue(e.getMessage().contains("unparseable"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VoteRule(List.of("lgg", "hgg", "none")));
    assertThrows(IllegalArgumentException.class, () -> study.vote(1, 2, 3));
  }
}
