package org.gliomabench.core.seg;

import java.io.Serializable;
import java.util.Arrays;
import org.gliomabench.core.preprocess.Orientation;

/**
 * A patient's reference segmentation in its ORIGINAL voxels, as ingest writes it (one row of
 * reference_masks): everything scoring in the original space and the report's overlays need, so that no
 * stage after ingest reads the NIfTI files.
 *
 * @param shape the segmentation file's array shape (x, y, z; x fastest in the mask)
 * @param spacing the segmentation file's voxel size in mm (x, y, z), which HD95 is measured in
 * @param axisCodes axis codes of the affine ingest oriented the patient by (the FLAIR's), e.g. "LPS"
 * @param reference what the mask is: 'synthetic_phantom' (exact) or 'brats_consensus' (annotators' consensus)
 * @param mask the region bits ({@link Regions#bits}) per voxel in file order, encoded by {@link MaskCodec}
 */
public record ReferenceMask(String patientId, int[] shape, double[] spacing, String axisCodes, String reference,
    byte[] mask) implements Serializable {

  /** From a segmentation's labels in file order (BraTS labels; 3 counts as 1, as ingest merges it). */
  public static ReferenceMask ofLabels(String patientId, byte[] labels, int[] shape, double[] spacing,
      Orientation orientation, String reference) {
    long n = (long) shape[0] * shape[1] * shape[2];
    if (labels.length != n) {
      throw new IllegalArgumentException(patientId + ": " + labels.length + " labels for shape " + Arrays.toString(shape));
    }
    return new ReferenceMask(patientId, Arrays.copyOf(shape, 3), Arrays.copyOf(spacing, 3), orientation.axisCodes(),
        reference, MaskCodec.encode(Regions.bitsOf(labels)));
  }

  public Orientation orientation() {
    return Orientation.fromAxisCodes(axisCodes);
  }

  /** The original volume walked in RAS order. */
  public Orientation.Indexer indexer() {
    return orientation().indexer(shape);
  }

  public int voxels() {
    return Math.multiplyExact(Math.multiplyExact(shape[0], shape[1]), shape[2]);
  }

  /** The decoded region bits per voxel, file order. */
  public byte[] bits() {
    try {
      return MaskCodec.decode(mask, voxels());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reference mask of " + patientId + ": " + e.getMessage(), e);
    }
  }
}
