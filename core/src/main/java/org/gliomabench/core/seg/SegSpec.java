package org.gliomabench.core.seg;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.gliomabench.core.model.CnnLayout;

/**
 * What the segmentation U-Net is built from: the volume grid [C, D, H, W] of the volumes table, 3D or 2D
 * (axial slices), the filters of the first level (doubled per level), the number of 2x down levels, the
 * loss, learning rate and seed, and the memory layout of its activations (which changes speed, not the model).
 * The network sees the grid zero-padded up to a multiple of 2^levels ({@link #paddedDepth()} etc.); outputs are
 * cropped back to D x H x W.
 */
public record SegSpec(Dimensions dimensions, int channels, int depth, int height, int width, int baseFilters,
    int levels, SegLoss loss, double learningRate, long seed, CnnLayout layout) implements Serializable {

  /** The three BraTS regions the network outputs, one sigmoid channel each: WT, TC, ET. */
  public static final int REGIONS = 3;

  /** 3D: one example per patient volume; 2D: one example per axial slice (d) of the volume. */
  public enum Dimensions {
    THREE_D("3d"), TWO_D("2d");

    private final String code;

    Dimensions(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Dimensions parse(String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      for (Dimensions d : values()) {
        if (d.code.equals(v)) {
          return d;
        }
      }
      throw new IllegalArgumentException("segmentation dimensions must be 3d or 2d, got '" + s + "'");
    }
  }

  public SegSpec {
    if (channels <= 0 || depth <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("U-Net input shape must be positive, got [" + channels + ", " + depth
          + ", " + height + ", " + width + "]");
    }
    if (baseFilters <= 0 || levels < 1 || levels > 5) {
      throw new IllegalArgumentException("U-Net needs base filters > 0 and 1..5 levels, got " + baseFilters + ", " + levels);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (layout == null) {
      throw new IllegalArgumentException("U-Net layout must be given");
    }
  }

  /** From a [C, D, H, W] shape as stored beside each tensor in the volumes table, in the channels-last layout. */
  public static SegSpec of(Dimensions dims, int[] shape, int baseFilters, int levels, SegLoss loss, double lr,
      long seed) {
    return of(dims, shape, baseFilters, levels, loss, lr, seed, CnnLayout.NDHWC);
  }

  public static SegSpec of(Dimensions dims, int[] shape, int baseFilters, int levels, SegLoss loss, double lr,
      long seed, CnnLayout layout) {
    if (shape.length != 4) {
      throw new IllegalArgumentException("U-Net input shape must be [C, D, H, W], got " + Arrays.toString(shape));
    }
    return new SegSpec(dims, shape[0], shape[1], shape[2], shape[3], baseFilters, levels, loss, lr, seed, layout);
  }

  public boolean is3d() {
    return dimensions == Dimensions.THREE_D;
  }

  private int pad(int n) {
    int m = 1 << levels;
    return (n + m - 1) / m * m;
  }

  public int paddedDepth() {
    return is3d() ? pad(depth) : 1;
  }

  public int paddedHeight() {
    return pad(height);
  }

  public int paddedWidth() {
    return pad(width);
  }

  /** Voxels (3D) or pixels (2D) of one padded example, per channel. */
  public int exampleVoxels() {
    return paddedDepth() * paddedHeight() * paddedWidth();
  }

  /** Length of one flat example's features, C * padded voxels. */
  public int featureLength() {
    return channels * exampleVoxels();
  }

  /** Length of one flat example's labels/outputs, 3 regions * padded voxels. */
  public int labelLength() {
    return REGIONS * exampleVoxels();
  }

  /** Examples one patient gives: 1 (3D) or D axial slices (2D). */
  public int examplesPerPatient() {
    return is3d() ? 1 : depth;
  }

  public SegSpec withSeed(long newSeed) {
    return new SegSpec(dimensions, channels, depth, height, width, baseFilters, levels, loss, learningRate, newSeed,
        layout);
  }

  public SegSpec withLayout(CnnLayout newLayout) {
    return new SegSpec(dimensions, channels, depth, height, width, baseFilters, levels, loss, learningRate, seed,
        newLayout);
  }
}
