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
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks both trainers (train-cnn, train-seg) make of a volumes-table metadata row before it may feed a
 * network. Rows hold patient_id, label, cohort, fold, shape and the tensor's length as {@link #TENSOR_BYTES}
 * (read by name): the stage adds its own columns and its own checks, which {@link #sort} runs between
 * {@link #checkTensor} and {@link #checkCohort}.
 */
public final class VolumeRows {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeRows.class);
  /** The metadata rows' length(tensor) and length(mask) columns. */
  public static final String TENSOR_BYTES = "tensor_bytes";
  public static final String MASK_BYTES = "mask_bytes";

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
      String id = SparkTables.string(r, Tables.PATIENT_ID);
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
      members.add(new FoldSplit.Member(id, SparkTables.intValue(r, Tables.LABEL), SparkTables.string(r, Tables.COHORT),
          SparkTables.intOrNull(r, Tables.FOLD)));
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
      List<Integer> shape = SparkTables.list(r, Volumes.SHAPE);
      if (shape != null) {
        counts.merge(shape, 1, Integer::sum);
      }
    }
    List<Integer> best = counts.entrySet().stream().max(Map.Entry.comparingByValue())
        .orElseThrow(() -> new IllegalStateException("no volumes row has a shape")).getKey();
    return best.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A duplicate id, a missing or different shape, or a tensor of the wrong size; null when the row is fine. */
  public static String checkTensor(Row r, int[] shape, Set<String> seen) {
    if (!seen.add(SparkTables.string(r, Tables.PATIENT_ID))) {
      return "duplicate patient id in the volumes table";
    }
    List<Integer> s = SparkTables.list(r, Volumes.SHAPE);
    if (s == null) {
      return "no shape recorded";
    }
    if (s.size() != 4 || !s.equals(Arrays.stream(shape).boxed().toList())) {
      return "shape " + s + " differs from the cohort's " + Arrays.toString(shape);
    }
    long expectedBytes = 4L * Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    Integer bytes = SparkTables.intOrNull(r, TENSOR_BYTES);
    if (bytes == null || bytes != expectedBytes) {
      return "tensor has " + (bytes == null ? "no" : bytes) + " bytes; shape " + s + " needs " + expectedBytes;
    }
    return null;
  }

  /** A test row, or a cv row with its fold; null when the row is fine. */
  public static String checkCohort(Row r) {
    String cohort = SparkTables.string(r, Tables.COHORT);
    if (Tables.COHORT_CV.equals(cohort)) {
      return SparkTables.isNull(r, Tables.FOLD) ? "cohort 'cv' without a fold" : null;
    }
    return Tables.COHORT_TEST.equals(cohort) ? null : "unknown cohort '" + cohort + "'";
  }

  /** The folds present in the cv cohort, ascending. */
  public static List<Integer> folds(List<FoldSplit.Member> members) {
    return members.stream().filter(m -> m.fold() != null && Tables.COHORT_CV.equals(m.cohort()))
        .map(FoldSplit.Member::fold).distinct().sorted().toList();
  }
}
