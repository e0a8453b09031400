package org.gliomabench.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.Tables;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.SparkTables;
import org.gliomabench.jobs.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The volumes table as training input for either arm: patient metadata on the driver (checked, small) and the
 * examples as a cached RDD keyed by patient id on the executors. A patient whose row cannot feed the arm's
 * network (other shape, truncated tensor or mask, bad label, cv without fold, duplicate id) is left out with a
 * warning naming it and the reason; the others go on.
 */
public final class TrainingVolumes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingVolumes.class);


  private final int[] shape;
  private final List<FoldSplit.Member> members;
  private final List<VolumeRows.Rejected> rejected;
  private final JavaPairRDD<String, VolumeExample> examples;

  private TrainingVolumes(int[] shape, List<FoldSplit.Member> members, List<VolumeRows.Rejected> rejected,
      JavaPairRDD<String, VolumeExample> examples) {
    this.shape = shape;
    this.members = members;
    this.rejected = rejected;
    this.examples = examples;
  }

  /** What an arm requires of a row beyond a sound tensor and cohort: null when the row may train, else why not. */
  public interface RowCheck extends BiFunction<Row, int[], String> {}

  /** The CNN's check: a 0/1 label. */
  public static final RowCheck LABELLED = (r, shape) -> {
    Integer label = SparkTables.intOrNull(r, Tables.LABEL);
    return label == null || (label != 0 && label != 1) ? "label must be 0 (LGG) or 1 (HGG), got " + label : null;
  };

  /** The U-Net's check: a label mask of the grid's size and the crop box. */
  public static final RowCheck MASKED = (r, shape) -> {
    long voxels = (long) shape[1] * shape[2] * shape[3];
    Integer maskBytes = SparkTables.intOrNull(r, VolumeRows.MASK_BYTES);
    if (maskBytes == null || maskBytes != voxels) {
      return "label mask has " + (maskBytes == null ? "no" : maskBytes) + " bytes; the grid needs " + voxels;
    }
    int[] origin = SparkTables.ints(r, Volumes.CROP_ORIGIN);
    int[] extent = SparkTables.ints(r, Volumes.CROP_EXTENT);
    if (origin == null || extent == null || origin.length != 3 || extent.length != 3) {
      return "no crop origin/extent recorded";
    }
    return null;
  };

  /**
   * @param stage the stage's name in warnings ("train-cnn")
   * @param check the arm's own check of each row
   */
  public static TrainingVolumes load(Warehouse warehouse, String stage, RowCheck check) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    List<Row> meta = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD),
            col(Volumes.SHAPE), length(col(Volumes.TENSOR)).as(VolumeRows.TENSOR_BYTES),
            length(col(Volumes.MASK)).as(VolumeRows.MASK_BYTES), col(Volumes.CROP_ORIGIN), col(Volumes.CROP_EXTENT))
        .collectAsList();
    VolumeRows.Sorted sorted = VolumeRows.sort(meta, warehouse.path(Volumes.NAME), stage, check);
    Broadcast<Set<String>> ok = jsc.broadcast(sorted.ids());
    JavaPairRDD<String, VolumeExample> examples = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Volumes.TENSOR), col(Volumes.MASK),
            col(Volumes.CROP_ORIGIN), col(Volumes.CROP_EXTENT))
        .javaRDD()
        .filter(r -> ok.value().contains(SparkTables.string(r, Tables.PATIENT_ID)))
        .mapToPair(r -> {
          String id = SparkTables.string(r, Tables.PATIENT_ID);
          Integer label = SparkTables.intOrNull(r, Tables.LABEL);
          return new Tuple2<>(id, new VolumeExample(id, label == null ? -1 : label, SparkTables.bytes(r, Volumes.TENSOR),
              SparkTables.bytes(r, Volumes.MASK), SparkTables.ints(r, Volumes.CROP_ORIGIN),
              SparkTables.ints(r, Volumes.CROP_EXTENT)));
        })
        .partitionBy(new HashPartitioner(Math.max(jsc.defaultParallelism(), 1)))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    LOG.info("{}: {} patients with tensors of shape {} ({} left out)", stage, sorted.members().size(),
        Arrays.toString(sorted.shape()), sorted.rejected().size());
    return new TrainingVolumes(sorted.shape(), sorted.members(), sorted.rejected(), examples);
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

  public JavaPairRDD<String, VolumeExample> examples() {
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
