package org.gliomabench.core.model;

import java.io.Serializable;

/**
 * What the study's CNN is built from: the input volume shape [C, D, H, W], the learning rate, the seed
 * of the weight initialisation and the activations' memory layout (which changes speed, not the model).
 * Everything else about the network is fixed (see {@link GliomaCnn}).
 */
public record CnnSpec(int channels, int depth, int height, int width, double learningRate, long seed,
    CnnLayout layout) implements Serializable {

  /** The study's input: 4 modalities x 95 x 128 x 128. */
  public static final int[] STUDY_SHAPE = {4, 95, 128, 128};
  /** The study's batch size. */
  public static final int STUDY_BATCH = 16;
  /** The learning rate the study kept (200 epochs). */
  public static final double STUDY_LEARNING_RATE = 4e-7;

  public CnnSpec {
    if (channels <= 0 || depth <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("CNN input shape must be positive, got [" + channels + ", " + depth
          + ", " + height + ", " + width + "]");
    }
    if (depth < 4 || height < 4 || width < 4) {
      throw new IllegalArgumentException("CNN input D, H, W must be at least 4 (two 2x poolings), got ["
          + depth + ", " + height + ", " + width + "]");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (layout == null) {
      throw new IllegalArgumentException("CNN layout must be given");
    }
  }

  /** From a [C, D, H, W] shape as stored beside each tensor in the volumes table, in the default NDHWC layout. */
  public static CnnSpec of(int[] shape, double learningRate, long seed) {
    return of(shape, learningRate, seed, CnnLayout.NDHWC);
  }

  public static CnnSpec of(int[] shape, double learningRate, long seed, CnnLayout layout) {
    if (shape.length != 4) {
      throw new IllegalArgumentException("CNN input shape must be [C, D, H, W], got " + java.util.Arrays.toString(shape));
    }
    return new CnnSpec(shape[0], shape[1], shape[2], shape[3], learningRate, seed, layout);
  }

  public int[] shape() {
    return new int[] {channels, depth, height, width};
  }

  /** Length of one flat example, C*D*H*W. */
  public int featureLength() {
    return channels * depth * height * width;
  }

  public CnnSpec withSeed(long newSeed) {
    return new CnnSpec(channels, depth, height, width, learningRate, newSeed, layout);
  }

  public CnnSpec withLayout(CnnLayout newLayout) {
    return new CnnSpec(channels, depth, height, width, learningRate, seed, newLayout);
  }
}
