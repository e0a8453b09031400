package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gliomabench.core.preprocess.PngEncoder;
import org.gliomabench.core.seg.LocationGeometry.Mask;
import org.junit.jupiter.api.Test;

class LocationGeometryTest {

  @Test
  void boxCoversThePixelsWhoseCentresItHolds() {
    Mask m = LocationGeometry.box(2, 3, 6, 5, 10, 8);
    assertEquals(4 * 2, m.count(), "[2, 6) x [3, 5): columns 2-5, rows 3-4");
    assertTrue(m.get(2, 3));
    assertTrue(m.get(5, 4));
    assertFalse(m.get(6, 4), "a centre past the right edge is out");
    assertFalse(m.get(2, 5), "a centre past the bottom edge is out");
    // Fractional corners: centres 2.5 and 3.5 lie in [2.4, 4.0); 4.5 does not.
    assertEquals(2 * 1, LocationGeometry.box(2.4, 0.4, 4.0, 1.4, 10, 8).count());
    assertEquals(LocationGeometry.box(2, 3, 6, 5, 10, 8), LocationGeometry.box(6, 5, 2, 3, 10, 8), "corners in any order");
  }

  @Test
  void shapesAreClippedToTheImage() {
    assertEquals(10 * 8, LocationGeometry.box(-5, -5, 50, 50, 10, 8).count());
    assertEquals(2 * 8, LocationGeometry.box(8, -3, 12, 9, 10, 8).count());
    assertEquals(0, LocationGeometry.box(20, 20, 30, 30, 10, 8).count(), "wholly outside");
    assertEquals(0, LocationGeometry.box(3, 3, 3, 6, 10, 8).count(), "no width");
    assertEquals(10 * 8, LocationGeometry.polygon(new double[] {-4, -4, 40, -4, 40, 40, -4, 40}, 10, 8).count());
  }

