package org.gliomabench.jobs.results;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.seg.LocationGeometry;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.synth.SyntheticCohort;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's CNN overlay maps a seg_masks row back onto the original slice from the reference_masks
 * table alone: with the patient's NIfTI files deleted after ingest, the volume's own mask comes back where
 * ingest drew the tumour on the axial slice.
 */
class CnnOverlayMasksTest {
  private static final String RUN = "overlay-run";

  @TempDir
  static Path tmp;
  static Warehouse wh;
  static String patient;

  @BeforeAll
  static void ingestThenDeleteTheFiles() throws IOException {
    SparkSession spark = SharedSpark.session();
    Path data = tmp.resolve("synth");
    SyntheticCohort.write(data, 2, 0.5, new int[] {48, 52, 36}, 3);
    String root = tmp.resolve("wh").toString();
    assertEquals(0, Main.run("ingest", "--data", data.toString(), "--warehouse", root, "--run-id", "ingest",
        "--set", "ingest.crop.extent=40,40,32", "--set", "ingest.volume.shape=16,20,20",
        "--set", "ingest.slices.planes=axial", "--set", "ingest.slices.scope=tumour"));
    wh = new Warehouse(spark, root);
    Row v = wh.read(Volumes.NAME).orderBy(Tables.PATIENT_ID).first();
    patient = v.getAs(Tables.PATIENT_ID);
    List<Integer> shape = v.getList(v.fieldIndex(Volumes.SHAPE));
    StructType schema = new StructType().add(Tables.RUN_ID, StringType).add(Tables.PATIENT_ID, StringType)
        .add(Tables.FOLD, IntegerType).add(SegMasks.SHAPE, createArrayType(IntegerType))
        .add(SegMasks.MASK, BinaryType).add(SegMasks.CROP_ORIGIN, createArrayType(IntegerType))
        .add(SegMasks.CROP_EXTENT, createArrayType(IntegerType));
    // The "prediction" is the volume's own label mask: it must land on the tumour.
    assertEquals(4, shape.size());
    Row m = RowFactory.create(RUN, patient, 0, seq(shape.subList(1, 4)), Regions.bitsOf(v.getAs(Volumes.MASK)),
        seq(v.getList(v.fieldIndex(Volumes.CROP_ORIGIN))), seq(v.getList(v.fieldIndex(Volumes.CROP_EXTENT))));
    wh.replace(SegMasks.NAME, spark.createDataFrame(List.of(m), schema));
    try (var paths = Files.walk(data)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static scala.collection.Seq<Object> seq(List<Integer> l) {
    return scala.collection.JavaConverters.asScalaBuffer(new java.util.ArrayList<Object>(l)).toSeq();
  }

  @Test
  void theOverlayLandsOnTheTumourWithoutTheNiftiFiles() {
    Row s = wh.read(Slices.NAME).where(org.apache.spark.sql.functions.col(Tables.PATIENT_ID).equalTo(patient))
        .orderBy(org.apache.spark.sql.functions.col(Slices.TUMOUR_PIXELS).desc()).first();
    int w = s.getAs(Slices.WIDTH);
    int h = s.getAs(Slices.HEIGHT);
    boolean[] drawn = LocationGeometry.decodeWholeTumour(s.getAs(Slices.MASK_PNG), w, h).toArray();
    boolean[] overlay = new CnnOverlayMasks(wh, RUN).mask(patient, "axial", s.getAs(Tables.SLICE_INDEX), w, h);
    assertTrue(overlay != null, "an overlay from the tables alone");
    double dice = MaskMetrics.dice(overlay, drawn);
    assertTrue(dice > 0.8, "the grid mask mapped back lies on the slice's tumour: Dice " + dice);
  }

  @Test
  void noOverlayForAnotherPlaneAPatientWithoutMasksOrASliceOfAnotherSize() {
    CnnOverlayMasks masks = new CnnOverlayMasks(wh, RUN);
    assertNull(masks.mask(patient, "coronal", 10, 48, 36));
    assertNull(masks.mask("Nobody", "axial", 10, 48, 52));
    assertNull(masks.mask(patient, "axial", 10, 47, 52), "a slice grid that is not the original volume's");
  }
}
