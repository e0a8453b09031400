package org.gliomabench.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes table as training input for either arm: patient metadata on the driver (checked, small) and the
 * tensors in the {@link TensorStore}, which the executors read an example at a time. A patient whose row cannot
 * feed the arm's network (other shape, truncated tensor or mask, bad label, cv without fold, duplicate id) is
 * left out with a warning naming it and the reason; the others go on.
 */
public final class TrainingVolumes {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingVolumes.class);


  /** A patient as executors need it besides its tensor: the label and where its grid lies in the original volume. */
  public record Patient(String patientId, int label, int[] cropOrigin, int[] cropExtent) implements Serializable {}

  private final int[] shape;
  private final List<FoldSplit.Member> members;
  private final List<VolumeRows.Rejected> rejected;
  private final Map<String, Patient> patients;
  private final TensorStore store;
  private final Warehouse warehouse;

  private TrainingVolumes(int[] shape, List<FoldSplit.Member> members, List<VolumeRows.Rejected> rejected,
      Map<String, Patient> patients, TensorStore store, Warehouse warehouse) {
    this.warehouse = warehouse;
    this.shape = shape;
    this.members = members;
    this.rejected = rejected;
    this.patients = patients;
    this.store = store;
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
   * @param storeRoot {@code train.tensor.dir} (empty: under the warehouse)
   */
  public static TrainingVolumes load(Warehouse warehouse, String stage, RowCheck check, String storeRoot) {
    List<Row> meta = warehouse.read(Volumes.NAME)
        .select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT), col(Tables.FOLD),
            col(Volumes.SHAPE), length(col(Volumes.TENSOR)).as(VolumeRows.TENSOR_BYTES),
            length(col(Volumes.MASK)).as(VolumeRows.MASK_BYTES), col(Volumes.CROP_ORIGIN), col(Volumes.CROP_EXTENT))
        .collectAsList();
    VolumeRows.Sorted sorted = VolumeRows.sort(meta, warehouse.path(Volumes.NAME), stage, check);
    Map<String, Patient> patients = new HashMap<>();
    java.util.Set<String> usable = sorted.ids();
    for (Row r : meta) {
      String id = SparkTables.string(r, Tables.PATIENT_ID);
      if (usable.contains(id)) {
        Integer label = SparkTables.intOrNull(r, Tables.LABEL);
        patients.put(id, new Patient(id, label == null ? -1 : label, SparkTables.ints(r, Volumes.CROP_ORIGIN),
            SparkTables.ints(r, Volumes.CROP_EXTENT)));
      }
    }
    TensorStore store = TensorStore.of(warehouse, storeRoot);
    LOG.info("{}: {} patients with tensors of shape {} ({} left out), read from {}", stage, sorted.members().size(),
        Arrays.toString(sorted.shape()), sorted.rejected().size(), store.dir());
    return new TrainingVolumes(sorted.shape(), sorted.members(), sorted.rejected(), patients, store, warehouse);
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

  /** The warehouse the volumes came from, which the stage writes (and claims its folds in). */
  public Warehouse warehouse() {
    return warehouse;
  }

  public TensorStore store() {
    return store;
  }

  /** The patients of {@code ids}, in that order. */
  public List<Patient> patients(Collection<String> ids) {
    List<Patient> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      Patient p = patients.get(id);
      if (p == null) {
        throw new IllegalArgumentException("patient " + id + " is not among the usable volumes rows");
      }
      out.add(p);
    }
    return out;
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
}
