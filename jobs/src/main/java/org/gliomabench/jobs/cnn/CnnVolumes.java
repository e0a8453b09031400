package org.gliomabench.jobs.cnn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The volumes table as training input: patient metadata on the driver (checked, small) and the tensors
 * as a cached RDD keyed by patient id on the executors. A patient whose row cannot feed the network
 * (other shape, truncated tensor, bad label, cv without fold, duplicate id) is left out with a warning
 * naming it and the reason; the others go on.
 */
public final class CnnVolumes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CnnVolumes.class);

  /** A volumes row left out, and why. */
  public record Rejected(String patientId, String reason) {}

  private final int[] shape;
  private final List<FoldSplit.Member> members;
  private final List<Rejected> rejected;
  private final JavaPairRDD<String, CnnExample> examples;

  private CnnVolumes(int[] shape, List<FoldSplit.Member> members, List<Rejected> rejected,
      JavaPairRDD<String, CnnExample> examples) {
    this.shape = shape;
    this.members = members;
    this.rejected = rejected;
    this.examples = examples;
  }

  public static CnnVolumes load(Warehouse warehouse) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    List<Row> meta = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD),
            col(Volumes.SHAPE), length(col(Volumes.TENSOR)))
        .collectAsList();
    if (meta.isEmpty()) {
      throw new IllegalStateException("the volumes table at " + warehouse.path(Volumes.NAME)
          + " is empty: no CNN-usable patient was ingested");
    }
    int[] shape = VolumeRows.commonShape(meta);
    List<FoldSplit.Member> members = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Row r : meta) {
      String id = r.getString(0);
      String reason = check(r, shape, seen);
      if (reason != null) {
        rejected.add(new Rejected(id, reason));
        LOG.warn("train-cnn: leaving out patient {}: {}", id, reason);
        continue;
      }
      members.add(new FoldSplit.Member(id, r.getInt(1), r.getString(2), r.isNullAt(3) ? null : r.getInt(3)));
    }
    Set<String> accepted = new HashSet<>();
    members.forEach(m -> accepted.add(m.patientId()));
    Broadcast<Set<String>> ok = jsc.broadcast(accepted);
    int partitions = Math.max(jsc.defaultParallelism(), 1);
    JavaPairRDD<String, CnnExample> examples = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Volumes.TENSOR))
        .javaRDD()
        .filter(r -> ok.value().contains(r.getString(0)))
        .mapToPair(r -> new Tuple2<>(r.getString(0), new CnnExample(r.getString(0), r.getInt(1), r.getAs(2))))
        .partitionBy(new HashPartitioner(partitions))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    LOG.info("train-cnn: {} patients with tensors of shape {} ({} left out)", members.size(), Arrays.toString(shape),
        rejected.size());
    return new CnnVolumes(shape, List.copyOf(members), List.copyOf(rejected), examples);
  }

  private static String check(Row r, int[] shape, Set<String> seen) {
    String reason = VolumeRows.checkTensor(r, shape, seen);
    if (reason != null) {
      return reason;
    }
    if (r.isNullAt(1) || (r.getInt(1) != 0 && r.getInt(1) != 1)) {
      return "label must be 0 (LGG) or 1 (HGG), got " + (r.isNullAt(1) ? "null" : r.getInt(1));
    }
    return VolumeRows.checkCohort(r);
  }

  public int[] shape() {
    return shape.clone();
  }

  public List<FoldSplit.Member> members() {
    return members;
  }

  public List<Rejected> rejected() {
    return rejected;
  }

  public JavaPairRDD<String, CnnExample> examples() {
    return examples;
  }

  /** Labels by patient id. */
  public Map<String, Integer> labels() {
    Map<String, Integer> m = new HashMap<>();
    members.forEach(x -> m.put(x.patientId(), x.label()));
    return m;
  }

  /** The folds present in the cv cohort, ascending. */
  public List<Integer> folds() {
    return VolumeRows.folds(members);
  }

  @Override
  public void close() {
    examples.unpersist(false);
  }
}
