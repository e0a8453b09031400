package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The winner-takes-all vote over a patient's slices: the bucket with the most answers wins, and a tie
 * goes to the bucket that comes first in the tie order. The default order lgg, hgg, none, unparseable
 * reproduces the study's example (tally [24, 20, 24, 10] gave LGG). llm_votes.sql applies the same
 * rule through the ranks of {@link #sqlParameters()}; this class is the rule in plain Java.
 */
public final class VoteRule {
  /** The tally buckets, in the order of a tally array [LGG, HGG, none, unparseable]. */
  public static final List<String> BUCKETS = List.of("LGG", "HGG", "none", "unparseable");
  public static final String NO_ANSWER = "no_answer";

  private final int[] rank = new int[BUCKETS.size()];

  /** @param tieOrder the four buckets, first wins a tie, e.g. ["lgg", "hgg", "none", "unparseable"] */
  public VoteRule(List<String> tieOrder) {
    List<String> lower = new ArrayList<>();
    BUCKETS.forEach(b -> lower.add(b.toLowerCase(Locale.ROOT)));
    if (tieOrder.size() != BUCKETS.size()) {
      throw new IllegalArgumentException("the vote tie order must list the 4 buckets " + lower + " once each, got " + tieOrder);
    }
    boolean[] seen = new boolean[BUCKETS.size()];
    for (int position = 0; position < tieOrder.size(); position++) {
      int b = lower.indexOf(tieOrder.get(position).trim().toLowerCase(Locale.ROOT));
      if (b < 0 || seen[b]) {
        throw new IllegalArgumentException("the vote tie order must list the 4 buckets " + lower + " once each, got " + tieOrder);
      }
      seen[b] = true;
      rank[b] = position;
    }
  }

  public static VoteRule studyDefault() {
    return new VoteRule(List.of("lgg", "hgg", "none", "unparseable"));
  }

  /** The vote for a tally [LGG, HGG, none, unparseable]; {@link #NO_ANSWER} when it is all zeros. */
  public String vote(int... tally) {
    if (tally.length != BUCKETS.size()) {
      throw new IllegalArgumentException("a tally has 4 counts [LGG, HGG, none, unparseable], got " + tally.length);
    }
    int best = -1;
    for (int b = 0; b < tally.length; b++) {
      if (tally[b] < 0) {
        throw new IllegalArgumentException("negative count in tally at " + BUCKETS.get(b));
      }
      if (tally[b] > 0 && (best < 0 || tally[b] > tally[best] || (tally[b] == tally[best] && rank[b] < rank[best]))) {
        best = b;
      }
    }
    return best < 0 ? NO_ANSWER : BUCKETS.get(best);
  }

  /** The ranks llm_votes.sql sorts ties by (${rank_lgg} ...). */
  public Map<String, String> sqlParameters() {
    Map<String, String> p = new TreeMap<>();
    for (int b = 0; b < BUCKETS.size(); b++) {
      p.put("rank_" + BUCKETS.get(b).toLowerCase(Locale.ROOT), Integer.toString(rank[b]));
    }
    return p;
  }
}
