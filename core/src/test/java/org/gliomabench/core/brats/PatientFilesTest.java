package org.gliomabench.core.brats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatientFilesTest {

  @Test
  void resolvesTheBrats2020Layout() {
    PatientFiles f = PatientFiles.resolve("BraTS20_Training_001", "/d/BraTS20_Training_001", List.of(
        "BraTS20_Training_001_flair.nii.gz", "BraTS20_Training_001_seg.nii.gz", "BraTS20_Training_001_t1.nii.gz",
        "BraTS20_Training_001_t1ce.nii.gz", "BraTS20_Training_001_t2.nii.gz"));
    assertEquals("/d/BraTS20_Training_001/BraTS20_Training_001_t1ce.nii.gz", f.path(Modality.T1CE));
    assertEquals("/d/BraTS20_Training_001/BraTS20_Training_001_t1.nii.gz", f.path(Modality.T1));
    assertTrue(f.missingImages().isEmpty());
    assertTrue(f.notes().isEmpty());
  }

  @Test
  void resolvesTheOddSegmentationNameOfTraining355() {
    PatientFiles f = PatientFiles.resolve("BraTS20_Training_355", "/d/BraTS20_Training_355", List.of(
        "BraTS20_Training_355_flair.nii", "W39_1998.09.19_Segm.nii", "BraTS20_Training_355_t1.nii",
        "BraTS20_Training_355_t1ce.nii", "BraTS20_Training_355_t2.nii"));
    assertEquals("/d/BraTS20_Training_355/W39_1998.09.19_Segm.nii", f.path(Modality.SEG));
    assertEquals(1, f.notes().size());
  }

  @Test
  void resolvesBrats2021Suffixes() {
    PatientFiles f = PatientFiles.resolve("BraTS-GLI-00000-000", "/d/x", List.of(
        "BraTS-GLI-00000-000-t1n.nii.gz", "BraTS-GLI-00000-000-t1c.nii.gz", "BraTS-GLI-00000-000-t2w.nii.gz",
        "BraTS-GLI-00000-000-t2f.nii.gz", "BraTS-GLI-00000-000-seg.nii.gz"));
    assertEquals("/d/x/BraTS-GLI-00000-000-t2f.nii.gz", f.path(Modality.FLAIR));
    assertEquals("/d/x/BraTS-GLI-00000-000-t1c.nii.gz", f.path(Modality.T1CE));
    assertTrue(f.missingImages().isEmpty());
  }

  @Test
  void reportsMissingModalitiesAndIgnoresOtherFiles() {
    PatientFiles f = PatientFiles.resolve("p", "/d/p", List.of("p_flair.nii.gz", "p_seg.nii.gz", "LICENSE.txt"));
    assertEquals(List.of(Modality.T1, Modality.T1CE, Modality.T2), f.missingImages());
    assertFalse(f.has(Modality.T1));
    assertTrue(f.has(Modality.SEG));
  }

  @Test
  void prefersGzipWhenAModalityIsThereTwice() {
    PatientFiles f = PatientFiles.resolve("p", "/d/p", List.of("p_flair.nii", "p_flair.nii.gz", "p_seg.nii.gz"));
    assertEquals("/d/p/p_flair.nii.gz", f.path(Modality.FLAIR));
    assertEquals(1, f.notes().size());
  }
}
