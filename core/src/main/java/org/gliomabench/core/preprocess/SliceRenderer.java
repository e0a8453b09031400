package org.gliomabench.core.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders FLAIR slices as 8-bit PNGs windowed to the brain's intensity range (two percentiles of the
 * brain voxels of the whole volume, so that all slices of a patient share one window), with the
 * slice's tumour mask as a PNG of BraTS label values and its bounding box in pixel coordinates.
 */
public final class SliceRenderer {

  /** Which slices to keep. */
  public enum Scope { ALL, BRAIN, TUMOUR }

  private final float[] flair;
  private final float background;
  private final byte[] labels;
  private final Orientation.Indexer ix;
  private final float low;
  private final float high;
  private final int[] fileShape;
  private final Orientation orientation;

  /** {@code flair} and {@code labels} in file order; {@code background} is the FLAIR's non-brain value. */
  public SliceRenderer(float[] flair, float background, byte[] labels, float low, float high,
      int[] fileShape, Orientation orientation) {
    this.flair = flair;
    this.background = background;
    this.labels = labels;
    this.ix = orientation.indexer(fileShape);
    this.low = low;
    this.high = high > low ? high : low + 1;
    this.fileShape = fileShape;
    this.orientation = orientation;
  }

  public List<SliceImage> render(Plane plane, Scope scope) {
    int n = ix.size(plane.rasAxis());
    List<SliceImage> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      SliceImage img = render(plane, s, scope);
      if (img != null) {
        out.add(img);
      }
    }
    return out;
  }

  /** Canonical slice {@code s}; null when the scope excludes it. */
  SliceImage render(Plane plane, int s, Scope scope) {
    int width = SliceGeometry.width(plane, ix);
    int height = SliceGeometry.height(plane, ix);
    byte[] pixels = SliceGeometry.windowed(flair, background, low, high, plane, ix, s);
    byte[] mask = new byte[width * height];
    boolean anyBrain = false;
    long tumour = 0;
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y1 = -1;
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int idx = SliceGeometry.fileIndex(plane, ix, s, r, c);
        anyBrain |= BrainMask.isBrain(flair[idx], background);
        byte l = labels[idx];
        if (l != 0) {
          mask[r * width + c] = l;
          tumour++;
          x0 = Math.min(x0, c);
          x1 = Math.max(x1, c);
          y0 = Math.min(y0, r);
          y1 = Math.max(y1, r);
        }
      }
    }
    if ((scope == Scope.BRAIN && !anyBrain) || (scope == Scope.TUMOUR && tumour == 0)) {
      return null;
    }
    int fileIndex = orientation.arrayIndex(plane.rasAxis(), s, fileShape);
    byte[] png = PngEncoder.gray8(pixels, width, height);
    byte[] maskPng = tumour > 0 ? PngEncoder.gray8(mask, width, height) : null;
    return tumour > 0
        ? new SliceImage(plane, fileIndex, width, height, anyBrain, tumour, x0, y0, x1, y1, png, maskPng, null)
        : new SliceImage(plane, fileIndex, width, height, anyBrain, 0, -1, -1, -1, -1, png, null, null);
  }
}
