package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train-cnn stage: reads volumes, trains the requested folds one after the other (each through the
 * whole cluster), and reports per fold. A failing fold is logged with its reason and the next fold goes on.
 */
public final class CnnTrainingJob {
  private static final Logger LOG = LoggerFactory.getLogger(CnnTrainingJob.class);

  /** Per fold: what happened, or the error. */
  public record Summary(Map<Integer, String> folds, List<Integer> failed, List<Integer> unfinished,
      List<VolumeRows.Rejected> rejected) {}

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;

  public CnnTrainingJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public Summary run() {
    CnnTrainingOptions options = CnnTrainingOptions.from(settings);
    TrainingMasters masters = new TrainingMasters(settings);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    Map<Integer, String> outcome = new LinkedHashMap<>();
    List<Integer> failed = new ArrayList<>();
    List<Integer> unfinished = new ArrayList<>();
    try (CnnVolumes volumes = CnnVolumes.load(warehouse)) {
      List<Integer> folds = VolumeRows.foldsToTrain(options.folds(), volumes.folds());
      FoldTrainer trainer = new FoldTrainer(jsc, volumes, options, masters, new CnnTables(warehouse, runId), runId);
      int budget = options.epochBudget() == 0 ? Integer.MAX_VALUE : options.epochBudget();
      for (int fold : folds) {
        try {
          FoldTrainer.Result r = trainer.train(fold, budget);
          budget = budget == Integer.MAX_VALUE ? budget : budget - r.epochsTrained();
          outcome.put(fold, describe(r));
          if (r.outcome() == FoldTrainer.Outcome.BUDGET_SPENT) {
            unfinished.add(fold);
          }
        } catch (Exception e) {
          LOG.error("train-cnn fold {} failed: {}", fold, e.toString(), e);
          outcome.put(fold, "FAILED: " + e);
          failed.add(fold);
        }
      }
      return new Summary(outcome, failed, unfinished, volumes.rejected());
    }
  }

  private static String describe(FoldTrainer.Result r) {
    switch (r.outcome()) {
      case ALREADY_FINISHED:
        return "already finished (kept epoch " + r.state().bestEpoch() + " of " + r.state().epochsDone() + ")";
      case BUDGET_SPENT:
        return "stopped by the epoch budget after epoch " + r.state().epochsDone() + " (" + r.epochsTrained() + " trained now)";
      default:
        return String.format("finished: %d epochs (%d now), kept epoch %d, threshold %.3f", r.state().epochsDone(),
            r.epochsTrained(), r.state().bestEpoch(), r.state().threshold());
    }
  }
}
