package org.gliomabench.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.nifti.NiftiDataType;
import org.gliomabench.core.nifti.NiftiWriter;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input becomes one ingest_errors row naming the source and the reason, while the
 * good patients of the same run are ingested; --strict stops at the first.
 */
class IngestJobTest {
  private static final int[] SHAPE = {20, 22, 12};
  private static final double[][] AFFINE = {{-1, 0, 0, 19}, {0, -1, 0, 21}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  private static final List<String> IMAGES = List.of("t1", "t1ce", "t2", "flair");

  @TempDir
  static Path tmp;
  static Path data;
  static SparkSession spark;
  static int status;
  static String warehouse;

  @BeforeAll
  static void writeCohortWithEveryKindOfBadInputAndIngest() throws IOException {
    spark = SharedSpark.session();
    data = tmp.resolve("data");
    StringBuilder grades = new StringBuilder("Grade,BraTS_2020_subject_ID\n");
    for (String id : List.of("Good_1", "Good_2", "Good_3", "NoFlair", "NoSeg", "EmptySeg", "Shapes", "Truncated",
        "NotNifti", "Rgb", "NaNs", "BadGrade", "Dup", "EmptyFolder")) {
      grades.append(id.equals("BadGrade") ? "GBM" : id.equals("Good_2") ? "LGG" : "HGG").append(',').append(id).append('\n');
    }
    // "NoGrade" is not in the table; HGG/Dup duplicates Dup.
    Files.createDirectories(data);
    Files.writeString(data.resolve("name_mapping.csv"), grades.toString());

    for (String id : List.of("Good_1", "Good_2", "Good_3", "BadGrade", "NoGrade", "Dup")) {
      writePatient(id, IMAGES, true);
    }
    writePatient("NoFlair", List.of("t1", "t1ce", "t2"), true);
    writePatient("NoSeg", IMAGES, false);
    writePatient("EmptySeg", IMAGES, true);
    NiftiWriter.write(data.resolve("EmptySeg/EmptySeg_seg.nii.gz"), SHAPE, new float[volume()], AFFINE, NiftiDataType.UINT8);
    writePatient("Shapes", IMAGES, true);
    NiftiWriter.write(data.resolve("Shapes/Shapes_t2.nii.gz"), new int[] {20, 22, 11}, new float[20 * 22 * 11], AFFINE,
        NiftiDataType.INT16);
    writePatient("Truncated", IMAGES, true);
    Path t = data.resolve("Truncated/Truncated_t1.nii.gz");
    byte[] full = Files.readAllBytes(t);
    Files.write(t, java.util.Arrays.copyOf(full, full.length / 2));
    writePatient("NotNifti", IMAGES, true);
    // a text file under a NIfTI name (not gzip either)
    Files.writeString(data.resolve("NotNifti/NotNifti_t1ce.nii.gz"), "this is a text file, not a NIfTI image\n".repeat(20));
    writePatient("Rgb", IMAGES, true);
    Files.delete(data.resolve("Rgb/Rgb_t2.nii.gz"));
    Path rgb = data.resolve("Rgb/Rgb_t2.nii");
    NiftiWriter.write(rgb, SHAPE, new float[volume()], AFFINE, NiftiDataType.UINT8);
    byte[] header = Files.readAllBytes(rgb);
    header[70] = (byte) 128; // datatype RGB24, little endian short at offset 70
    header[71] = 0;
    Files.write(rgb, header);
    writePatient("NaNs", IMAGES, true);
    float[] nan = image(3f);
    nan[5] = Float.NaN;
    nan[6] = Float.POSITIVE_INFINITY;
    NiftiWriter.write(data.resolve("NaNs/NaNs_flair.nii.gz"), SHAPE, nan, AFFINE, NiftiDataType.FLOAT32);
    Files.createDirectories(data.resolve("HGG"));
    Files.createDirectories(data.resolve("HGG/Dup"));
    Files.copy(data.resolve("Dup/Dup_seg.nii.gz"), data.resolve("HGG/Dup/Dup_seg.nii.gz"));
    Files.createDirectories(data.resolve("EmptyFolder"));
    // A patient folder that cannot be listed (see UnlistableFolderFileSystem).
    writePatient("Locked", IMAGES, true);
    spark.sparkContext().hadoopConfiguration().set("fs." + UnlistableFolderFileSystem.SCHEME + ".impl",
        UnlistableFolderFileSystem.class.getName());

    warehouse = tmp.resolve("wh").toString();
    status = Main.run("ingest", "--data", UnlistableFolderFileSystem.SCHEME + "://" + data, "--warehouse", warehouse, "--run-id", "bad-1",
        "--set", "ingest.volume.shape=8,8,8", "--set", "ingest.crop.extent=16,16,8");
  }

  private static int volume() {
    return SHAPE[0] * SHAPE[1] * SHAPE[2];
  }

  private static float[] image(float tumourValue) {
    float[] v = new float[volume()];
    for (int z = 1; z < SHAPE[2] - 1; z++) {
      for (int y = 2; y < SHAPE[1] - 2; y++) {
        for (int x = 2; x < SHAPE[0] - 2; x++) {
          v[x + SHAPE[0] * (y + SHAPE[1] * z)] = (x * 7 + y * 3 + z) % 11 + 20 + ((x > 8 && x < 12 && y > 8 && y < 12) ? tumourValue * 10 : 0);
        }
      }
    }
    return v;
  }

  private static void writePatient(String id, List<String> modalities, boolean seg) throws IOException {
    Path dir = data.resolve(id);
    Files.createDirectories(dir);
    for (String m : modalities) {
      NiftiWriter.write(dir.resolve(id + "_" + m + ".nii.gz"), SHAPE, image(IMAGES.indexOf(m) + 1), AFFINE, NiftiDataType.INT16);
    }
    if (seg) {
      float[] labels = new float[volume()];
      for (int z = 4; z < 8; z++) {
        for (int y = 9; y < 12; y++) {
          for (int x = 9; x < 12; x++) {
            labels[x + SHAPE[0] * (y + SHAPE[1] * z)] = x == 10 && y == 10 ? 1 : 2;
          }
        }
      }
      NiftiWriter.write(dir.resolve(id + "_seg.nii.gz"), SHAPE, labels, AFFINE, NiftiDataType.UINT8);
    }
  }

  private static Map<String, Row> errorsByPatient() {
    Map<String, Row> m = new HashMap<>();
    for (Row r : spark.read().parquet(warehouse + "/ingest_errors").where("rejected").collectAsList()) {
      String key = r.getAs("patient_id");
      m.put(key + (r.getAs("kind").equals("duplicate_patient_id") ? "#dup" : ""), r);
    }
    return m;
  }

  @Test
  void everyBadInputIsOneRowNamingItsSourceAndReason() {
    assertEquals(ExitStatus.PARTIAL, status, "tables written, some inputs rejected");
    Map<String, Row> e = errorsByPatient();
    Map<String, String> expected = new HashMap<>();
    expected.put("NoFlair", "missing_modality");
    expected.put("NoSeg", "missing_segmentation");
    expected.put("EmptySeg", "empty_segmentation");
    expected.put("Shapes", "shape_mismatch");
    expected.put("Truncated", "truncated_file");
    expected.put("NotNifti", "not_nifti");
    expected.put("Rgb", "unsupported_datatype");
    expected.put("NaNs", "non_finite_voxels");
    expected.put("BadGrade", "invalid_grade");
    expected.put("NoGrade", "missing_grade");
    expected.put("Dup#dup", "duplicate_patient_id");
    expected.put("EmptyFolder", "missing_modality");
    expected.put("Locked", "unreadable_folder");
    expected.forEach((id, kind) -> {
      Row r = e.get(id);
      assertTrue(r != null, "no ingest_errors row for " + id + " (rows: " + e.keySet() + ")");
      assertEquals(kind, r.getAs("kind"), id + ": " + r.getAs("message"));
      assertTrue(((String) r.getAs("source")).contains(id.replace("#dup", "")), "source names the input: " + r.getAs("source"));
      assertTrue(((String) r.getAs("message")).length() > 10);
    });
    assertTrue(((String) e.get("Truncated").getAs("source")).endsWith("Truncated_t1.nii.gz"), "names the file");
    assertTrue(((String) e.get("Rgb").getAs("message")).contains("128"), "names the data type code");
    assertTrue(((String) e.get("NaNs").getAs("message")).contains("2 NaN"), (String) e.get("NaNs").getAs("message"));
    assertEquals(expected.size(), e.size(), "no other rejections: " + e.keySet());
  }

  @Test
  void goodPatientsAreIngestedDespiteTheBadOnes() {
    Set<String> accepted = new TreeSet<>();
    spark.read().parquet(warehouse + "/patients").collectAsList().forEach(r -> accepted.add(r.getAs("patient_id")));
    // The top-level Dup is listed before HGG/ and kept; the copy under HGG/ is the duplicate.
    assertEquals(new TreeSet<>(List.of("Dup", "Good_1", "Good_2", "Good_3")), accepted);
    assertEquals(4, spark.read().parquet(warehouse + "/volumes").count());
  }

  @Test
  void rerunCarriesOverUnchangedPatientsAndRereadsChangedOnes() throws IOException {
    String wh = tmp.resolve("rerun").toString();
    Settings settings = SettingsLoader.defaults().with(Map.of(ConfigKeys.DATA_DIR, data.toString(),
        "ingest.volume.shape", "8,8,8", "ingest.crop.extent", "16,16,8", "ingest.slices.planes", "axial"));
    Warehouse warehouse = new Warehouse(spark, wh);
    IngestJob.Summary first = new IngestJob(settings, warehouse, "r1").run();
    assertEquals(0, first.carriedOver());
    List<Row> before = spark.read().parquet(wh + "/patients").orderBy("patient_id").collectAsList();
    long slicesBefore = spark.read().parquet(wh + "/slices").count();

    IngestJob.Summary second = new IngestJob(settings, warehouse, "r2").run();
    assertEquals(first.accepted(), second.carriedOver(), "nothing changed: every accepted patient is carried over");
    assertEquals(first.rejected(), second.rejected(), "rejected inputs are tried again");
    assertEquals(slicesBefore, spark.read().parquet(wh + "/slices").count());
    assertEquals(first.accepted(), spark.read().parquet(wh + "/volumes").where("run_id = 'r2'").count());
    List<Row> masks1 = referenceMasks(wh);
    assertEquals(first.accepted(), masks1.size(), "reference masks are carried over too");
    List<Row> after = spark.read().parquet(wh + "/patients").orderBy("patient_id").collectAsList();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals((Object) before.get(i).getAs("cohort"), after.get(i).getAs("cohort"));
      assertEquals((long) before.get(i).getAs("tumour_voxels"), (long) after.get(i).getAs("tumour_voxels"));
      assertEquals("r2", after.get(i).getAs("run_id"));
    }

    NiftiWriter.write(data.resolve("Good_2/Good_2_t1.nii.gz"), SHAPE, image(9f), AFFINE, NiftiDataType.INT16);
    IngestJob.Summary third = new IngestJob(settings, warehouse, "r3").run();
    assertEquals(first.accepted() - 1, third.carriedOver(), "the patient with a changed file is read again");
    List<Row> masks3 = referenceMasks(wh);
    assertEquals(masks1.size(), masks3.size());
    for (int i = 0; i < masks1.size(); i++) {
      assertEquals((String) masks1.get(i).getAs("patient_id"), masks3.get(i).getAs("patient_id"));
      assertArrayEquals((byte[]) masks1.get(i).getAs("mask"), (byte[]) masks3.get(i).getAs("mask"),
          "carried over or read again, the same mask");
    }

    // A warehouse ingested before reference_masks existed: its patients are read again, not carried over
    // without their reference masks.
    deleteTree(Path.of(wh, "reference_masks"));
    IngestJob.Summary older = new IngestJob(settings, warehouse, "r3b").run();
    assertEquals(0, older.carriedOver());
    assertEquals(first.accepted(), referenceMasks(wh).size());
    IngestJob.Summary otherShape = new IngestJob(settings.with("ingest.volume.shape", "8,8,4"), warehouse, "r4").run();
    assertEquals(0, otherShape.carriedOver(), "new preprocessing settings redo every patient");
    assertEquals(List.of(4, 8, 8, 4), spark.read().parquet(wh + "/volumes").first().getList(5));
  }

  private static List<Row> referenceMasks(String wh) {
    return spark.read().parquet(wh + "/reference_masks").orderBy("patient_id").collectAsList();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void strictStopsAtTheFirstRejection() {
    int rc = Main.run("ingest", "--data", data.toString(), "--warehouse", tmp.resolve("strict").toString(),
        "--strict", "--set", "ingest.volume.shape=8,8,8", "--set", "ingest.crop.extent=16,16,8");
    assertEquals(1, rc);
    assertTrue(!Files.exists(tmp.resolve("strict/patients")), "strict writes no tables");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(ExitStatus.USAGE, Main.run("ingest", "--data", data.toString(), "--bogus"));
    assertEquals(ExitStatus.USAGE, Main.run("ingest", "--warehouse", tmp.resolve("x").toString()),
        "no --data and no data.dir is a usage error naming the key");
  }
}
