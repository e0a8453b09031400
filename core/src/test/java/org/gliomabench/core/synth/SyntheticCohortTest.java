package org.gliomabench.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gliomabench.core.brats.Grade;
import org.gliomabench.core.brats.GradeTable;
import org.gliomabench.core.nifti.NiftiDataType;
import org.gliomabench.core.nifti.NiftiReader;
import org.gliomabench.core.nifti.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic cohort, read back through our NIfTI reader and the ingest's grade-table parser. */
class SyntheticCohortTest {
  private static final int[] SHAPE = {28, 30, 20};
  private static final int PATIENTS = 10;

  @TempDir
  static Path shared;
  static SyntheticCohort.Summary cohort;

  @TempDir
  Path tmp;

  @BeforeAll
  static void writeOnce() throws IOException {
    cohort = SyntheticCohort.write(shared.resolve("cohort"), PATIENTS, 0.3, SHAPE, 11);
  }

  private static NiftiVolume read(SyntheticPatient p, String modality) throws IOException {
    return NiftiReader.read(cohort.dir().resolve(p.id()).resolve(p.id() + "_" + modality + ".nii.gz"));
  }

  @Test
  void writesTheBrats2020LayoutWithExactlyRoundedLggCount() throws IOException {
    assertEquals(PATIENTS, cohort.patients().size());
    assertEquals(3, cohort.count(Grade.LGG), "round(0.3 * 10)");
    assertEquals(7, cohort.count(Grade.HGG));
    assertEquals("Synth_001", cohort.patients().get(0).id());
    assertEquals("Synth_010", cohort.patients().get(9).id());
    for (SyntheticPatient p : cohort.patients()) {
      try (Stream<Path> files = Files.list(cohort.dir().resolve(p.id()))) {
        Set<String> names = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        assertEquals(Set.of(p.id() + "_t1.nii.gz", p.id() + "_t1ce.nii.gz", p.id() + "_t2.nii.gz",
            p.id() + "_flair.nii.gz", p.id() + "_seg.nii.gz"), names);
      }
    }
  }

  @Test
  void lggCountIsRoundedAndPositionsAreShuffledBySeed() {
    assertEquals(4, SyntheticCohort.grades(7, 0.5, 1).stream().filter(g -> g == Grade.LGG).count(), "round(3.5) = 4");
    assertEquals(8, SyntheticCohort.grades(40, 0.2, 1).stream().filter(g -> g == Grade.LGG).count());
    assertTrue(SyntheticCohort.grades(5, 0, 1).stream().allMatch(g -> g == Grade.HGG));
    assertTrue(SyntheticCohort.grades(5, 1, 1).stream().allMatch(g -> g == Grade.LGG));
    assertEquals(SyntheticCohort.grades(40, 0.2, 5), SyntheticCohort.grades(40, 0.2, 5));
    assertNotEquals(SyntheticCohort.grades(40, 0.2, 5), SyntheticCohort.grades(40, 0.2, 6));
    List<Grade> g = SyntheticCohort.grades(40, 0.2, 5);
    assertNotEquals(g.subList(0, 8), java.util.Collections.nCopies(8, Grade.LGG), "LGG not all at the front");
  }

