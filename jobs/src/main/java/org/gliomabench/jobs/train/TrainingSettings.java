package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;

/**
 * What the training engine needs of an arm's settings, read and checked once: the fold loop's (folds, epochs,
 * batch, learning rate, seed, checkpoints, budget) and the DL4J-on-Spark machinery's (master, averaging
 * frequency, workers, prefetch, threads). Each is {@code train.X}, overridden by the arm's own {@code <arm>.X}
 * ({@link Settings#forArm}); defaults live in conf/glioma-bench.properties only.
 *
 * @param arm the arm's key prefix without the dot: "cnn" or "seg"
 * @param folds the folds to train; empty for all
 * @param workers DL4J workers; null for one per Spark task slot
 * @param workerThreads OpenMP threads per worker; null for the worker's share of the cores
 * @param tensorDir where the training copy of the volumes table goes; empty: under the warehouse
 * @param exchange how parameter averaging ships parameters: {@link #FILES} or {@link #SPARK}
 * @param parallelFolds folds trained at once (0: as many as the workers allow)
 */
public record TrainingSettings(String arm, List<Integer> folds, int epochs, int batchSize, double learningRate,
    long seed, int checkpointEvery, String checkpointRoot, int epochBudget, String master, int averagingFrequency,
    Integer workers, int prefetch, Integer workerThreads, String tensorDir, String exchange, int parallelFolds) {

  public static final String AVERAGING = "averaging";
  public static final String SHARING = "sharing";
  public static final String FILES = "files";
  public static final String SPARK = "spark";

  /** {@code settings} as given (the arm's keys not yet laid over the shared ones). */
  public static TrainingSettings of(Settings settings, String arm) {
    Settings s = settings.forArm(arm + ".", ConfigKeys.TRAIN);
    List<Integer> folds = new ArrayList<>();
    String f = s.get(ConfigKeys.TRAIN_FOLDS);
    if (!f.equalsIgnoreCase("all")) {
      for (String part : s.getList(ConfigKeys.TRAIN_FOLDS)) {
        try {
          folds.add(Integer.parseInt(part));
        } catch (NumberFormatException e) {
          throw new ConfigException(key(arm, ConfigKeys.TRAIN_FOLDS) + " must be 'all' or fold numbers such as 0,3; got '"
              + f + "'");
        }
      }
    }
    double lr = s.getDouble(ConfigKeys.TRAIN_LEARNING_RATE);
    if (!(lr > 0)) {
      throw new ConfigException(key(arm, ConfigKeys.TRAIN_LEARNING_RATE) + " must be positive, got " + lr);
    }
    long seed = s.has(ConfigKeys.TRAIN_SEED) ? s.getLong(ConfigKeys.TRAIN_SEED) : s.getLong(ConfigKeys.SEED);
    String root = s.has(ConfigKeys.TRAIN_CHECKPOINT_DIR) ? s.get(ConfigKeys.TRAIN_CHECKPOINT_DIR)
        : s.get(ConfigKeys.WAREHOUSE).replaceAll("/+$", "") + "/_checkpoints/" + arm;
    String master = s.get(ConfigKeys.TRAIN_MASTER).toLowerCase(Locale.ROOT);
    if (!master.equals(AVERAGING) && !master.equals(SHARING)) {
      throw new ConfigException(key(arm, ConfigKeys.TRAIN_MASTER) + " must be averaging or sharing, got '" + master + "'");
    }
    int parallel = s.getInt(ConfigKeys.TRAIN_PARALLEL_FOLDS);
    if (parallel < 0) {
      throw new ConfigException(key(arm, ConfigKeys.TRAIN_PARALLEL_FOLDS) + " must be 0 (as many as fit) or more, got "
          + parallel);
    }
    String exchange = s.get(ConfigKeys.TRAIN_EXCHANGE).toLowerCase(Locale.ROOT);
    if (!exchange.equals(FILES) && !exchange.equals(SPARK)) {
      throw new ConfigException(key(arm, ConfigKeys.TRAIN_EXCHANGE) + " must be files or spark, got '" + exchange + "'");
    }
    return new TrainingSettings(arm, List.copyOf(folds), positive(s, arm, ConfigKeys.TRAIN_EPOCHS),
        positive(s, arm, ConfigKeys.TRAIN_BATCH_SIZE), lr, seed, positive(s, arm, ConfigKeys.TRAIN_CHECKPOINT_EVERY),
        root, Math.max(0, s.getInt(ConfigKeys.TRAIN_EPOCH_BUDGET)), master,
        positive(s, arm, ConfigKeys.TRAIN_AVERAGING_FREQUENCY),
        s.has(ConfigKeys.TRAIN_WORKERS) ? positive(s, arm, ConfigKeys.TRAIN_WORKERS) : null,
        Math.max(0, s.getInt(ConfigKeys.TRAIN_WORKER_PREFETCH)),
        s.has(ConfigKeys.TRAIN_WORKER_THREADS) ? positive(s, arm, ConfigKeys.TRAIN_WORKER_THREADS) : null,
        s.get(ConfigKeys.TRAIN_TENSOR_DIR, ""), exchange, parallel);
  }

  /**
   * A decision threshold on P(HGG) from {@code key}: a number in [0, 1], or null for "youden" (chosen on each fold's
   * validation part).
   */
  public static Double threshold(Settings s, String key) {
    if (s.get(key).trim().equalsIgnoreCase("youden")) {
      return null;
    }
    double threshold = s.getDouble(key);
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new ConfigException(key + " must be in [0, 1] or 'youden', got " + s.get(key));
    }
    return threshold;
  }

  /** The key a user sets for this arm, e.g. cnn.batch.size for train.batch.size. */
  public String key(String sharedKey) {
    return key(arm, sharedKey);
  }

  static String key(String arm, String sharedKey) {
    return arm + "." + sharedKey.substring(ConfigKeys.TRAIN.length());
  }

  /** The epoch budget as a count (no limit: Integer.MAX_VALUE). */
  public int budget() {
    return epochBudget == 0 ? Integer.MAX_VALUE : epochBudget;
  }

  private static int positive(Settings s, String arm, String key) {
    int v = s.getInt(key);
    if (v <= 0) {
      throw new ConfigException("setting '" + key(arm, key) + "' must be positive, got " + v);
    }
    return v;
  }
}
