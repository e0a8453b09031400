package org.gliomabench.core.preprocess;

/**
 * How a canonical slice of a plane is laid out as an image, in the radiological convention (see {@link SliceImage}):
 * pixel (row, column) of canonical slice {@code s} is one file voxel. Written once so that every image of a slice
 * (the FLAIR PNG, its mask, the four-modality montage, a predicted outline mapped back from the volume grid) lands
 * on the same pixels.
 */
public final class SliceGeometry {
  private SliceGeometry() {}

  /** Image width in pixels: axial and coronal show x (right to left), sagittal y (anterior on the left). */
  public static int width(Plane plane, Orientation.Indexer ix) {
    return plane == Plane.SAGITTAL ? ix.ny() : ix.nx();
  }

  /** Image height in pixels: axial shows y (anterior up), coronal and sagittal z (superior up). */
  public static int height(Plane plane, Orientation.Indexer ix) {
    return plane == Plane.AXIAL ? ix.ny() : ix.nz();
  }

  /** The file-ordered array position shown at ({@code row}, {@code col}) of canonical slice {@code s}. */
  public static int fileIndex(Plane plane, Orientation.Indexer ix, int s, int row, int col) {
    switch (plane) {
      case AXIAL: return ix.index(ix.nx() - 1 - col, ix.ny() - 1 - row, s);
      case CORONAL: return ix.index(ix.nx() - 1 - col, s, ix.nz() - 1 - row);
      default: return ix.index(s, ix.ny() - 1 - col, ix.nz() - 1 - row);
    }
  }

  /** The canonical slice whose file index (slice_index) along the plane's axis is {@code sliceIndex}; -1 if none. */
  public static int canonicalSlice(Orientation o, int[] fileShape, Plane plane, int sliceIndex) {
    int n = o.canonicalShape(fileShape)[plane.rasAxis()];
    for (int s = 0; s < n; s++) {
      if (o.arrayIndex(plane.rasAxis(), s, fileShape) == sliceIndex) {
        return s;
      }
    }
    return -1;
  }

  /**
   * A volume's canonical slice windowed to 8-bit gray: brain voxels (those that differ from {@code background})
   * mapped linearly from [low, high] to [0, 255], everything else black; row by row.
   */
  public static byte[] windowed(float[] data, float background, float low, float high, Plane plane,
      Orientation.Indexer ix, int s) {
    int width = width(plane, ix);
    int height = height(plane, ix);
    float top = high > low ? high : low + 1;
    float scale = 255f / (top - low);
    byte[] pixels = new byte[width * height];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        float value = data[fileIndex(plane, ix, s, r, c)];
        if (BrainMask.isBrain(value, background)) {
          float v = (value - low) * scale;
          pixels[r * width + c] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
        }
      }
    }
    return pixels;
  }
}
