package org.gliomabench.core.seg;

import org.gliomabench.core.preprocess.Orientation;

/**
 * The inverse of {@link org.gliomabench.core.preprocess.TumourCrop}: a mask on the volume grid [D, H, W]
 * (d inferior to superior, h anterior to posterior, w patient right to left) back onto the original file's
 * voxels (file order, x fastest), by nearest neighbour. A voxel of the original volume inside the crop box
 * (RAS x, y, z voxels {@code origin .. origin + extent - 1}) takes the value of the grid sample whose
 * centre is nearest; voxels outside the crop box are background (0): the CNN never saw them, so they
 * count as predicted background when it is scored in the original space.
 */
public final class GridMapping {
  private GridMapping() {}

  /**
   * @param grid values on the grid, C-order over {@code gridDhw}
   * @param cropOrigin crop origin in canonical RAS voxels (x, y, z), as in volumes.crop_origin
   * @param cropExtent crop extent in voxels (x, y, z), as in volumes.crop_extent
   * @param ix the original file's RAS indexer (from its affine and shape)
   * @return values per voxel of the original file, in file order
   */
  public static byte[] toFile(byte[] grid, int[] gridDhw, int[] cropOrigin, int[] cropExtent, Orientation.Indexer ix) {
    int depth = gridDhw[0];
    int height = gridDhw[1];
    int width = gridDhw[2];
    if (grid.length != depth * height * width) {
      throw new IllegalArgumentException("grid has " + grid.length + " values, shape needs " + depth * height * width);
    }
    int[] wi = inverse(ix.nx(), width, cropExtent[0], cropOrigin[0], true);
    int[] hi = inverse(ix.ny(), height, cropExtent[1], cropOrigin[1], true);
    int[] di = inverse(ix.nz(), depth, cropExtent[2], cropOrigin[2], false);
    byte[] out = new byte[ix.nx() * ix.ny() * ix.nz()];
    for (int k = 0; k < ix.nz(); k++) {
      if (di[k] < 0) {
        continue;
      }
      for (int j = 0; j < ix.ny(); j++) {
        if (hi[j] < 0) {
          continue;
        }
        int row = (di[k] * height + hi[j]) * width;
        for (int i = 0; i < ix.nx(); i++) {
          if (wi[i] >= 0) {
            out[ix.index(i, j, k)] = grid[row + wi[i]];
          }
        }
      }
    }
    return out;
  }

  /**
   * Per canonical voxel index along one axis, the grid sample nearest to it, or -1 outside the crop box.
   * TumourCrop samples output t at source coordinate origin + (t + 0.5) * extent / out - 0.5 (t counted from
   * the far end on reversed axes); this solves that for t and rounds.
   */
  static int[] inverse(int n, int out, int extent, int origin, boolean reversed) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      if (i < origin || i >= origin + extent) {
        t[i] = -1;
        continue;
      }
      long tt = Math.round((i - origin + 0.5) * out / (double) extent - 0.5);
      tt = Math.max(0, Math.min(out - 1, tt));
      t[i] = reversed ? out - 1 - (int) tt : (int) tt;
    }
    return t;
  }
}
