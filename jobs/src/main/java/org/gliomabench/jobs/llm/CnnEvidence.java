package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.image.Canvas;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.preprocess.Plane;
import org.gliomabench.core.preprocess.SliceGeometry;
import org.gliomabench.core.seg.GridMapping;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import scala.Tuple2;
import scala.Tuple3;

/**
 * What a cnn-informed arm shows, from the training arms' tables of one run, for each patient by models that never
 * trained on it: the CNN's P(HGG) (a cv patient: its own fold's model; a test patient: the mean of the fold models,
 * the cnn_ensemble rule) and the U-Net's whole-tumour outline drawn in red on each slice (a cv patient: its fold's
 * mask; a test patient: the voxels at least half the fold models call tumour), mapped from the volume grid back onto the
 * original voxels (reference_masks' geometry) and read the way ingest lays the slice out.
 */
final class CnnEvidence {
  private static final int OUTLINE = 0xff3030;

  private CnnEvidence() {}

  /** The CNN's P(HGG) per patient; empty when the run has no train-cnn predictions. */
  static Map<String, Double> scores(Warehouse warehouse, String cnnRun, Map<String, Integer> foldOf) {
    Map<String, Double> out = new HashMap<>();
    if (!warehouse.exists(Predictions.NAME)) {
      return out;
    }
    Map<String, double[]> testSums = new HashMap<>();
    for (Row r : warehouse.read(Predictions.NAME).where(col(Tables.RUN_ID).equalTo(cnnRun)
        .and(col(Predictions.MODEL).equalTo(Predictions.MODEL_CNN))).select(Tables.PATIENT_ID, Tables.COHORT, Tables.FOLD,
        Predictions.SCORE).collectAsList()) {
      String id = SparkTables.string(r, Tables.PATIENT_ID);
      Double score = SparkTables.doubleOrNull(r, Predictions.SCORE);
      if (score == null) {
        continue;
      }
      if (Tables.COHORT_TEST.equals(SparkTables.string(r, Tables.COHORT))) {
        double[] s = testSums.computeIfAbsent(id, k -> new double[2]);
        s[0] += score;
        s[1]++;
      } else if (foldOf.containsKey(id) && java.util.Objects.equals(foldOf.get(id), SparkTables.intOrNull(r, Tables.FOLD))) {
        out.put(id, score);
      }
    }
    testSums.forEach((id, s) -> out.put(id, s[0] / s[1]));
    return out;
  }

  /** Whether the run has any U-Net masks. */
  static boolean hasMasks(Warehouse warehouse, String cnnRun) {
    return warehouse.exists(SegMasks.NAME)
        && !warehouse.read(SegMasks.NAME).where(col(Tables.RUN_ID).equalTo(cnnRun)).isEmpty();
  }

  /** Columns of {@link #overlays}: patient_id, plane, slice_index and the image with the outline. */
  static final StructType OVERLAY = new StructType().add(Tables.PATIENT_ID, DataTypes.StringType, false)
      .add(Tables.PLANE, DataTypes.StringType, false).add(Tables.SLICE_INDEX, DataTypes.IntegerType, false)
      .add(CallPlan.IMAGE, DataTypes.BinaryType, false);

