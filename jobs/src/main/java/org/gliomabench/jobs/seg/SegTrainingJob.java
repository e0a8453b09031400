package org.gliomabench.jobs.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.jobs.cnn.TrainingMasters;
import org.gliomabench.jobs.cnn.VolumeRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train-seg stage: reads volumes (and patients for the source folders), trains the requested folds one
 * after the other, and reports per fold. A failing fold is logged with its reason and the next goes on.
 */
public final class SegTrainingJob {
  private static final Logger LOG = LoggerFactory.getLogger(SegTrainingJob.class);

  /** Per fold: what happened, or the error; patients that could not be scored in the original space. */
  public record Summary(Map<Integer, String> folds, List<Integer> failed, List<Integer> unfinished,
      List<VolumeRows.Rejected> rejected, List<String> unscored) {}

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;

  public SegTrainingJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  /**
   * The CNN arm's TrainingMasters with the segmentation batch size and averaging frequency; always parameter
   * averaging (workers, prefetch and repartitioning follow the cnn.* keys).
   */
  static TrainingMasters masters(Settings s, SegTrainingOptions o) {
    return new TrainingMasters(s.with(ConfigKeys.CNN_TRAINING_MASTER, TrainingMasters.AVERAGING)
        .with(ConfigKeys.CNN_BATCH_SIZE, Integer.toString(o.batchSize()))
        .with(ConfigKeys.CNN_AVERAGING_FREQUENCY, s.get(ConfigKeys.SEG_AVERAGING_FREQUENCY, "1")));
  }

  public Summary run() {
    SegTrainingOptions options = SegTrainingOptions.from(settings);
    TrainingMasters masters = masters(settings, options);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    Map<Integer, String> outcome = new LinkedHashMap<>();
    List<Integer> failed = new ArrayList<>();
    List<Integer> unfinished = new ArrayList<>();
    List<String> unscored = new ArrayList<>();
    try (SegVolumes volumes = SegVolumes.load(warehouse)) {
      List<Integer> folds = VolumeRows.foldsToTrain(options.folds(), volumes.folds());
      SegFoldTrainer trainer = new SegFoldTrainer(jsc, volumes, options, masters, new SegTables(warehouse, runId), runId);
      int budget = options.epochBudget() == 0 ? Integer.MAX_VALUE : options.epochBudget();
      for (int fold : folds) {
        try {
          SegFoldTrainer.Result r = trainer.train(fold, budget);
          budget = budget == Integer.MAX_VALUE ? budget : budget - r.epochsTrained();
          outcome.put(fold, describe(r));
          r.skippedPatients().forEach(p -> unscored.add(p + " (fold " + fold + ")"));
          if (r.outcome() == SegFoldTrainer.Outcome.BUDGET_SPENT) {
            unfinished.add(fold);
          }
        } catch (Exception e) {
          LOG.error("train-seg fold {} failed: {}", fold, e.toString(), e);
          outcome.put(fold, "FAILED: " + e);
          failed.add(fold);
        }
      }
      return new Summary(outcome, failed, unfinished, volumes.rejected(), unscored);
    }
  }

  private static String describe(SegFoldTrainer.Result r) {
    switch (r.outcome()) {
      case ALREADY_FINISHED:
        return "already finished (kept epoch " + r.state().bestEpoch() + " of " + r.state().epochsDone() + ")";
      case BUDGET_SPENT:
        return "stopped by the epoch budget after epoch " + r.state().epochsDone() + " (" + r.epochsTrained() + " trained now)";
      default:
        return String.format("finished: %d epochs (%d now), kept epoch %d (val WT Dice %.3f)", r.state().epochsDone(),
            r.epochsTrained(), r.state().bestEpoch(), r.state().bestRecord().valDiceWt());
    }
  }
}
