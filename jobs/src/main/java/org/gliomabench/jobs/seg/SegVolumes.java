package org.gliomabench.jobs.seg;

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
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.jobs.cnn.VolumeRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The volumes table as segmentation input: patient metadata on the driver (checked) and tensors with their
 * label masks as a cached RDD on the executors, plus each patient's source folder from the patients table
 * (to score against the original segmentation). A row that cannot feed the U-Net (other shape, truncated
 * tensor or mask, cv without fold, duplicate id) is left out with a warning naming the patient.
 */
public final class SegVolumes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegVolumes.class);

  private final int[] shape;
  private final List<FoldSplit.Member> members;
  private final List<VolumeRows.Rejected> rejected;
  private final Map<String, String> sources;
  private final JavaPairRDD<String, SegExample> examples;

  private SegVolumes(int[] shape, List<FoldSplit.Member> members, List<VolumeRows.Rejected> rejected, Map<String, String> sources,
      JavaPairRDD<String, SegExample> examples) {
    this.shape = shape;
    this.members = members;
    this.rejected = rejected;
    this.sources = sources;
    this.examples = examples;
  }

  public static SegVolumes load(Warehouse warehouse) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    List<Row> meta = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD),
            col(Volumes.SHAPE), length(col(Volumes.TENSOR)), length(col(Volumes.MASK)), col(Volumes.CROP_ORIGIN),
            col(Volumes.CROP_EXTENT))
        .collectAsList();
    VolumeRows.Sorted sorted = VolumeRows.sort(meta, warehouse.path(Volumes.NAME), "train-seg",
        SegVolumes::checkMaskAndCrop);
    int[] shape = sorted.shape();
    List<FoldSplit.Member> members = sorted.members();
    List<VolumeRows.Rejected> rejected = sorted.rejected();
    Map<String, String> sources = new HashMap<>();
    if (warehouse.exists(Patients.NAME)) {
      for (Row r : warehouse.read(Patients.NAME).select(col(Tables.PATIENT_ID), col(Patients.SOURCE)).collectAsList()) {
        sources.put(r.getString(0), r.getString(1));
      }
    } else {
      LOG.warn("train-seg: no patients table at {}: predictions cannot be scored in the original space",
          warehouse.path(Patients.NAME));
    }
    Broadcast<Set<String>> ok = jsc.broadcast(sorted.ids());
    JavaPairRDD<String, SegExample> examples = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Volumes.TENSOR), col(Volumes.MASK), col(Volumes.CROP_ORIGIN),
            col(Volumes.CROP_EXTENT))
        .javaRDD()
        .filter(r -> ok.value().contains(r.getString(0)))
        .mapToPair(r -> new Tuple2<>(r.getString(0), new SegExample(r.getString(0), r.getAs(1), r.getAs(2),
            ints(r.getList(3)), ints(r.getList(4)))))
        .partitionBy(new HashPartitioner(Math.max(jsc.defaultParallelism(), 1)))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    LOG.info("train-seg: {} patients with tensors of shape {} ({} left out)", members.size(), Arrays.toString(shape),
        rejected.size());
    return new SegVolumes(shape, members, rejected, sources, examples);
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }


  /** The U-Net needs a label mask of the grid's size and the crop box; null when the row has both. */
  private static String checkMaskAndCrop(Row r, int[] shape) {
    long voxels = (long) shape[1] * shape[2] * shape[3];
    if (r.isNullAt(6) || r.getInt(6) != voxels) {
      return "label mask has " + (r.isNullAt(6) ? "no" : r.getInt(6)) + " bytes; the grid needs " + voxels;
    }
    if (r.isNullAt(7) || r.isNullAt(8) || r.getList(7).size() != 3 || r.getList(8).size() != 3) {
      return "no crop origin/extent recorded";
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

  /** Labels by patient id. */
  public Map<String, Integer> labels() {
    Map<String, Integer> m = new HashMap<>();
    members.forEach(x -> m.put(x.patientId(), x.label()));
    return m;
  }

  /** The patient's source folder (patients.source), or null when unknown. */
  public String source(String patientId) {
    return sources.get(patientId);
  }

  public JavaPairRDD<String, SegExample> examples() {
    return examples;
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
