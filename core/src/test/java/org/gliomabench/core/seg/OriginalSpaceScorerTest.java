package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.preprocess.Plane;
import org.gliomabench.core.preprocess.SliceImage;
import org.gliomabench.core.preprocess.SliceRenderer;
import org.gliomabench.core.preprocess.TumourCrop;
import org.gliomabench.core.preprocess.TumourRegion;
import org.junit.jupiter.api.Test;

/**
 * Scoring from a reference mask alone, on phantoms whose answers are known: a crop at the file's own
 * resolution maps the grid back exactly (Dice 1, HD95 0), a box shifted by one voxel along z has Dice
 * (c-1)/c, and the overlay of a slice is where ingest's slice renderer drew the tumour. The equality with
 * the file-reading scorer on real cases is OriginalSpaceScorerEqualityTest (jobs).
 */
class OriginalSpaceScorerTest {
  private static final int[] FILE = {30, 34, 20};
  /** Anisotropic on purpose: x, y, z in mm. */
  private static final double[] SPACING = {1.0, 1.5, 2.0};

  @Test
  void theReferenceOwnMaskAtItsOwnResolutionScoresDiceOneAndHd95Zero() {
    byte[] labels = GridMappingTest.phantom(FILE, 14, 16, 9);
    Orientation o = Orientation.fromAffine(GridMappingTest.LPS);
    ReferenceMask ref = ReferenceMask.ofLabels("P1", labels, FILE, SPACING, o, Segmentation.REFERENCE_PHANTOM);
    assertEquals("LPS", ref.axisCodes());
    assertArrayEquals(Regions.bitsOf(labels), ref.bits(), "the mask decodes to the labels' region bits");

    int[] dhw = {20, 28, 28};
    TumourCrop crop = TumourCrop.around(TumourRegion.of(labels, FILE, o), o.canonicalShape(FILE), new int[] {28, 28, 20},
        dhw);
    byte[] grid = Regions.bitsOf(crop.resampleLabels(labels, o.indexer(FILE)));
    OriginalSpaceScorer.Result result = OriginalSpaceScorer.score(ref, grid, dhw, crop.origin(), crop.extent());
    assertEquals(Segmentation.REFERENCE_PHANTOM, result.reference());
    assertEquals(List.of("WT", "TC", "ET"), result.regions().stream().map(OriginalSpaceScorer.RegionScore::region).toList());
    for (OriginalSpaceScorer.RegionScore r : result.regions()) {
      assertTrue(r.trueVoxels() > 0, r.region());
      assertEquals(r.trueVoxels(), r.predVoxels(), r.region());
      assertEquals(1.0, r.dice(), 1e-12, r.region());
      assertEquals(0.0, r.hd95(), 1e-12, r.region());
    }
  }

  @Test
  void aBoxShiftedOneVoxelAlongZScoresTheDiceOfItsOverlap() {
    int[] file = {12, 12, 12};
    byte[] labels = new byte[12 * 12 * 12];
    // a 4 x 4 x 5 box of label 2 (whole tumour only) at x 4..7, y 4..7, z 3..7
    for (int z = 3; z < 8; z++) {
      for (int y = 4; y < 8; y++) {
        for (int x = 4; x < 8; x++) {
          labels[x + 12 * (y + 12 * z)] = 2;
        }
      }
    }
    Orientation ras = Orientation.identity();
    ReferenceMask ref = ReferenceMask.ofLabels("P2", labels, file, SPACING, ras, Segmentation.REFERENCE_CONSENSUS);
    // the whole volume as the grid: d = z, h = anterior to posterior (y reversed), w = right to left (x reversed)
    int[] dhw = {12, 12, 12};
    byte[] grid = new byte[12 * 12 * 12];
    for (int z = 4; z < 9; z++) { // one voxel superior
      for (int y = 4; y < 8; y++) {
        for (int x = 4; x < 8; x++) {
          grid[(z * 12 + (11 - y)) * 12 + (11 - x)] = 1;
        }
      }
    }
    OriginalSpaceScorer.Result r = OriginalSpaceScorer.score(ref, grid, dhw, new int[3], file);
    OriginalSpaceScorer.RegionScore wt = r.regions().get(Regions.WT);
    assertEquals(80, wt.trueVoxels());
    assertEquals(80, wt.predVoxels());
    assertEquals(4.0 / 5.0, wt.dice(), 1e-12, "4 of 5 layers overlap");
    // 16 of each box's 68 surface voxels (its bottom, resp. top face) lie one z step (2 mm) from the other's
    // surface, more than 5 %: HD95 is that step.
    assertEquals(SPACING[2], wt.hd95(), 1e-12);
    OriginalSpaceScorer.RegionScore tc = r.regions().get(Regions.TC);
    assertEquals(1.0, tc.dice(), "both empty");
    assertNull(tc.hd95(), "nothing to measure");
    assertEquals(Segmentation.REFERENCE_CONSENSUS, r.reference());
  }

  @Test
  void theAxialOverlayIsWhereIngestDrewTheTumourOnEachSlice() {
    byte[] labels = GridMappingTest.phantom(FILE, 12, 19, 8);
    Orientation o = Orientation.fromAffine(GridMappingTest.LPS);
    ReferenceMask ref = ReferenceMask.ofLabels("P3", labels, FILE, SPACING, o, Segmentation.REFERENCE_PHANTOM);
    int[] dhw = {20, 30, 28};
    TumourCrop crop = TumourCrop.around(TumourRegion.of(labels, FILE, o), o.canonicalShape(FILE), new int[] {28, 30, 20},
        dhw);
    byte[] grid = Regions.bitsOf(crop.resampleLabels(labels, o.indexer(FILE)));
    float[] flair = new float[labels.length];
    java.util.Arrays.fill(flair, 100f);
    List<SliceImage> slices = new SliceRenderer(flair, 0f, labels, 0f, 200f, FILE, o).render(Plane.AXIAL,
        SliceRenderer.Scope.TUMOUR);
    assertTrue(slices.size() > 5);
    for (SliceImage s : slices) {
      boolean[] drawn = LocationGeometry.decodeWholeTumour(s.maskPng(), s.width(), s.height()).toArray();
      boolean[] overlay = OriginalSpaceScorer.axialWholeTumour(ref, grid, dhw, crop.origin(), crop.extent(), s.sliceIndex());
      assertArrayEquals(drawn, overlay, "axial slice " + s.sliceIndex());
    }
  }

  @Test
  void aCorruptMaskIsAnErrorNamingThePatient() {
    ReferenceMask bad = new ReferenceMask("P4", FILE, SPACING, "LPS", Segmentation.REFERENCE_CONSENSUS,
        MaskCodec.encode(new byte[17]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OriginalSpaceScorer.score(bad, new byte[8], new int[] {2, 2, 2}, new int[3], new int[] {2, 2, 2}));
    assertTrue(e.getMessage().contains("P4"), e.getMessage());
  }
}
