package org.gliomabench.jobs.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.preprocess.TumourCrop;
import org.gliomabench.core.preprocess.TumourRegion;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.synth.SyntheticCohort;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring from the reference_masks table (core OriginalSpaceScorer) gives exactly the figures of scoring
 * from the NIfTI files (OriginalSpaceScoring, which it replaces): Dice, HD95, predicted and true voxels per
 * region and the reference kind, on the real cases of ../shared/data/brats-mini and on synthetic phantoms,
 * for the reference's own grid mask, that mask shifted by a voxel along every grid axis, and an empty one.
 */
@SuppressWarnings("deprecation") // OriginalSpaceScoring is the oracle here
class OriginalSpaceScorerEqualityTest {
  private static final Path DATA = Path.of(System.getProperty("gliomabench.shared.dir", "../shared"), "data", "brats-mini");
  /** Crop extent and grid: BraTS size (the defaults' extent), and the synthetic study's profile. */
  private static final int[][] BRATS = {{160, 192, 128}, {32, 48, 48}};
  private static final int[][] SYNTH = {{48, 48, 32}, {16, 32, 32}};

  @TempDir
  static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SharedSpark.session();
  }

  @Test
  void realBratsCasesScoreTheSameFromTheTableAsFromTheirFiles() throws IOException {
    assumeTrue(Files.isDirectory(DATA), "no ../shared/data/brats-mini here");
    Warehouse wh = ingest(DATA, "brats", BRATS);
    List<String> ids = compareAll(wh, Segmentation.REFERENCE_CONSENSUS, BRATS);
    assertEquals(List.of("TCGA-DU-7294", "TCGA-FG-6692", "brats_2013_pat0001_1"), ids);
  }

  @Test
  void syntheticPhantomsScoreTheSameFromTheTableAsFromTheirFiles() throws IOException {
    Path synth = tmp.resolve("synth");
    SyntheticCohort.write(synth, 3, 0.34, new int[] {64, 64, 40}, 5);
    Warehouse wh = ingest(synth, "synth", SYNTH);
    assertEquals(3, compareAll(wh, Segmentation.REFERENCE_PHANTOM, SYNTH).size());
  }

  private static Warehouse ingest(Path data, String name, int[][] geometry) {
    String root = tmp.resolve(name + "-wh").toString();
    int rc = Main.run("ingest", "--data", data.toString(), "--warehouse", root, "--run-id", name,
        "--set", "ingest.crop.extent=" + csv(geometry[0]), "--set",
        "ingest.volume.shape=" + csv(geometry[1]),
        "--set", "ingest.slices.planes=axial", "--set", "ingest.slices.scope=tumour");
    assertEquals(0, rc, "ingest of " + data);
    return new Warehouse(spark, root);
  }

  /** Every patient of the warehouse scored both ways; returns the patient ids in order. */
  private static List<String> compareAll(Warehouse wh, String expectedReference, int[][] geometry) throws IOException {
    Map<String, Row> volumes = new HashMap<>();
    for (Row v : wh.read(Volumes.NAME).collectAsList()) {
      volumes.put(v.getAs(Tables.PATIENT_ID), v);
    }
    FileSystem fs = wh.fileSystem();
    List<String> ids = new ArrayList<>();
    for (Row p : wh.read(Patients.NAME).orderBy(Tables.PATIENT_ID).collectAsList()) {
      String id = p.getAs(Tables.PATIENT_ID);
      String folder = p.getAs(Patients.SOURCE);
      ids.add(id);
      ReferenceMask ref = ReferenceMaskRows.read(wh, id);
      assertNotNull(ref, "a " + ReferenceMasks.NAME + " row for " + id);
      assertEquals(expectedReference, ref.reference(), id);

      int[] dhw;
      byte[] own;
      int[] origin;
      int[] extent;
      Row v = volumes.get(id);
      if (v != null) {
        List<Integer> shape = v.getList(v.fieldIndex(Volumes.SHAPE));
        dhw = new int[] {shape.get(1), shape.get(2), shape.get(3)};
        own = Regions.bitsOf(v.getAs(Volumes.MASK));
        origin = ints(v.getList(v.fieldIndex(Volumes.CROP_ORIGIN)));
        extent = ints(v.getList(v.fieldIndex(Volumes.CROP_EXTENT)));
      } else {
        // Not CNN-usable (no volumes row): crop it the way ingest would have.
        byte[] labels = labels(ref.bits());
        Orientation o = ref.orientation();
        TumourCrop crop = TumourCrop.around(TumourRegion.of(labels, ref.shape(), o), o.canonicalShape(ref.shape()),
            geometry[0], geometry[1]);
        dhw = geometry[1].clone();
        own = Regions.bitsOf(crop.resampleLabels(labels, o.indexer(ref.shape())));
        origin = crop.origin();
        extent = crop.extent();
      }
      Map<String, byte[]> predictions = new java.util.LinkedHashMap<>();
      predictions.put("own", own);
      predictions.put("shifted", shift(own, dhw));
      predictions.put("empty", new byte[own.length]);
      OriginalSpaceScorer.Result ownResult = null;
      for (Map.Entry<String, byte[]> e : predictions.entrySet()) {
        OriginalSpaceScorer.Result table = OriginalSpaceScorer.score(ref, e.getValue(), dhw, origin, extent);
        OriginalSpaceScoring.Result files = OriginalSpaceScoring.score(fs, folder, id, e.getValue(), dhw, origin, extent);
        String what = id + " (" + e.getKey() + " prediction)";
        assertEquals(files.reference(), table.reference(), what);
        assertEquals(files.regions().size(), table.regions().size(), what);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %-8s", id, e.getKey()));
        for (int r = 0; r < table.regions().size(); r++) {
          OriginalSpaceScorer.RegionScore t = table.regions().get(r);
          OriginalSpaceScoring.RegionScore f = files.regions().get(r);
          String at = what + " region " + f.region();
          assertEquals(f.region(), t.region(), at);
          assertEquals(f.dice(), t.dice(), 0.0, at + " Dice");
          assertEquals(f.hd95(), t.hd95(), at + " HD95");
          assertEquals(f.predVoxels(), t.predVoxels(), at + " predicted voxels");
          assertEquals(f.trueVoxels(), t.trueVoxels(), at + " true voxels");
          line.append(String.format(Locale.ROOT, "  %s dice %.6f hd95 %s pred %d true %d", t.region(), t.dice(),
              t.hd95() == null ? "null" : String.format(Locale.ROOT, "%.4f", t.hd95()), t.predVoxels(), t.trueVoxels()));
        }
        System.out.println("equal from table and files: " + line);
        if (e.getKey().equals("own")) {
          ownResult = table;
          double wt = table.regions().get(Regions.WT).dice();
          assertTrue(wt > 0.5 && wt < 1.0, what + ": resampled to the grid and back, not the identity: " + wt);
          assertEquals((long) p.getAs(Patients.TUMOUR_VOXELS), table.regions().get(Regions.WT).trueVoxels(),
              id + ": the table's mask holds the patient's tumour voxels");
        } else if (e.getKey().equals("shifted")) {
          assertNotEquals(ownResult.regions().get(Regions.WT).dice(), table.regions().get(Regions.WT).dice(),
              what + " differs from the unshifted prediction");
        }
      }
    }
    return ids;
  }

  /** The mask moved one voxel along each grid axis (+d, -h, +w). */
  private static byte[] shift(byte[] grid, int[] dhw) {
    byte[] out = new byte[grid.length];
    for (int d = 1; d < dhw[0]; d++) {
      for (int h = 0; h < dhw[1] - 1; h++) {
        for (int w = 1; w < dhw[2]; w++) {
          out[(d * dhw[1] + h) * dhw[2] + w] = grid[((d - 1) * dhw[1] + h + 1) * dhw[2] + w - 1];
        }
      }
    }
    return out;
  }

  /** BraTS labels back from region bits (7 enhancing, 3 core, 1 oedema). */
  private static byte[] labels(byte[] bits) {
    byte[] out = new byte[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = (byte) (bits[i] == 7 ? 4 : bits[i] == 3 ? 1 : bits[i] == 1 ? 2 : 0);
    }
    return out;
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String csv(int[] a) {
    return a[0] + "," + a[1] + "," + a[2];
  }
}
