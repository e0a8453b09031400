package org.gliomabench.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OrientationTest {
  /** BraTS files: x runs to the patient's left, y posterior, z superior. */
  static final double[][] LPS = {{-1, 0, 0, 239}, {0, -1, 0, 239}, {0, 0, 1, 0}, {0, 0, 0, 1}};

  @Test
  void readsAxisCodesLikeNibabel() {
    assertEquals("LPS", Orientation.fromAffine(LPS).axisCodes());
    assertEquals("RAS", Orientation.identity().axisCodes());
    double[][] permuted = {{0, 0, 2, 0}, {-1, 0, 0, 0}, {0, 1.1, 0.1, 0}, {0, 0, 0, 1}};
    assertEquals("PSR", Orientation.fromAffine(permuted).axisCodes());
  }

  @Test
  void canonicalViewFlipsAndPermutesIndices() {
    int[] shape = {3, 4, 5};
    float[] data = new float[60];
    for (int i = 0; i < 60; i++) {
      data[i] = i;
    }
    Orientation o = Orientation.fromAffine(LPS);
    Orientation.Indexer v = o.indexer(shape);
    // canonical i counts towards the Right, i.e. from the file's last x index down.
    assertEquals(2 + 3 * 3 + 12 * 0, data[v.index(0, 0, 0)]);
    assertEquals(0 + 3 * 0 + 12 * 4, data[v.index(2, 3, 4)]);
    assertEquals(2, o.arrayIndex(0, 0, shape));
    assertEquals(4, o.arrayIndex(2, 4, shape));

    double[][] permuted = {{0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}}; // file axes: S, R, A
    Orientation p = Orientation.fromAffine(permuted);
    Orientation.Indexer pv = p.indexer(shape);
    assertEquals(4, pv.nx());
    assertEquals(5, pv.ny());
    assertEquals(3, pv.nz());
    // canonical (i, j, k) = file (k, i, j)
    assertEquals(data[1 + 3 * (2 + 4 * 3)], data[pv.index(2, 3, 1)]);
  }

  @Test
  void axisCodesRebuildEveryOneOfThe48OrientationsExactly() {
    int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    int[] shape = {5, 6, 7};
    int seen = 0;
    for (int[] perm : perms) {
      for (int flips = 0; flips < 8; flips++) {
        double[][] affine = new double[4][4];
        affine[3][3] = 1;
        for (int a = 0; a < 3; a++) {
          // array axis a runs along world axis perm[a], negative when its flip bit is set
          affine[perm[a]][a] = ((flips >> a) & 1) == 1 ? -1.5 : 1.5;
        }
        Orientation o = Orientation.fromAffine(affine);
        Orientation back = Orientation.fromAxisCodes(o.axisCodes());
        assertEquals(o, back, o.axisCodes());
        Orientation.Indexer a = o.indexer(shape);
        Orientation.Indexer b = back.indexer(shape);
        for (int r = 0; r < 3; r++) {
          assertEquals(o.arrayAxis(r), back.arrayAxis(r));
          assertEquals(o.flipped(r), back.flipped(r));
          assertEquals(a.size(r), b.size(r));
        }
        assertEquals(a.index(1, 2, 3), b.index(1, 2, 3));
        assertEquals(a.strideI(), b.strideI());
        assertEquals(a.strideJ(), b.strideJ());
        assertEquals(a.strideK(), b.strideK());
        seen++;
      }
    }
    assertEquals(48, seen);
    assertEquals(Orientation.fromAffine(LPS), Orientation.fromAxisCodes("lps"), "lower case is read too");
  }

  @Test
  void axisCodesThatAreNotOneLetterPerAxisAreRefusedNamingThem() {
    for (String bad : new String[] {"LP", "LPSS", "LLS", "RAX", "RRA", "XYZ"}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> Orientation.fromAxisCodes(bad), bad);
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Orientation.fromAxisCodes(null));
  }
}
