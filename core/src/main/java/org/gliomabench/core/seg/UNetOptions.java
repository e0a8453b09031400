package org.gliomabench.core.seg;

import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;

/**
 * The U-Net's own settings (seg.dimensions, seg.loss, seg.base.filters, seg.levels, seg.layout), read and checked
 * once; the arms that train a U-Net (train-seg, and train-multitask through {@code multitask.X} over these) build it
 * from them.
 */
public record UNetOptions(SegSpec.Dimensions dimensions, SegLoss loss, int baseFilters, int levels, CnnLayout layout) {
  public static UNetOptions from(Settings s) {
    SegSpec.Dimensions dims;
    SegLoss loss;
    try {
      dims = SegSpec.Dimensions.parse(s.get(ConfigKeys.SEG_DIMENSIONS));
      loss = SegLoss.parse(s.get(ConfigKeys.SEG_LOSS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    CnnLayout layout;
    try {
      layout = CnnLayout.parse(s.get(ConfigKeys.SEG_LAYOUT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.SEG_LAYOUT + ": " + e.getMessage());
    }
    int filters = s.getInt(ConfigKeys.SEG_BASE_FILTERS);
    int levels = s.getInt(ConfigKeys.SEG_LEVELS);
    if (filters <= 0) {
      throw new ConfigException("setting '" + ConfigKeys.SEG_BASE_FILTERS + "' must be positive, got " + filters);
    }
    if (levels < 1 || levels > 5) {
      throw new ConfigException(ConfigKeys.SEG_LEVELS + " must be 1..5, got " + levels);
    }
    return new UNetOptions(dims, loss, filters, levels, layout);
  }

  /** The U-Net for volumes of {@code shape} [C, D, H, W], trained at {@code learningRate}, weights from {@code seed}. */
  public SegSpec spec(int[] shape, double learningRate, long seed) {
    return SegSpec.of(dimensions, shape, baseFilters, levels, loss, learningRate, seed, layout);
  }
}
