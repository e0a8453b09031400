package org.gliomabench.core.seg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.preprocess.Orientation;

/**
 * Scores a predicted region mask on the volume grid against the patient's reference segmentation in its
 * ORIGINAL voxels, from the reference_masks row alone (no file system): the prediction is mapped back onto
 * the original voxels ({@link GridMapping}: nearest neighbour, voxels outside the crop box are predicted
 * background), and Dice and HD95 (mm, the segmentation file's voxel size) are taken per region (WT, TC, ET).
 */
public final class OriginalSpaceScorer {
  private OriginalSpaceScorer() {}

  /** One region's overlap in the original space. */
  public record RegionScore(String region, double dice, Double hd95, long predVoxels, long trueVoxels)
      implements Serializable {}

  /** The patient's region scores and what they were compared against (ReferenceMask.reference). */
  public record Result(List<RegionScore> regions, String reference) implements Serializable {}

  /**
   * @param gridBits predicted region bits on the volume grid, C-order over {@code gridDhw}
   * @param gridDhw the grid's [D, H, W] (volumes.shape[1..3], seg_masks.shape)
   * @param cropOrigin volumes.crop_origin (RAS x, y, z voxels of the original volume)
   * @param cropExtent volumes.crop_extent
   */
  public static Result score(ReferenceMask reference, byte[] gridBits, int[] gridDhw, int[] cropOrigin,
      int[] cropExtent) {
    int[] shape = reference.shape();
    Orientation.Indexer ix = reference.indexer();
    byte[] predicted = GridMapping.toFile(gridBits, gridDhw, cropOrigin, cropExtent, ix);
    byte[] truth = reference.bits();
    double[] vs = reference.spacing();
    // File order (x fastest) is C-order over [z, y, x].
    int[] cShape = {shape[2], shape[1], shape[0]};
    double[] spacing = {vs[2], vs[1], vs[0]};
    List<RegionScore> out = new ArrayList<>();
    for (int r = 0; r < Regions.NAMES.length; r++) {
      MaskMetrics.Overlap o = MaskMetrics.compare(Regions.region(predicted, r), Regions.region(truth, r), cShape, spacing);
      out.add(new RegionScore(Regions.NAMES[r], o.dice(), o.hd95(), o.predVoxels(), o.trueVoxels()));
    }
    return new Result(out, reference.reference());
  }

  /**
   * The predicted region bits of one canonical axial slice as the slice image shows it (SliceRenderer:
   * column c, row r of canonical axial slice k is RAS voxel (nx-1-c, ny-1-r, k)), whole tumour (bit 0);
   * nx x ny values, row by row. All false when the slice index lies outside the volume.
   *
   * @param sliceIndex the axial slice in slice_index units (the file's voxel index along its axial array axis)
   */
  public static boolean[] axialWholeTumour(ReferenceMask reference, byte[] gridBits, int[] gridDhw, int[] cropOrigin,
      int[] cropExtent, int sliceIndex) {
    Orientation o = reference.orientation();
    Orientation.Indexer ix = o.indexer(reference.shape());
    int k = -1;
    for (int s = 0; s < ix.nz(); s++) {
      if (o.arrayIndex(2, s, reference.shape()) == sliceIndex) {
        k = s;
      }
    }
    byte[] file = GridMapping.toFile(gridBits, gridDhw, cropOrigin, cropExtent, ix);
    int width = ix.nx();
    int height = ix.ny();
    boolean[] out = new boolean[width * height];
    for (int r = 0; r < height && k >= 0; r++) {
      for (int c = 0; c < width; c++) {
        out[r * width + c] = (file[ix.index(width - 1 - c, height - 1 - r, k)] & 1) != 0;
      }
    }
    return out;
  }
}
