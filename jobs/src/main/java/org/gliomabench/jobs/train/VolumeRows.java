package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.train.FoldSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks both trainers (train-cnn, train-seg) make of a volumes-table metadata row before it may feed a
 * network. Rows are selected as (patient_id, label, cohort, fold, shape, length(tensor), ...): the stage
 * adds its own columns after these and its own checks, which {@link #sort} runs between {@link #checkTensor}
 * and {@link #checkCohort}.
 */
public final class VolumeRows {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeRows.class);

  private VolumeRows() {}

  /** A volumes row left out, and why. */
  public record Rejected(String patientId, String reason) {}

  /** The cohort's common shape, the rows that may train (as fold members) and those left out. */
  public record Sorted(int[] shape, List<FoldSplit.Member> members, List<Rejected> rejected) {
    /** The accepted patient ids. */
    public Set<String> ids() {
      Set<String> ids = new HashSet<>();
      members.forEach(m -> ids.add(m.patientId()));
      return ids;
    }
  }

  /**
   * Checks every metadata row: {@link #checkTensor}, then the stage's own {@code stageCheck} (null when
   * fine), then {@link #checkCohort}. A row that fails is left out with a warning naming the patient and
   * the reason; the others go on.
   *
   * @param table where the rows came from, for the error when there are none
   * @param stage the stage's name in warnings
   */
  public static Sorted sort(List<Row> meta, String table, String stage, BiFunction<Row, int[], String> stageCheck) {
    if (meta.isEmpty()) {
      throw new IllegalStateException("the volumes table at " + table + " is empty: no CNN-usable patient was ingested");
    }
    int[] shape = commonShape(meta);
    List<FoldSplit.Member> members = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Row r : meta) {
      String id = r.getString(0);
      String reason = checkTensor(r, shape, seen);
      if (reason == null) {
        reason = stageCheck.apply(r, shape);
      }
      if (reason == null) {
        reason = checkCohort(r);
      }
      if (reason != null) {
        rejected.add(new Rejected(id, reason));
        LOG.warn("{}: leaving out patient {}: {}", stage, id, reason);
        continue;
      }
      members.add(new FoldSplit.Member(id, r.getInt(1), r.getString(2), r.isNullAt(3) ? null : r.getInt(3)));
    }
    return new Sorted(shape, List.copyOf(members), List.copyOf(rejected));
  }

  /** The folds to train: the requested ones (all present in {@code present}) or, when none, all present. */
  public static List<Integer> foldsToTrain(List<Integer> requested, List<Integer> present) {
    for (int f : requested) {
      if (!present.contains(f)) {
        throw new ConfigException("fold " + f + " has no patients in the volumes table (folds present: " + present + ")");
      }
    }
    return requested.isEmpty() ? present : requested;
  }

  /** The shape most rows share; the others are rejected rather than sinking the run. */
  public static int[] commonShape(List<Row> meta) {
    Map<List<Integer>, Integer> counts = new LinkedHashMap<>();
    for (Row r : meta) {
      if (!r.isNullAt(4)) {
        counts.merge(r.getList(4), 1, Integer::sum);
      }
    }
    List<Integer> best = counts.entrySet().stream().max(Map.Entry.comparingByValue())
        .orElseThrow(() -> new IllegalStateException("no volumes row has a shape")).getKey();
    return best.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A duplicate id, a missing or different shape, or a tensor of the wrong size; null when the row is fine. */
  public static String checkTensor(Row r, int[] shape, Set<String> seen) {
    if (!seen.add(r.getString(0))) {
      return "duplicate patient id in the volumes table";
    }
    if (r.isNullAt(4)) {
      return "no shape recorded";
    }
    List<Integer> s = r.getList(4);
    if (s.size() != 4 || !s.equals(Arrays.stream(shape).boxed().toList())) {
      return "shape " + s + " differs from the cohort's " + Arrays.toString(shape);
    }
    long expectedBytes = 4L * Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    if (r.isNullAt(5) || r.getInt(5) != expectedBytes) {
      return "tensor has " + (r.isNullAt(5) ? "no" : r.getInt(5)) + " bytes; shape " + s + " needs " + expectedBytes;
    }
    return null;
  }

  /** A test row, or a cv row with its fold; null when the row is fine. */
  public static String checkCohort(Row r) {
    String cohort = r.isNullAt(2) ? null : r.getString(2);
    if (Tables.COHORT_CV.equals(cohort)) {
      return r.isNullAt(3) ? "cohort 'cv' without a fold" : null;
    }
    return Tables.COHORT_TEST.equals(cohort) ? null : "unknown cohort '" + cohort + "'";
  }

  /** The folds present in the cv cohort, ascending. */
  public static List<Integer> folds(List<FoldSplit.Member> members) {
    return members.stream().filter(m -> m.fold() != null && Tables.COHORT_CV.equals(m.cohort()))
        .map(FoldSplit.Member::fold).distinct().sorted().toList();
  }
}