  @Test
  void thePolygonOfABoxsCornersIsThatBox() {
    double[][] boxes = {{2, 3, 6, 5}, {0, 0, 10, 8}, {1.3, 0.7, 7.6, 6.2}, {4.5, 2.5, 5.5, 3.5}};
    for (double[] b : boxes) {
      Mask box = LocationGeometry.box(b[0], b[1], b[2], b[3], 10, 8);
      double[] clockwise = {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3]};
      double[] anticlockwise = {b[0], b[1], b[0], b[3], b[2], b[3], b[2], b[1]};
      assertEquals(box, LocationGeometry.polygon(clockwise, 10, 8), java.util.Arrays.toString(b));
      assertEquals(box, LocationGeometry.polygon(anticlockwise, 10, 8), java.util.Arrays.toString(b));
    }
  }

  @Test
  void polygonFollowsTheEvenOddRule() {
    // Right triangle (0,0) (8,0) (0,8): a centre (i+.5, j+.5) is in when i + j + 1 < 8.
    Mask t = LocationGeometry.polygon(new double[] {0, 0, 8, 0, 0, 8}, 8, 8);
    assertEquals(28, t.count(), "7 + 6 + ... + 1");
    assertTrue(t.get(0, 6));
    assertFalse(t.get(1, 6));
    // A self-crossing bow-tie ring covers its two triangles (area 2 x 4), not the gap between them.
    Mask bow = LocationGeometry.polygon(new double[] {0, 0, 4, 4, 4, 0, 0, 4}, 4, 4);
    assertEquals(8, bow.count());
    assertTrue(bow.get(0, 1) && bow.get(3, 1));
    assertFalse(bow.get(1, 0) || bow.get(2, 0), "the bow-tie's top gap");
    assertEquals(0, LocationGeometry.polygon(new double[] {1, 1, 5, 5}, 8, 8).count(), "two points have no area");
    assertThrows(IllegalArgumentException.class, () -> LocationGeometry.polygon(new double[] {1, 1, 5}, 8, 8));
  }

  @Test
  void diceCountsTheOverlap() {
    Mask a = LocationGeometry.box(0, 0, 4, 4, 10, 10); // 16
    Mask b = LocationGeometry.box(2, 0, 6, 4, 10, 10); // 16, overlap 8
    assertEquals(2.0 * 8 / 32, LocationGeometry.dice(a, b), 1e-12);
    assertEquals(1.0, LocationGeometry.dice(a, a), 0);
    assertEquals(0.0, LocationGeometry.dice(a, LocationGeometry.box(6, 6, 9, 9, 10, 10)), 0);
    assertEquals(1.0, LocationGeometry.dice(Mask.empty(10, 10), Mask.empty(10, 10)), 0, "both empty agree");
    assertEquals(0.0, LocationGeometry.dice(a, Mask.empty(10, 10)), 0);
    assertThrows(IllegalArgumentException.class, () -> LocationGeometry.dice(a, Mask.empty(10, 9)));
  }

  @Test
  void hitAndDistanceToTheCentroid() {
    Mask m = LocationGeometry.box(4, 2, 8, 6, 12, 10); // columns 4-7, rows 2-5
    assertArrayEquals(new double[] {6, 4}, m.centroid(), 1e-12);
    assertTrue(m.contains(6, 4));
    assertTrue(m.contains(4.0, 2.0), "the top-left corner pixel");
    assertFalse(m.contains(8.0, 4), "column 8 is out");
    assertFalse(m.contains(3.99, 4));
    assertFalse(m.contains(-1, 4));
    assertFalse(m.contains(Double.NaN, 4));
    assertTrue(LocationGeometry.box(0, 0, 12, 10, 12, 10).contains(12, 10), "the far edge counts in the last pixel");
    assertEquals(5.0, LocationGeometry.distance(6, 4, 9, 8), 1e-12);
    assertNull(Mask.empty(3, 3).centroid());
    // An L shape: centroid is the mean of its pixel centres.
    boolean[] px = new boolean[9];
    px[0] = px[3] = px[4] = true; // (0,0) (0,1) (1,1)
    assertArrayEquals(new double[] {(0.5 + 0.5 + 1.5) / 3, (0.5 + 1.5 + 1.5) / 3}, new Mask(3, 3, px).centroid(), 1e-12);
  }

  @Test
  void answerCentres() {
    assertArrayEquals(new double[] {3, 4}, LocationGeometry.centre("centre", new double[] {3, 4}), 0);
    assertArrayEquals(new double[] {4, 3.5}, LocationGeometry.centre("box", new double[] {2, 1, 6, 6}), 0);
    // Area centroid of a square with a redundant vertex is still its middle; a triangle's is its vertex mean.
    assertArrayEquals(new double[] {2, 2}, LocationGeometry.centre("polygon", new double[] {0, 0, 2, 0, 4, 0, 4, 4, 0, 4}), 1e-12);
    assertArrayEquals(new double[] {3, 1}, LocationGeometry.centre("polygon", new double[] {0, 0, 6, 0, 3, 3}), 1e-12);
    assertArrayEquals(new double[] {2, 2}, LocationGeometry.centre("polygon", new double[] {0, 0, 2, 2, 4, 4}), 1e-12,
        "no area: the vertex mean");
    assertNull(LocationGeometry.rasterise("centre", new double[] {3, 4}, 8, 8));
    assertEquals(LocationGeometry.box(1, 1, 3, 3, 8, 8), LocationGeometry.rasterise("box", new double[] {1, 1, 3, 3}, 8, 8));
    assertThrows(IllegalArgumentException.class, () -> LocationGeometry.rasterise("ellipse", new double[] {1}, 8, 8));
    assertThrows(IllegalArgumentException.class, () -> LocationGeometry.centre("box", new double[] {1, 2, 3}));
  }

  @Test
  void decodesTheWholeTumourFromIngestsMaskPng() {
    int w = 7;
    int h = 5;
    byte[] labels = new byte[w * h];
    labels[1 * w + 2] = 1;
    labels[1 * w + 3] = 2;
    labels[2 * w + 3] = 4;
    labels[4 * w + 6] = 2;
    Mask m = LocationGeometry.decodeWholeTumour(PngEncoder.gray8(labels, w, h), w, h);
    assertEquals(4, m.count());
    assertTrue(m.get(2, 1) && m.get(3, 1) && m.get(3, 2) && m.get(6, 4));
    assertFalse(m.get(0, 0));
    assertArrayEquals(new double[] {(2.5 + 3.5 + 3.5 + 6.5) / 4, (1.5 + 1.5 + 2.5 + 4.5) / 4}, m.centroid(), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocationGeometry.decodeWholeTumour(PngEncoder.gray8(labels, w, h), 5, 7));
    assertTrue(e.getMessage().contains("7 x 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LocationGeometry.decodeWholeTumour(new byte[] {1, 2, 3}, w, h));
  }
}
