package org.gliomabench.jobs.cnn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.train.FoldSplit;

/**
 * The checks both trainers (train-cnn, train-seg) make of a volumes-table metadata row before it may feed a
 * network. Rows are selected as (patient_id, label, cohort, fold, shape, length(tensor), ...): the stage
 * adds its own columns after these and its own checks between {@link #checkTensor} and {@link #checkCohort}.
 */
public final class VolumeRows {
  private VolumeRows() {}

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
