package org.gliomabench.core.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Patient-level splits stratified by grade: a held-out test cohort (a fraction of each grade) and k folds
 * over the rest. Deterministic for a seed: patients are ordered by a hash of (seed, id), never by input
 * order. Stable when patients are added: patients that already have an assignment keep it, and newcomers
 * fill whichever part of their grade is short of its share, so existing results stay comparable.
 */
public final class CohortSplitter {

  /** Where a patient goes: {@code fold} is null for the test cohort. */
  public record Assignment(String cohort, Integer fold) implements java.io.Serializable {
    public static final String TEST = "test";
    public static final String CV = "cv";

    public boolean isTest() {
      return TEST.equals(cohort);
    }
  }

  private final double testFraction;
  private final int folds;
  private final long seed;

  public CohortSplitter(double testFraction, int folds, long seed) {
    if (testFraction < 0 || testFraction >= 1) {
      throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
    }
    if (folds < 2) {
      throw new IllegalArgumentException("at least 2 folds are needed, got " + folds);
    }
    this.testFraction = testFraction;
    this.folds = folds;
    this.seed = seed;
  }

  /** A string that changes when the split's parameters change (existing assignments are kept only if equal). */
  public String key() {
    return "test=" + testFraction + ";folds=" + folds + ";seed=" + seed;
  }

  /**
   * @param grades patient id to grade (the stratum)
   * @param existing assignments made before (for the same {@link #key()}); patients not in {@code grades} are ignored
   */
  public Map<String, Assignment> assign(Map<String, String> grades, Map<String, Assignment> existing) {
    Map<String, List<String>> byGrade = new TreeMap<>();
    grades.forEach((id, grade) -> byGrade.computeIfAbsent(grade, g -> new ArrayList<>()).add(id));
    Map<String, Assignment> out = new LinkedHashMap<>();
    // Fold sizes over all grades: ties within a grade go to the smaller fold, so folds stay even overall.
    int[] total = new int[folds];
    existing.forEach((id, a) -> {
      if (grades.containsKey(id) && !a.isTest() && a.fold() != null && a.fold() >= 0 && a.fold() < folds) {
        total[a.fold()]++;
      }
    });
    for (Map.Entry<String, List<String>> stratum : byGrade.entrySet()) {
      List<String> ids = stratum.getValue();
      int testTarget = (int) Math.round(testFraction * ids.size());
      int testCount = 0;
      int[] foldCount = new int[folds];
      List<String> newcomers = new ArrayList<>();
      for (String id : ids) {
        Assignment a = existing.get(id);
        if (a == null || (!a.isTest() && (a.fold() == null || a.fold() < 0 || a.fold() >= folds))) {
          newcomers.add(id);
        } else {
          out.put(id, a);
          if (a.isTest()) {
            testCount++;
          } else {
            foldCount[a.fold()]++;
          }
        }
      }
      Map<String, String> order = new HashMap<>();
      for (String id : newcomers) {
        order.put(id, hash(id));
      }
      newcomers.sort(Comparator.comparing(order::get));
      for (String id : newcomers) {
        if (testCount < testTarget) {
          out.put(id, new Assignment(Assignment.TEST, null));
          testCount++;
        } else {
          int f = 0;
          for (int i = 1; i < folds; i++) {
            if (foldCount[i] < foldCount[f] || (foldCount[i] == foldCount[f] && total[i] < total[f])) {
              f = i;
            }
          }
          out.put(id, new Assignment(Assignment.CV, f));
          foldCount[f]++;
          total[f]++;
        }
      }
    }
    return out;
  }

  private String hash(String id) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] h = md.digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", h[i]));
      }
      return sb.append(id).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
