package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.train.BestEpochCriterion;

/** train-cnn's settings, read and checked once. {@code folds} is empty for "all". */
public record CnnTrainingOptions(List<Integer> folds, int epochs, int batchSize, double learningRate, long seed,
    BestEpochCriterion criterion, Double fixedThreshold, int checkpointEvery, String checkpointRoot, int epochBudget,
    boolean trainMetrics, CnnLayout layout) {

  public static CnnTrainingOptions from(Settings s) {
    List<Integer> folds = new ArrayList<>();
    String f = s.get(ConfigKeys.CNN_FOLDS, "all");
    if (!f.equalsIgnoreCase("all")) {
      for (String part : s.getList(ConfigKeys.CNN_FOLDS)) {
        try {
          folds.add(Integer.parseInt(part));
        } catch (NumberFormatException e) {
          throw new ConfigException(ConfigKeys.CNN_FOLDS + " must be 'all' or fold numbers such as 0,3; got '" + f + "'");
        }
      }
    }
    int epochs = positive(s, ConfigKeys.CNN_EPOCHS);
    int batch = positive(s, ConfigKeys.CNN_BATCH_SIZE);
    if (batch < 2) {
      throw new ConfigException(ConfigKeys.CNN_BATCH_SIZE + " must be at least 2 (a balanced batch holds both classes)");
    }
    double lr = s.getDouble(ConfigKeys.CNN_LEARNING_RATE);
    if (!(lr > 0)) {
      throw new ConfigException(ConfigKeys.CNN_LEARNING_RATE + " must be positive, got " + lr);
    }
    long seed = s.has(ConfigKeys.CNN_SEED) ? s.getLong(ConfigKeys.CNN_SEED) : s.getLong(ConfigKeys.SEED, 2020);
    BestEpochCriterion criterion;
    try {
      criterion = BestEpochCriterion.parse(s.get(ConfigKeys.CNN_BEST_METRIC, "val_loss"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.CNN_BEST_METRIC + ": " + e.getMessage());
    }
    String t = s.get(ConfigKeys.CNN_THRESHOLD, "0.5").toLowerCase(Locale.ROOT);
    Double threshold = null;
    if (!t.equals("youden")) {
      threshold = s.getDouble(ConfigKeys.CNN_THRESHOLD);
      if (threshold < 0 || threshold > 1) {
        throw new ConfigException(ConfigKeys.CNN_THRESHOLD + " must be in [0, 1] or 'youden', got " + t);
      }
    }
    CnnLayout layout;
    try {
      layout = CnnLayout.parse(s.get(ConfigKeys.CNN_LAYOUT, "ndhwc"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.CNN_LAYOUT + ": " + e.getMessage());
    }
    String root = s.has(ConfigKeys.CNN_CHECKPOINT_DIR) ? s.get(ConfigKeys.CNN_CHECKPOINT_DIR)
        : s.get(ConfigKeys.WAREHOUSE).replaceAll("/+$", "") + "/_checkpoints/cnn";
    return new CnnTrainingOptions(List.copyOf(folds), epochs, batch, lr, seed, criterion, threshold,
        positive(s, ConfigKeys.CNN_CHECKPOINT_EVERY), root, Math.max(0, s.getInt(ConfigKeys.CNN_EPOCH_BUDGET, 0)),
        s.getBoolean(ConfigKeys.CNN_TRAIN_METRICS, true), layout);
  }

  public String thresholdRule() {
    return fixedThreshold == null ? "youden" : "fixed";
  }

  private static int positive(Settings s, String key) {
    int v = s.getInt(key);
    if (v <= 0) {
      throw new ConfigException("setting '" + key + "' must be positive, got " + v);
    }
    return v;
  }
}
