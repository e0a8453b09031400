package org.gliomabench.jobs.seg;

import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;

/** train-seg's settings, read and checked once. {@code folds} is empty for "all". */
public record SegTrainingOptions(List<Integer> folds, int epochs, int batchSize, double learningRate, long seed,
    SegSpec.Dimensions dimensions, SegLoss loss, int baseFilters, int levels, int checkpointEvery,
    String checkpointRoot, int epochBudget) {

  public static SegTrainingOptions from(Settings s) {
    List<Integer> folds = new ArrayList<>();
    String f = s.get(ConfigKeys.SEG_FOLDS, "all");
    if (!f.equalsIgnoreCase("all")) {
      for (String part : s.getList(ConfigKeys.SEG_FOLDS)) {
        try {
          folds.add(Integer.parseInt(part));
        } catch (NumberFormatException e) {
          throw new ConfigException(ConfigKeys.SEG_FOLDS + " must be 'all' or fold numbers such as 0,3; got '" + f + "'");
        }
      }
    }
    double lr = s.getDouble(ConfigKeys.SEG_LEARNING_RATE, 1e-3);
    if (!(lr > 0)) {
      throw new ConfigException(ConfigKeys.SEG_LEARNING_RATE + " must be positive, got " + lr);
    }
    long seed = s.has(ConfigKeys.SEG_SEED) ? s.getLong(ConfigKeys.SEG_SEED) : s.getLong(ConfigKeys.SEED, 2020);
    SegSpec.Dimensions dims;
    SegLoss loss;
    try {
      dims = SegSpec.Dimensions.parse(s.get(ConfigKeys.SEG_DIMENSIONS, "3d"));
      loss = SegLoss.parse(s.get(ConfigKeys.SEG_LOSS, "dice_bce"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    int levels = positive(s, ConfigKeys.SEG_LEVELS, 2);
    if (levels > 5) {
      throw new ConfigException(ConfigKeys.SEG_LEVELS + " must be 1..5, got " + levels);
    }
    String root = s.has(ConfigKeys.SEG_CHECKPOINT_DIR) ? s.get(ConfigKeys.SEG_CHECKPOINT_DIR)
        : s.get(ConfigKeys.WAREHOUSE).replaceAll("/+$", "") + "/_checkpoints/seg";
    return new SegTrainingOptions(List.copyOf(folds), positive(s, ConfigKeys.SEG_EPOCHS, 100),
        positive(s, ConfigKeys.SEG_BATCH_SIZE, 2), lr, seed, dims, loss, positive(s, ConfigKeys.SEG_BASE_FILTERS, 8),
        levels, positive(s, ConfigKeys.SEG_CHECKPOINT_EVERY, 5), root,
        Math.max(0, s.getInt(ConfigKeys.SEG_EPOCH_BUDGET, 0)));
  }

  public SegSpec spec(int[] shape, int fold) {
    return SegSpec.of(dimensions, shape, baseFilters, levels, loss, learningRate, seed + 1000L * fold);
  }

  private static int positive(Settings s, String key, int fallback) {
    int v = s.getInt(key, fallback);
    if (v <= 0) {
      throw new ConfigException("setting '" + key + "' must be positive, got " + v);
    }
    return v;
  }
}
