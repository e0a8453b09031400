package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.preprocess.TumourCrop;
import org.gliomabench.core.preprocess.TumourRegion;
import org.junit.jupiter.api.Test;

class GridMappingTest {
  /** The BraTS storage order: LPS (x and y flipped against RAS). */
  static final double[][] LPS = {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};

  @Test
  void aPhantomMaskRoundTripsThroughTheCropAndBack() {
    int[] file = {60, 70, 50};
    byte[] labels = phantom(file, 38, 30, 22);
    Orientation o = Orientation.fromAffine(LPS);
    Orientation.Indexer ix = o.indexer(file);
    TumourRegion tumour = TumourRegion.of(labels, file, o);
    int[] extent = {48, 48, 32};
    int[] grid = {24, 40, 40};
    TumourCrop crop = TumourCrop.around(tumour, o.canonicalShape(file), extent, grid);
    byte[] onGrid = crop.resampleLabels(labels, ix);
    byte[] back = GridMapping.toFile(Regions.bitsOf(onGrid), grid, crop.origin(), crop.extent(), ix);
    byte[] truth = Regions.bitsOf(labels);
    for (int r = 0; r < 3; r++) {
      double dice = MaskMetrics.dice(Regions.region(back, r), Regions.region(truth, r));
      // Whole tumour >= 0.95; the smaller nested regions lose relatively more at their boundaries.
      double bar = r == Regions.WT ? 0.95 : 0.9;
      assertTrue(dice >= bar, "region " + Regions.NAMES[r] + " round-trips with Dice " + dice);
    }
  }

  @Test
  void atTheSameResolutionTheMappingIsExactAndOutsideTheCropIsBackground() {
    int[] file = {30, 30, 20};
    byte[] labels = phantom(file, 14, 16, 9);
    Orientation o = Orientation.fromAffine(LPS);
    Orientation.Indexer ix = o.indexer(file);
    TumourRegion tumour = TumourRegion.of(labels, file, o);
    int[] extent = {16, 16, 12};
    TumourCrop crop = TumourCrop.around(tumour, o.canonicalShape(file), extent, new int[] {12, 16, 16});
    byte[] onGrid = crop.resampleLabels(labels, ix);
    java.util.Arrays.fill(onGrid, (byte) 7); // everything inside the crop predicted
    byte[] back = GridMapping.toFile(onGrid, new int[] {12, 16, 16}, crop.origin(), crop.extent(), ix);
    long inside = 0;
    for (byte b : back) {
      inside += b == 7 ? 1 : 0;
    }
    assertEquals(16L * 16 * 12, inside, "exactly the crop box is mapped back");
    // Same resolution: labels -> grid -> file is the identity inside the box.
    byte[] grid = crop.resampleLabels(labels, ix);
    byte[] round = GridMapping.toFile(grid, new int[] {12, 16, 16}, crop.origin(), crop.extent(), ix);
    int[] origin = crop.origin();
    for (int k = origin[2]; k < origin[2] + 12; k++) {
      for (int j = origin[1]; j < origin[1] + 16; j++) {
        for (int i = origin[0]; i < origin[0] + 16; i++) {
          assertEquals(labels[ix.index(i, j, k)], round[ix.index(i, j, k)], "voxel " + i + "," + j + "," + k);
        }
      }
    }
  }

  /** Nested spheres in file order: oedema (2) around a core (1) with an enhancing shell (4). */
  static byte[] phantom(int[] s, int cx, int cy, int cz) {
    byte[] m = new byte[s[0] * s[1] * s[2]];
    for (int z = 0; z < s[2]; z++) {
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[0]; x++) {
          double d = Math.sqrt(Math.pow(x - cx, 2) + Math.pow(y - cy, 2) + Math.pow((z - cz) * 1.2, 2));
          m[x + s[0] * (y + s[1] * z)] = (byte) (d < 5 ? 1 : d < 8 ? 4 : d < 13 ? 2 : 0);
        }
      }
    }
    return m;
  }
}
