package org.gliomabench.jobs.cnn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import java.util.Arrays;
import java.util.HashMap;
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

  private final int[] shape;
  private final List<FoldSplit.Member> members;
  private final List<VolumeRows.Rejected> rejected;
  private final JavaPairRDD<String, CnnExample> examples;

  private CnnVolumes(int[] shape, List<FoldSplit.Member> members, List<VolumeRows.Rejected> rejected,
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
    VolumeRows.Sorted sorted = VolumeRows.sort(meta, warehouse.path(Volumes.NAME), "train-cnn",
        CnnVolumes::checkLabel);
    int[] shape = sorted.shape();
    List<FoldSplit.Member> members = sorted.members();
    List<VolumeRows.Rejected> rejected = sorted.rejected();
    Broadcast<Set<String>> ok = jsc.broadcast(sorted.ids());
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
    return new CnnVolumes(shape, members, rejected, examples);
  }

  /** The CNN needs a 0/1 label; null when the row has one. */
  private static String checkLabel(Row r, int[] shape) {
    if (r.isNullAt(1) || (r.getInt(1) != 0 && r.getInt(1) != 1)) {
      return "label must be 0 (LGG) or 1 (HGG), got " + (r.isNullAt(1) ? "null" : r.getInt(1));
    }
    return null;
  }

  public int[] shape() {
    return shape.clone();
  }

  public List<FoldSplit.Member> members() {
    return members;
  }

  public List<VolumeRows.Rejected> rejected() {
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