  /**
   * The slices of {@code slices} (patient_id, plane, slice_index, flair_png) with the U-Net's outline drawn on them,
   * for the patients {@code foldOf} names (fold null: test cohort) that the run segmented.
   */
  static Dataset<Row> overlays(Warehouse warehouse, String cnnRun, Dataset<Row> slices, Map<String, Integer> foldOf) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    Broadcast<HashMap<String, Integer>> folds = jsc.broadcast(new HashMap<>(foldOf));
    Broadcast<java.util.HashSet<String>> known = jsc.broadcast(new java.util.HashSet<>(foldOf.keySet()));
    JavaPairRDD<String, Row> masks = warehouse.read(SegMasks.NAME).where(col(Tables.RUN_ID).equalTo(cnnRun))
        .select(Tables.PATIENT_ID, Tables.FOLD, SegMasks.SHAPE, SegMasks.MASK, SegMasks.CROP_ORIGIN, SegMasks.CROP_EXTENT)
        .javaRDD()
        .filter(r -> {
          String id = SparkTables.string(r, Tables.PATIENT_ID);
          if (!known.value().contains(id)) {
            return false;
          }
          Integer own = folds.value().get(id);
          return own == null || own.equals(SparkTables.intOrNull(r, Tables.FOLD)); // cv: its own fold's model only
        })
        .mapToPair(r -> new Tuple2<>(SparkTables.string(r, Tables.PATIENT_ID), r));
    JavaPairRDD<String, Row> geometry = warehouse.read(ReferenceMasks.NAME)
        .select(Tables.PATIENT_ID, ReferenceMasks.SHAPE, ReferenceMasks.ORIENTATION).javaRDD()
        .mapToPair(r -> new Tuple2<>(SparkTables.string(r, Tables.PATIENT_ID), r));
    JavaPairRDD<String, Row> images = slices.select(Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX, Slices.FLAIR_PNG)
        .javaRDD().mapToPair(r -> new Tuple2<>(SparkTables.string(r, Tables.PATIENT_ID), r));
    JavaRDD<Row> out = masks.groupByKey().cogroup(geometry, images).flatMap(t -> {
      Tuple3<Iterable<Iterable<Row>>, Iterable<Row>, Iterable<Row>> v = t._2();
      List<Row> rows = new ArrayList<>();
      if (!v._1().iterator().hasNext() || !v._2().iterator().hasNext()) {
        return rows.iterator(); // not segmented, or no geometry: the plan counts the patient as skipped
      }
      List<Row> patientMasks = new ArrayList<>();
      v._1().iterator().next().forEach(patientMasks::add);
      Row g = v._2().iterator().next();
      int[] shape = SparkTables.ints(g, ReferenceMasks.SHAPE);
      Orientation o = Orientation.fromAxisCodes(SparkTables.string(g, ReferenceMasks.ORIENTATION));
      Orientation.Indexer ix = o.indexer(shape);
      Row first = patientMasks.get(0);
      byte[] file = GridMapping.toFile(wholeTumourVote(patientMasks), SparkTables.ints(first, SegMasks.SHAPE),
          SparkTables.ints(first, SegMasks.CROP_ORIGIN), SparkTables.ints(first, SegMasks.CROP_EXTENT), ix);
      for (Row s : v._3()) {
        Plane plane = Plane.parse(SparkTables.string(s, Tables.PLANE));
        int slice = SparkTables.intValue(s, Tables.SLICE_INDEX);
        int k = SliceGeometry.canonicalSlice(o, shape, plane, slice);
        Canvas canvas = Canvas.fromPng(SparkTables.bytes(s, Slices.FLAIR_PNG)).toRgb();
        int w = SliceGeometry.width(plane, ix);
        int h = SliceGeometry.height(plane, ix);
        if (k < 0 || canvas.width() != w || canvas.height() != h) {
          continue; // the slice does not match the segmentation's geometry: skipped, not misdrawn
        }
        boolean[] mask = new boolean[w * h];
        for (int r = 0; r < h; r++) {
          for (int c = 0; c < w; c++) {
            mask[r * w + c] = (file[SliceGeometry.fileIndex(plane, ix, k, r, c)] & 1) != 0;
          }
        }
        canvas.outline(mask, w >= 200 ? 2 : 1, OUTLINE);
        rows.add(RowFactory.create(t._1(), plane.code(), slice, canvas.toPng()));
      }
      return rows.iterator();
    });
    return warehouse.spark().createDataFrame(out, OVERLAY);
  }

  /** Bit 0 (whole tumour) where at least half of the masks set it: one mask as it is, several by majority. */
  static byte[] wholeTumourVote(List<Row> masks) {
    byte[] first = SparkTables.bytes(masks.get(0), SegMasks.MASK);
    int[] votes = new int[first.length];
    for (Row m : masks) {
      byte[] bits = SparkTables.bytes(m, SegMasks.MASK);
      if (bits.length != votes.length) {
        throw new IllegalStateException("the U-Net masks of " + SparkTables.string(m, Tables.PATIENT_ID)
            + " differ in size between folds (" + bits.length + " vs " + votes.length + " voxels)");
      }
      for (int i = 0; i < bits.length; i++) {
        votes[i] += bits[i] & 1;
      }
    }
    byte[] out = new byte[votes.length];
    for (int i = 0; i < votes.length; i++) {
      out[i] = (byte) (2 * votes[i] >= masks.size() ? 1 : 0);
    }
    return out;
  }
}
