package org.gliomabench.core.preprocess;

/**
 * One slice of one plane as a person views it, radiological convention: axial and coronal with the
 * patient's right on the image's left; axial anterior up; coronal and sagittal superior up; sagittal
 * anterior on the left. {@code sliceIndex} is the file's voxel index along the plane's axis.
 */
public record SliceImage(
    Plane plane,
    int sliceIndex,
    int width,
    int height,
    boolean inBrain,
    long tumourPixels,
    int maskX0,
    int maskY0,
    int maskX1,
    int maskY1,
    byte[] flairPng,
    byte[] maskPng) implements java.io.Serializable {

  public boolean inTumour() {
    return tumourPixels > 0;
  }
}
