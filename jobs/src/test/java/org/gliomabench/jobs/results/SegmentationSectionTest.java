package org.gliomabench.jobs.results;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.CentreBias;
import org.gliomabench.core.Tables.LlmLocalisation;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.preprocess.PngEncoder;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report's segmentation part on a copy of the aggregated results fixture plus segmentation, centre-bias
 * and localisation rows and one FLAIR slice: the Dice box plot, the heat maps, an overlay whose outline is
 * where the mask is, and the consensus-not-ground-truth note.
 */
class SegmentationSectionTest {
  static final int SIZE = 40;
  static Path dir;
  static String html;
  static int status;

  @BeforeAll
  static void report() throws IOException {
    SparkSession spark = SharedSpark.session();
    Path copy = Files.createTempDirectory("glioma-bench-seg-report").resolve("wh");
    copyTree(Path.of(ResultsFixture.aggregated().warehouse()), copy);
    Warehouse wh = new Warehouse(spark, copy.toString());
    String run = ResultsFixture.RUN;

    StructType seg = new StructType().add(Tables.RUN_ID, StringType).add(Segmentation.MODEL, StringType)
        .add(Tables.PATIENT_ID, StringType).add(Tables.COHORT, StringType).add(Tables.FOLD, IntegerType)
        .add(Tables.PLANE, StringType).add(Segmentation.REGION, StringType).add(Segmentation.DICE, DoubleType)
        .add(Segmentation.HD95, DoubleType).add(Segmentation.HIT_RATE, DoubleType)
        .add(Segmentation.MEAN_DISTANCE_PX, DoubleType).add(Segmentation.REFERENCE, StringType);
    List<Row> rows = new ArrayList<>();
    for (int p = 1; p <= 4; p++) {
      String patient = String.format("T%02d", p);
      for (int fold = 0; fold < 2; fold++) {
        rows.add(RowFactory.create(run, Segmentation.MODEL_CNN_SEG, patient, "test", fold, null, "WT", 0.8 + 0.02 * p, 3.0, null,
            null, Segmentation.REFERENCE_CONSENSUS));
        rows.add(RowFactory.create(run, Segmentation.MODEL_CNN_SEG, patient, "test", fold, null, "TC", 0.6 + 0.03 * p, 5.0, null,
            null, Segmentation.REFERENCE_CONSENSUS));
      }
      rows.add(RowFactory.create(run, ResultsFixture.SIM_ARM, patient, "test", null, "axial", "box", 0.1 * p, null, null, 9.0,
          Segmentation.REFERENCE_CONSENSUS));
      rows.add(RowFactory.create(run, ResultsFixture.SIM_ARM, patient, "test", null, "axial", "centre", null, null, 0.25, 9.0,
          Segmentation.REFERENCE_CONSENSUS));
    }
    wh.overwriteRunPartitions(Segmentation.NAME, spark.createDataFrame(rows, seg), Segmentation.PARTITION_COLUMNS);

    StructType loc = new StructType().add(Tables.RUN_ID, StringType).add(LlmLocalisation.ARM, StringType)
        .add(Tables.PATIENT_ID, StringType).add(Tables.PLANE, StringType).add(Tables.SLICE_INDEX, IntegerType)
        .add(LlmLocalisation.LOCATION_KIND, StringType).add(Slices.WIDTH, IntegerType).add(Slices.HEIGHT, IntegerType)
        .add(LlmLocalisation.PRED_X, DoubleType).add(LlmLocalisation.PRED_Y, DoubleType)
        .add(LlmLocalisation.TRUE_X, DoubleType).add(LlmLocalisation.TRUE_Y, DoubleType);
    List<Row> located = new ArrayList<>();
    for (int s = 0; s < 12; s++) {
      located.add(RowFactory.create(run, ResultsFixture.SIM_ARM, "T01", "axial", s, "centre", SIZE, SIZE, 20.0 + s % 3, 19.0,
          8.0 + s, 30.0));
      located.add(RowFactory.create(run, LlmLocalisation.BASELINE_ARM, "T01", "axial", s, "centre", SIZE, SIZE, 20.0, 20.0,
          8.0 + s, 30.0));
    }
    wh.overwriteRunPartitions(LlmLocalisation.NAME, spark.createDataFrame(located, loc), Tables.RUN_ID);

    StructType bias = new StructType().add(Tables.RUN_ID, StringType).add(LlmLocalisation.ARM, StringType)
        .add(Tables.PLANE, StringType).add(LlmLocalisation.LOCATION_KIND, StringType).add(CentreBias.N, LongType)
        .add(CentreBias.HIT_RATE, DoubleType).add(CentreBias.MEAN_DISTANCE_PX, DoubleType)
        .add(CentreBias.BASELINE_DISTANCE_PX, DoubleType).add(CentreBias.VERDICT, StringType);
    wh.overwriteRunPartitions(CentreBias.NAME, spark.createDataFrame(List.of(RowFactory.create(run, ResultsFixture.SIM_ARM,
        "axial", "centre", 12L, 0.0, 14.2, 14.0, "centre_biased")), bias), Tables.RUN_ID);

    // One axial tumour slice of T01: a square tumour at rows/columns 10..19.
    byte[] flair = new byte[SIZE * SIZE];
    byte[] mask = new byte[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        flair[y * SIZE + x] = (byte) 60;
        if (y >= 10 && y < 20 && x >= 10 && x < 20) {
          mask[y * SIZE + x] = 2;
          flair[y * SIZE + x] = (byte) 200;
        }
      }
    }
    StructType slices = new StructType().add(Tables.PATIENT_ID, StringType).add(Tables.PLANE, StringType)
        .add(Tables.SLICE_INDEX, IntegerType).add(Slices.IN_TUMOUR, BooleanType).add(Slices.WIDTH, IntegerType)
        .add(Slices.HEIGHT, IntegerType).add(Slices.TUMOUR_PIXELS, LongType).add(Slices.FLAIR_PNG, BinaryType)
        .add(Slices.MASK_PNG, BinaryType);
    wh.replace(Slices.NAME, spark.createDataFrame(List.of(RowFactory.create("T01", "axial", 5, true, SIZE, SIZE, 100L,
        PngEncoder.gray8(flair, SIZE, SIZE), PngEncoder.gray8(mask, SIZE, SIZE))), slices));

