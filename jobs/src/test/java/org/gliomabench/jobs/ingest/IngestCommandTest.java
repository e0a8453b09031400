package org.gliomabench.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Ingest of the three real cases in ../shared/data/brats-mini, through the command line entry point. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestCommandTest {
  private static final Path DATA = Path.of(System.getProperty("gliomabench.shared.dir", "../shared"), "data", "brats-mini");

  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;
  static int status;

  @BeforeAll
  static void ingestOnce() {
    assumeTrue(Files.isDirectory(DATA), "no ../shared/data/brats-mini here");
    spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    status = Main.run("ingest", "--data", DATA.toString(), "--warehouse", warehouse, "--run-id", "mini-1",
        "--set", "ingest.volume.shape=16,24,24", "--set", "ingest.crop.extent=128,160,96",
        "--set", "example.api.key=do-not-log-me");
  }

  private static Map<String, Row> patients() {
    Map<String, Row> m = new HashMap<>();
    for (Row r : spark.read().parquet(warehouse + "/patients").collectAsList()) {
      m.put(r.getAs(Tables.PATIENT_ID), r);
    }
    return m;
  }

  @Test
  void acceptsAllThreeCasesAndCountsTumourVoxelsAsTheDataReadmeSays() {
    assertEquals(0, status, "nothing rejected: the two-modality case is kept for the LLM arm");
    Map<String, Row> p = patients();
    assertEquals(3, p.size());
    assertEquals(9281L + 14907L, (long) p.get("TCGA-DU-7294").getAs("tumour_voxels"));
    assertEquals(2477L + 20862L + 6840L, (long) p.get("TCGA-FG-6692").getAs("tumour_voxels"));
    assertEquals(6840L, (long) p.get("TCGA-FG-6692").getAs("voxels_et"));
    Row old = p.get("brats_2013_pat0001_1");
    assertEquals(26371L + 53050L + 818L + 31485L, (long) old.getAs("tumour_voxels"));
    assertEquals(26371L + 818L, (long) old.getAs("voxels_ncr"), "BraTS 2013 label 3 is merged into 1");
    assertTrue(((String) old.getAs("label_convention")).startsWith("brats2013"));
    assertEquals("LGG", p.get("TCGA-DU-7294").getAs("grade"));
    assertEquals(0, (int) p.get("TCGA-DU-7294").getAs("label"));
    assertEquals(1, (int) old.getAs("label"));
    assertEquals("LPS", old.getAs("orientation"), "BraTS files are stored LPS");
    for (Row r : p.values()) {
      assertEquals(List.of(240, 240, 155), r.getList(r.fieldIndex("shape")));
      String cohort = r.getAs("cohort");
      assertTrue(cohort.equals("test") || cohort.equals("cv"));
      assertEquals(cohort.equals("test"), r.isNullAt(r.fieldIndex("fold")));
    }
  }

  @Test
  void recordsTheRunWithItsConfigurationAndNoSecrets() {
    List<Row> runs = spark.read().parquet(warehouse + "/runs").where("run_id = 'mini-1'").collectAsList();
    assertEquals(1, runs.size());
    Row r = runs.get(0);
    assertEquals("ingest", r.getAs("command"));
    assertEquals("ok", r.getAs("status"));
    String config = r.getAs("config");
    assertTrue(config.contains("ingest.volume.shape=16,24,24"), config);
    assertFalse(config.contains("do-not-log-me"), "secret-looking settings are masked");
    assertTrue(config.contains("example.api.key=****"));
    assertEquals(64, ((String) r.getAs("config_hash")).length());
  }

  @Test
  void keepsTheTwoModalityCaseForTheLlmArmOnly() {
    Row old = patients().get("brats_2013_pat0001_1");
    assertFalse((boolean) old.getAs("cnn_usable"));
    String reason = old.getAs("cnn_unusable_reason");
    assertTrue(reason.contains("t1") && reason.contains("t2"), reason);
    List<Row> volumes = spark.read().parquet(warehouse + "/volumes").select("patient_id").collectAsList();
    assertEquals(2, volumes.size());
    assertTrue(volumes.stream().noneMatch(r -> r.getString(0).equals("brats_2013_pat0001_1")));
    assertTrue(spark.read().parquet(warehouse + "/slices").where("patient_id = 'brats_2013_pat0001_1'").count() > 0);
    List<Row> errors = spark.read().parquet(warehouse + "/ingest_errors").collectAsList();
    assertTrue(errors.stream().anyMatch(r -> r.getAs("kind").equals("cnn_unusable")
        && r.getAs("patient_id").equals("brats_2013_pat0001_1") && !(boolean) r.getAs("rejected")));
  }

  @Test
  void tumourSlicesMatchTheBoundingBoxPerPlane() {
    Map<String, Row> p = patients();
    for (String plane : List.of("axial", "coronal", "sagittal")) {
      for (Row r : spark.read().parquet(warehouse + "/slices")
          .where("plane = '" + plane + "' and in_tumour")
          .groupBy("patient_id").agg(org.apache.spark.sql.functions.min("slice_index"),
              org.apache.spark.sql.functions.max("slice_index"), org.apache.spark.sql.functions.count("*"))
          .collectAsList()) {
        Row pr = p.get(r.getString(0));
        int first = pr.getAs(plane + "_first");
        int last = pr.getAs(plane + "_last");
        assertEquals(first, r.getInt(1), plane + " first tumour slice of " + r.getString(0));
        assertEquals(last, r.getInt(2));
        assertEquals(last - first + 1, r.getLong(3), "the tumour has no gaps along " + plane);
      }
    }
    // every slice of every plane is there (scope "all")
    assertEquals(3L * (155 + 240 + 240), spark.read().parquet(warehouse + "/slices").count());
  }

  @Test
  void slicePngsAreGrayscaleImagesWithTheMaskBox() throws Exception {
    Row s = spark.read().parquet(warehouse + "/slices")
        .where("patient_id = 'TCGA-FG-6692' and plane = 'axial' and in_tumour").orderBy("tumour_pixels")
        .collectAsList().get(0);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(s.getAs("flair_png")));
    assertEquals(240, img.getWidth());
    assertEquals(240, img.getHeight());
    BufferedImage mask = ImageIO.read(new ByteArrayInputStream(s.getAs("mask_png")));
    int x0 = s.getAs("mask_x0");
    int y0 = s.getAs("mask_y0");
    int x1 = s.getAs("mask_x1");
    int y1 = s.getAs("mask_y1");
    long inBox = 0;
    long total = 0;
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 240; x++) {
        if (mask.getRaster().getSample(x, y, 0) != 0) {
          total++;
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
            inBox++;
          }
        }
      }
    }
    assertEquals((long) s.getAs("tumour_pixels"), total);
    assertEquals(total, inBox);
    Row none = spark.read().parquet(warehouse + "/slices").where("not in_tumour").limit(1).collectAsList().get(0);
    assertNull(none.getAs("mask_png"));
    assertNull(none.getAs("mask_x0"));
  }

  /**
   * The montage arm's images, rendered by ingest from the real cases: each tumour slice of a patient with all four
   * modalities as four labelled tiles (T1, T1CE over T2, FLAIR), the FLAIR tile equal to the FLAIR PNG; none for the
   * two-modality case or for slices without tumour.
   */
  @Test
  void tumourSlicesOfFourModalityPatientsGetAMontageWhoseFlairTileIsTheFlairSlice() throws Exception {
    org.apache.spark.sql.Dataset<Row> slices = spark.read().parquet(warehouse + "/slices");
    assertEquals(0, slices.where("montage_png is not null and not in_tumour").count(), "tumour slices only");
    assertEquals(0, slices.where("patient_id = 'brats_2013_pat0001_1' and montage_png is not null").count(),
        "the two-modality case has no montage");
    assertEquals(slices.where("in_tumour and patient_id != 'brats_2013_pat0001_1'").count(),
        slices.where("montage_png is not null").count(), "every tumour slice of the four-modality cases has one");
    Row s = slices.where("patient_id = 'TCGA-FG-6692' and plane = 'coronal' and in_tumour").orderBy("slice_index")
        .collectAsList().get(3);
    BufferedImage flair = ImageIO.read(new ByteArrayInputStream(s.getAs("flair_png")));
    BufferedImage montage = ImageIO.read(new ByteArrayInputStream(s.getAs("montage_png")));
    int w = flair.getWidth();
    int h = flair.getHeight();
    int strip = org.gliomabench.core.image.BitmapFont.height(2) + 8;
    int gap = Math.max(2, w / 64);
    assertEquals(2 * w + gap, montage.getWidth());
    assertEquals(2 * (h + strip) + gap, montage.getHeight());
    int differing = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        differing += flair.getRaster().getSample(x, y, 0) != montage.getRaster().getSample(w + gap + x, h + strip + gap + strip + y, 0) ? 1 : 0;
      }
    }
    assertEquals(0, differing, "the bottom-right tile is the FLAIR slice, windowed the same");
    int t1ceDiffers = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        t1ceDiffers += montage.getRaster().getSample(w + gap + x, strip + y, 0) != flair.getRaster().getSample(x, y, 0) ? 1 : 0;
      }
    }
    assertTrue(t1ceDiffers > w * h / 10, "the T1CE tile shows another modality: " + t1ceDiffers + " pixels differ");
  }

  @Test
  void writesEachCaseSegmentationInItsOriginalVoxelsCompactly() {
    Map<String, Row> p = patients();
    List<Row> rows = spark.read().parquet(warehouse + "/reference_masks").collectAsList();
    assertEquals(3, rows.size(), "every accepted patient, CNN-usable or not");
    for (Row r : rows) {
      ReferenceMask m = ReferenceMaskRows.fromRow(r);
      Row pr = p.get(m.patientId());
      assertEquals(pr.getList(pr.fieldIndex("shape")), List.of(m.shape()[0], m.shape()[1], m.shape()[2]));
      assertEquals(List.of(1.0, 1.0, 1.0), List.of(m.spacing()[0], m.spacing()[1], m.spacing()[2]), "1 mm voxels");
      assertEquals("LPS", m.axisCodes());
      assertEquals((String) pr.getAs("orientation"), m.axisCodes());
      assertEquals(Tables.Segmentation.REFERENCE_CONSENSUS, m.reference(), "BraTS masks are a consensus");
      long[] regions = new long[3];
      for (byte b : m.bits()) {
        for (int k = 0; k < 3; k++) {
          regions[k] += (b >> k) & 1;
        }
      }
      long et = pr.getAs("voxels_et");
      assertEquals((long) pr.getAs("tumour_voxels"), regions[0], m.patientId() + " whole tumour");
      assertEquals((long) pr.getAs("voxels_ncr") + et, regions[1], m.patientId() + " tumour core");
      assertEquals(et, regions[2], m.patientId() + " enhancing");
      System.out.printf("reference_masks %s: %d bytes for %d voxels%n", m.patientId(), m.mask().length, m.voxels());
      assertTrue(m.mask().length < 64 * 1024, m.patientId() + ": " + m.mask().length + " bytes, tens of KB at most");
    }
  }

  @Test
  void volumesAreNormalisedTensorsOfTheConfiguredShape() {
    Row v = spark.read().parquet(warehouse + "/volumes").where("patient_id = 'TCGA-DU-7294'").collectAsList().get(0);
    assertEquals(List.of(4, 16, 24, 24), v.getList(v.fieldIndex("shape")));
    byte[] tensor = v.getAs("tensor");
    assertEquals(4 * 16 * 24 * 24 * 4, tensor.length);
    float[] f = new float[4 * 16 * 24 * 24];
    ByteBuffer.wrap(tensor).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    int per = 16 * 24 * 24;
    for (int c = 0; c < 4; c++) {
      double sum = 0;
      int n = 0;
      for (int i = c * per; i < (c + 1) * per; i++) {
        assertTrue(Float.isFinite(f[i]));
        if (f[i] != 0) {
          sum += f[i];
          n++;
        }
      }
      assertTrue(n > per / 3, "channel " + c + " is mostly brain inside the crop");
      assertTrue(Math.abs(sum / n) < 1.0, "channel " + c + " is z-scored (mean " + sum / n + ")");
    }
    byte[] mask = v.getAs("mask");
    assertEquals(per, mask.length);
    int tumour = 0;
    for (byte b : mask) {
      tumour += b != 0 ? 1 : 0;
    }
    assertTrue(tumour > 0, "the crop holds the tumour");
  }

  @Test
  @Order(Integer.MAX_VALUE) // runs last: it replaces the tables the other tests read
  void rerunReplacesTablesInsteadOfAppending() {
    int again = Main.run("ingest", "--data", DATA.toString(), "--warehouse", warehouse, "--run-id", "mini-2",
        "--set", "ingest.volume.shape=16,24,24", "--set", "ingest.crop.extent=128,160,96",
        "--set", "ingest.slices.scope=tumour", "--set", "ingest.slices.planes=axial");
    assertEquals(0, again);
    Map<String, Row> before = patients();
    assertEquals(3, before.size());
    before.values().forEach(r -> assertEquals("mini-2", r.getAs("run_id")));
    Row old = before.get("TCGA-DU-7294");
    long axialTumourSlices = (int) old.getAs("axial_last") - (int) old.getAs("axial_first") + 1;
    assertEquals(axialTumourSlices, spark.read().parquet(warehouse + "/slices").where("patient_id = 'TCGA-DU-7294'").count());
    assertEquals(0, spark.read().parquet(warehouse + "/ingest_errors").where("run_id = 'mini-1'").count(),
        "the first run's ingest_errors rows are replaced");
  }
}
