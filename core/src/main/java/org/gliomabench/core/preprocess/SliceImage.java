package org.gliomabench.core.preprocess;

/**
 * One slice of one plane as a person views it, radiological convention: axial and coronal with the
 * patient's right on the image's left; axial anterior up; coronal and sagittal superior up; sagittal
 * anterior on the left. {@code sliceIndex} is the file's voxel index along the plane's axis. {@code montagePng}: the
 * four-modality montage ({@link MontageRenderer}), for tumour slices of patients with all four modalities.
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
    byte[] maskPng,
    byte[] montagePng) implements java.io.Serializable {

  /** The same slice with its four-modality montage (null: none rendered). */
  public SliceImage withMontage(byte[] montage) {
    return new SliceImage(plane, sliceIndex, width, height, inBrain, tumourPixels, maskX0, maskY0, maskX1, maskY1,
        flairPng, maskPng, montage);
  }

  public boolean inTumour() {
    return tumourPixels > 0;
  }
}