  @Test
  void everyFileIsInt16WithTheShapeVoxelSizeAndBratsAffine() throws IOException {
    double[][] expected = {{-1, 0, 0, 0}, {0, -1, 0, SHAPE[1] - 1}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    for (SyntheticPatient p : cohort.patients()) {
      for (String m : List.of("t1", "t1ce", "t2", "flair", "seg")) {
        NiftiVolume v = read(p, m);
        assertArrayEquals(SHAPE, v.shape(), p.id() + " " + m);
        assertEquals(NiftiDataType.INT16, v.header().dataType());
        assertArrayEquals(new double[] {1, 1, 1}, v.voxelSize());
        assertTrue(v.header().qformCode() > 0 && v.header().sformCode() > 0);
        double[][] a = v.affine();
        for (int r = 0; r < 4; r++) {
          assertArrayEquals(expected[r], a[r], 1e-6, p.id() + " " + m + " affine row " + r);
        }
      }
    }
  }

  @Test
  void hggHasAnEnhancingRimAndLggNever() throws IOException {
    for (SyntheticPatient p : cohort.patients()) {
      NiftiVolume seg = read(p, "seg");
      int[] counts = new int[5];
      for (float f : seg.data()) {
        assertTrue(f == 0 || f == 1 || f == 2 || f == 4, p.id() + " has label " + f);
        counts[(int) f]++;
      }
      assertEquals(p.label1Voxels(), counts[1], p.id());
      assertEquals(p.label2Voxels(), counts[2], p.id());
      assertEquals(p.label4Voxels(), counts[4], p.id());
      assertTrue(counts[1] > 0 && counts[2] > 0, p.id() + " has a core and oedema");
      if (p.grade() == Grade.HGG) {
        assertTrue(counts[4] > 0, p.id() + " HGG without enhancing tumour");
      } else {
        assertEquals(0, counts[4], p.id() + " LGG with label 4");
      }
    }
  }

  @Test
  void skullStrippedBrainWithTheTumourInsideIt() throws IOException {
    for (SyntheticPatient p : cohort.patients()) {
      NiftiVolume seg = read(p, "seg");
      float[] flair = read(p, "flair").data();
      float[] t1 = read(p, "t1").data();
      int brain = 0;
      for (int i = 0; i < flair.length; i++) {
        assertEquals(flair[i] > 0, t1[i] > 0, "every modality has the same brain mask");
        brain += flair[i] > 0 ? 1 : 0;
        if (seg.data()[i] > 0) {
          assertTrue(flair[i] > 0, p.id() + ": tumour voxel outside the brain");
        }
      }
      assertEquals(0f, flair[0], "background corner");
      double fraction = brain / (double) flair.length;
      assertTrue(fraction > 0.2 && fraction < 0.5, p.id() + " brain fraction " + fraction);
    }
  }

  @Test
  void modalitiesShowTheTumourContrasts() throws IOException {
    double hggRim = 0;
    double lggCore = 0;
    for (SyntheticPatient p : cohort.patients()) {
      float[] seg = read(p, "seg").data();
      double[] healthy = new double[4];
      double[] oedema = new double[4];
      double[] core = new double[4];
      List<String> modalities = SyntheticCohort.IMAGE_MODALITIES;
      for (int m = 0; m < 4; m++) {
        float[] img = read(p, modalities.get(m)).data();
        healthy[m] = mean(img, seg, 0, true);
        oedema[m] = mean(img, seg, 2, false);
        core[m] = mean(img, seg, p.grade() == Grade.HGG ? 4 : 1, false);
      }
      // oedema bright on T2 and FLAIR, darker on T1
      assertTrue(oedema[3] > 1.3 * healthy[3], p.id() + " flair oedema " + oedema[3] + " vs " + healthy[3]);
      assertTrue(oedema[2] > 1.3 * healthy[2], p.id() + " t2");
      assertTrue(oedema[0] < healthy[0], p.id() + " t1");
      double ratio = core[1] / healthy[1];
      if (p.grade() == Grade.HGG) {
        hggRim += ratio / cohort.count(Grade.HGG);
      } else {
        lggCore += ratio / cohort.count(Grade.LGG);
      }
    }
    assertTrue(hggRim > lggCore + 0.15, "T1ce: HGG rim " + hggRim + " vs LGG core " + lggCore);
  }

  private static double mean(float[] img, float[] seg, int label, boolean brainOnly) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < img.length; i++) {
      if (seg[i] == label && (!brainOnly || img[i] > 0)) {
        sum += img[i];
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void nameMappingHasTheBratsHeaderAndParsesAsGrades() throws IOException {
    String csv = Files.readString(cohort.dir().resolve("name_mapping.csv"), StandardCharsets.UTF_8);
    assertEquals("Grade,BraTS_2017_subject_ID,BraTS_2018_subject_ID,TCGA_TCIA_subject_ID,BraTS_2019_subject_ID,"
        + "BraTS_2020_subject_ID", csv.lines().findFirst().orElseThrow());
    GradeTable table = GradeTable.parse(csv, "name_mapping.csv");
    assertEquals(PATIENTS, table.size());
    assertTrue(table.problems().isEmpty());
    for (SyntheticPatient p : cohort.patients()) {
      assertEquals(p.grade().name(), table.grade(p.id()));
    }
  }

  @Test
  void theSameArgumentsGiveTheSameBytesAndAnotherSeedOthers() throws IOException {
    int[] shape = {20, 18, 16};
    SyntheticCohort.write(tmp.resolve("a"), 3, 0.34, shape, 42);
    SyntheticCohort.write(tmp.resolve("b"), 3, 0.34, shape, 42);
    SyntheticCohort.write(tmp.resolve("c"), 3, 0.34, shape, 43);
    List<Path> files = files(tmp.resolve("a"));
    assertEquals(3 * 5 + 2, files.size(), "15 images, name_mapping.csv, the marker");
    for (Path f : files) {
      Path rel = tmp.resolve("a").relativize(f);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b").resolve(rel)), rel.toString());
    }
    Path flair = Path.of("Synth_001", "Synth_001_flair.nii.gz");
    assertFalse(java.util.Arrays.equals(NiftiReader.read(tmp.resolve("a").resolve(flair)).data(),
        NiftiReader.read(tmp.resolve("c").resolve(flair)).data()));
  }

  @Test
  void overwritesAPreviousOutputButRefusesAnyOtherNonEmptyFolder() throws IOException {
    int[] shape = {16, 16, 16};
    Path out = tmp.resolve("synth");
    SyntheticCohort.write(out, 3, 0, shape, 1);
    assertTrue(SyntheticCohort.isCompleteOutput(out));
    Files.writeString(out.resolve("notes.txt"), "mine");
    SyntheticCohort.write(out, 2, 0, shape, 2);
    assertFalse(Files.exists(out.resolve("Synth_003")), "the old third patient is gone");
    assertEquals("mine", Files.readString(out.resolve("notes.txt")), "files synth did not write are kept");
    assertEquals(3, Files.readAllLines(out.resolve("name_mapping.csv")).size());

    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign.resolve("BraTS20_Training_001"));
    Files.writeString(foreign.resolve("name_mapping.csv"), "real data");
    SyntheticCohortException e = assertThrows(SyntheticCohortException.class,
        () -> SyntheticCohort.write(foreign, 2, 0, shape, 1));
    assertTrue(e.getMessage().contains("not a previous synth output"), e.getMessage());
    assertEquals("real data", Files.readString(foreign.resolve("name_mapping.csv")), "untouched");
    assertFalse(SyntheticCohort.isSynthOutput(foreign));

    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    assertThrows(SyntheticCohortException.class, () -> SyntheticCohort.write(file, 1, 0, shape, 1));
  }

  @Test
  void theSameCohortIntactIsReusedNotRewritten() throws IOException {
    int[] shape = {16, 18, 16};
    Path out = tmp.resolve("again");
    SyntheticCohort.Summary first = SyntheticCohort.write(out, 3, 0.34, shape, 9);
    assertFalse(first.reused());
    Path flair = out.resolve("Synth_002/Synth_002_flair.nii.gz");
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(flair, old);

    SyntheticCohort.Summary second = SyntheticCohort.write(out, 3, 0.34, shape, 9);
    assertTrue(second.reused());
    assertEquals(first.patients(), second.patients(), "grades and label counts come back from the marker");
    assertEquals(old, Files.getLastModifiedTime(flair), "not rewritten");

    SyntheticCohort.Summary otherSeed = SyntheticCohort.write(out, 3, 0.34, shape, 10);
    assertFalse(otherSeed.reused());
    SyntheticCohort.write(out, 3, 0.34, shape, 9);
    Files.delete(out.resolve("Synth_003/Synth_003_seg.nii.gz"));
    SyntheticCohort.Summary repaired = SyntheticCohort.write(out, 3, 0.34, shape, 9);
    assertFalse(repaired.reused(), "a missing file means the cohort is written anew");
    assertTrue(Files.exists(out.resolve("Synth_003/Synth_003_seg.nii.gz")));
    Files.write(out.resolve("Synth_001/Synth_001_t2.nii.gz"), new byte[] {1, 2, 3});
    assertFalse(SyntheticCohort.write(out, 3, 0.34, shape, 9).reused(), "a changed file too");
    assertTrue(NiftiReader.read(out.resolve("Synth_001/Synth_001_t2.nii.gz")).data().length > 0);
  }

  @Test
  void refusesParametersItCannotHonour() {
    Path out = tmp.resolve("x");
    assertThrows(IllegalArgumentException.class, () -> SyntheticCohort.write(out, 0, 0.2, SHAPE, 1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticCohort.write(out, 3, 1.5, SHAPE, 1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticCohort.write(out, 3, 0.2, new int[] {8, 64, 64}, 1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticCohort.write(out, 3, 0.2, new int[] {64, 64}, 1));
    assertFalse(Files.exists(out), "nothing written on refusal");
  }

  @Test
  void idsWidenForLargeCohorts() {
    assertEquals("Synth_007", SyntheticCohort.patientId(7, 40));
    assertEquals("Synth_0007", SyntheticCohort.patientId(7, 1200));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> out = new ArrayList<>(s.filter(Files::isRegularFile).sorted().collect(Collectors.toList()));
      assertEquals(out.size(), new HashSet<>(out).size());
      return out;
    }
  }
}
