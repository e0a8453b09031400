package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.train.Epoch;
import org.gliomabench.jobs.cli.ExitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training stage over its folds: trains the requested folds one after the other (each through the whole
 * cluster) with the arm's {@link FoldTrainer} and reports per fold. A failing fold is logged with its reason and
 * the next fold goes on; the epoch budget is shared by the folds of one invocation.
 */
public final class TrainingJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

  private TrainingJob() {}

  /** Per fold: what happened, or the error; rows left out; patients finishing could not score. */
  public record Summary(Map<Integer, String> folds, List<Integer> failed, List<Integer> unfinished,
      List<VolumeRows.Rejected> rejected, List<String> unscored) {

    /** The stage's summary on stdout: each fold, the volumes rows left out, the patients not scored. */
    public void print(String stage, String runId) {
      System.out.printf("%s %s:%n", stage, runId);
      folds.forEach((fold, what) -> System.out.printf("  fold %d: %s%n", fold, what));
      if (!rejected.isEmpty()) {
        System.out.printf("  %d volumes rows left out:%n", rejected.size());
        rejected.forEach(r -> System.out.printf("    %s: %s%n", r.patientId(), r.reason()));
      }
      if (!unscored.isEmpty()) {
        System.out.printf("  %d patients not scored in the original space (see the log): %s%n", unscored.size(),
            unscored);
      }
    }

    /**
     * The stage's exit status: 1 a fold failed (named on stderr), 4 a fold stopped by the epoch budget, 3 done but
     * some patients could not be scored, else 0.
     */
    public int exitStatus(String stage, String runId) {
      if (!failed.isEmpty()) {
        System.err.println(stage + ": fold(s) " + failed + " failed; rerun with --run-id " + runId
            + " to retry them (finished folds are skipped)");
        return 1;
      }
      if (!unfinished.isEmpty()) {
        return ExitStatus.UNFINISHED;
      }
      return unscored.isEmpty() ? ExitStatus.OK : ExitStatus.PARTIAL;
    }
  }

  public static <E extends Epoch> Summary run(FoldTrainer<?, E> trainer, TrainingVolumes volumes,
      TrainingSettings options) {
    Map<Integer, String> outcome = new LinkedHashMap<>();
    List<Integer> failed = new ArrayList<>();
    List<Integer> unfinished = new ArrayList<>();
    List<String> unscored = new ArrayList<>();
    MemoryPlan plan = plan(trainer, options);
    trainer.masters.plan(plan.workers());
    int budget = options.budget();
    for (int fold : VolumeRows.foldsToTrain(options.folds(), volumes.folds())) {
      try {
        FoldTrainer.Result<E> r = trainer.train(fold, budget);
        budget = budget == Integer.MAX_VALUE ? budget : budget - r.epochsTrained();
        outcome.put(fold, describe(trainer, r));
        r.unscored().forEach(p -> unscored.add(p + " (fold " + fold + ")"));
        if (r.outcome() == FoldTrainer.Outcome.BUDGET_SPENT) {
          unfinished.add(fold);
        }
      } catch (Exception e) {
        LOG.error("{} fold {} failed: {}", trainer.stage(), fold, e.toString(), e);
        outcome.put(fold, "FAILED: " + e);
        failed.add(fold);
      }
    }
    return new Summary(outcome, failed, unfinished, volumes.rejected(), unscored);
  }

  /** Plans the workers' memory (and logs the plan) before any training: refuses what cannot fit. */
  static MemoryPlan plan(FoldTrainer<?, ?> trainer, TrainingSettings options) {
    EpochData.Rows rows = trainer.rows();
    MemoryPlan plan = MemoryPlan.of(trainer.jsc, trainer.network(0), rows.featureLength(), rows.labelLength(),
        options.batchSize(), options.prefetch(), trainer.masters.slots(trainer.jsc), options.workers(), trainer.stage(),
        Map.of("batch", options.key(ConfigKeys.TRAIN_BATCH_SIZE), "workers", options.key(ConfigKeys.TRAIN_WORKERS)));
    LOG.info(plan.describe(trainer.stage(), options.batchSize()));
    return plan;
  }

  private static <E extends Epoch> String describe(FoldTrainer<?, E> trainer, FoldTrainer.Result<E> r) {
    switch (r.outcome()) {
      case ALREADY_FINISHED:
        return "already finished (kept epoch " + r.state().bestEpoch() + " of " + r.state().epochsDone() + ")";
      case BUDGET_SPENT:
        return "stopped by the epoch budget after epoch " + r.state().epochsDone() + " (" + r.epochsTrained() + " trained now)";
      default:
        return String.format("finished: %d epochs (%d now), kept epoch %d, %s", r.state().epochsDone(),
            r.epochsTrained(), r.state().bestEpoch(), trainer.describeFinished(r.state()));
    }
  }
}