    status = Main.run("report", "--warehouse", copy.toString(), "--run-id", run, "--set", "report.chart.size=640,400");
    dir = copy.resolve(ReportJob.REPORTS).resolve(run);
    html = Files.readString(dir.resolve(ReportJob.HTML));
  }

  @Test
  void drawsTheDiceBoxPlotTheHeatMapsAndAnOverlay() throws IOException {
    assertEquals(0, status);
    for (String f : List.of("segmentation_dice.png", "centres_true_axial.png", "centres_llama-simulated_axial.png",
        "overlay_T01.png")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
      assertTrue(ImageIO.read(dir.resolve(f).toFile()) != null, f + " does not decode");
      assertTrue(html.contains("<img src=\"" + f + "\""), f + " not on the page");
    }
    assertFalse(Files.exists(dir.resolve("centres_" + LlmLocalisation.BASELINE_ARM + "_axial.png")),
        "the baseline always answers the centre: no heat map of its own");
  }

  @Test
  void theOverlayOutlinesTheTrueMaskWhereItIs() throws IOException {
    BufferedImage img = ImageIO.read(dir.resolve("overlay_T01.png").toFile());
    int scale = img.getWidth() / SIZE;
    assertTrue(scale >= 2);
    int green = SegmentationCharts.TRUE_MASK.getRGB();
    // the mask's top-left corner pixel (10, 10) is on its outline; its centre (15, 15) is not
    assertEquals(green, img.getRGB(10 * scale, 10 * scale));
    assertTrue(img.getRGB(15 * scale, 15 * scale) != green);
    assertTrue(img.getRGB(5 * scale, 5 * scale) != green);
  }

  @Test
  void saysTheConsensusMasksAreNotGroundTruthAndShowsTheVerdict() {
    assertTrue(html.contains("consensus segmentation, not ground truth"));
    assertTrue(html.contains("centre_biased"));
    assertTrue(html.contains("llama-simulated <span class=\"sim\">SIMULATED</span>"));
  }

  @Test
  void summarisesDicePerModelAndRegion() {
    // cnn_seg WT over T01..T04 x 2 folds: mean of 0.82, 0.84, 0.86, 0.88
    assertTrue(html.contains("<td>8</td><td>0.850</td>"), "cnn_seg WT row with 8 rows and mean 0.850");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
