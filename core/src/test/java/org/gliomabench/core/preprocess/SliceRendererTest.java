package org.gliomabench.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SliceRendererTest {

  @Test
  void axialSlicesShowAnteriorUpAndPatientRightOnTheLeft() throws Exception {
    int nx = 8;
    int ny = 6;
    int nz = 4;
    float[] flair = new float[nx * ny * nz];
    byte[] labels = new byte[flair.length];
    // The file is stored LPS, as BraTS files are; v maps canonical RAS (i, j, k) to file positions.
    Orientation o = Orientation.fromAffine(OrientationTest.LPS);
    Orientation.Indexer v = o.indexer(new int[] {nx, ny, nz});
    java.util.Arrays.fill(flair, 10);
    flair[v.index(0, 0, 0)] = 0; // one background voxel: patient's left, posterior, inferior
    // A bright voxel at the patient's right-most (i = nx-1), anterior-most (j = ny-1) corner of slice k = 1,
    // with tumour label 2.
    flair[v.index(nx - 1, ny - 1, 1)] = 100;
    labels[v.index(nx - 1, ny - 1, 1)] = 2;
    // LPS file order: canonical k = 1 is file index 1 along z.
    SliceRenderer r = new SliceRenderer(flair, 0f, labels, 0, 100, new int[] {nx, ny, nz}, o);
    List<SliceImage> axial = r.render(Plane.AXIAL, SliceRenderer.Scope.ALL);
    assertEquals(nz, axial.size());
    SliceImage s = axial.get(1);
    assertEquals(1, s.sliceIndex());
    assertEquals(nx, s.width());
    assertEquals(ny, s.height());
    assertTrue(s.inTumour());
    assertEquals(1, s.tumourPixels());
    assertEquals(0, s.maskX0(), "patient's right is drawn on the left");
    assertEquals(0, s.maskY0(), "anterior is up");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(s.flairPng()));
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
    assertEquals(255, img.getRaster().getSample(0, 0, 0));
    assertEquals(Math.round(10 * 2.55f), img.getRaster().getSample(3, 3, 0));
    BufferedImage bottom = ImageIO.read(new ByteArrayInputStream(axial.get(0).flairPng()));
    assertEquals(0, bottom.getRaster().getSample(nx - 1, ny - 1, 0), "background is black, drawn bottom right");
    BufferedImage mask = ImageIO.read(new ByteArrayInputStream(s.maskPng()));
    assertEquals(2, mask.getRaster().getSample(0, 0, 0));
    assertNull(axial.get(0).maskPng());
    assertFalse(axial.get(0).inTumour());

    assertEquals(1, r.render(Plane.AXIAL, SliceRenderer.Scope.TUMOUR).size());
    List<SliceImage> sagittal = r.render(Plane.SAGITTAL, SliceRenderer.Scope.TUMOUR);
    assertEquals(1, sagittal.size());
    // canonical i = nx-1 is file x index 0 in LPS order
    assertEquals(0, sagittal.get(0).sliceIndex());
    assertEquals(0, sagittal.get(0).maskX0(), "sagittal: anterior on the left");
    assertEquals(nz - 1 - 1, sagittal.get(0).maskY0(), "sagittal: superior up");
  }
}
