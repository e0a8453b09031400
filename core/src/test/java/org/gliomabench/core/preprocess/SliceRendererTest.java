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
    boolean[] brain = new boolean[flair.length];
    byte[] labels = new byte[flair.length];
    RasVolume v = new RasVolume(nx, ny, nz, flair);
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          brain[v.index(i, j, k)] = true;
          flair[v.index(i, j, k)] = 10;
        }
      }
    }
    // A bright voxel at the patient's right-most (i = nx-1), anterior-most (j = ny-1) corner of slice k = 1,
    // with tumour label 2.
    flair[v.index(nx - 1, ny - 1, 1)] = 100;
    labels[v.index(nx - 1, ny - 1, 1)] = 2;
    // LPS file order: canonical k = 1 is file index 1 along z.
    Orientation o = Orientation.fromAffine(OrientationTest.LPS);
    SliceRenderer r = new SliceRenderer(v, brain, labels, 0, 100, new int[] {nx, ny, nz}, o);
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
