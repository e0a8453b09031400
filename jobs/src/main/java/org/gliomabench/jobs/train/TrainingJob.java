package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.train.Epoch;
import org.gliomabench.jobs.StopSignals;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.warehouse.WarehouseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training stage over its folds with the arm's {@link FoldTrainer}: as many folds at once as the memory plan
 * allows ({@code train.parallel.folds}), each on workers of its own ({@link FoldLane}: its own executors where the
 * cluster has enough), taking the next fold when one finishes. Each fold is claimed in the warehouse first, so a
 * second writer of the same run and fold (a job array task, a rerun) is refused instead of both training it. A
 * failing fold is logged with its reason and the others go on; the epoch budget is shared by the folds of one
 * invocation. On a stop request ({@link StopSignals}) every fold checkpoints after its current averaging round and
 * no new fold starts.
 */
public final class TrainingJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

  private TrainingJob() {}

  /**
   * Per fold: what happened, or the error; rows left out; patients finishing could not score. Folds stopped by a
   * signal are also {@code unfinished}, and folds another writer holds also {@code failed}.
   */
  public record Summary(Map<Integer, String> folds, List<Integer> failed, List<Integer> unfinished,
      List<VolumeRows.Rejected> rejected, List<String> unscored, List<Integer> stopped, List<Integer> refused) {

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
     * The stage's exit status, with what to do on stderr: 7 stopped by a signal, 1 a fold failed, 5 another writer
     * holds a requested fold, 4 a fold stopped by the epoch budget, 3 done but some patients could not be scored,
     * else 0.
     */
    public int exitStatus(String stage, String runId) {
      if (!stopped.isEmpty()) {
        System.err.println(stage + ": stopped by " + StopSignals.reason() + " with fold(s) " + stopped + " checkpointed "
            + "or not started; rerun with --run-id " + runId + " to resume (a requeued Slurm job does)");
        return ExitStatus.STOPPED;
      }
      List<Integer> broken = failed.stream().filter(f -> !refused.contains(f)).toList();
      if (!broken.isEmpty()) {
        System.err.println(stage + ": fold(s) " + broken + " failed; rerun with --run-id " + runId
            + " to retry them (finished folds are skipped)");
        return ExitStatus.FAILED;
      }
      if (!refused.isEmpty()) {
        System.err.println(stage + ": fold(s) " + refused + " of run " + runId + " are being trained by another "
            + "writer (see above); nothing of theirs was touched");
        return ExitStatus.BUSY;
      }
      if (!unfinished.isEmpty()) {
        return ExitStatus.UNFINISHED;
      }
      return unscored.isEmpty() ? ExitStatus.OK : ExitStatus.PARTIAL;
    }
  }

  public static <E extends Epoch> Summary run(FoldTrainer<?, E> trainer, TrainingVolumes volumes,
      TrainingSettings options) {
    List<Integer> folds = VolumeRows.foldsToTrain(options.folds(), volumes.folds());
    MemoryPlan plan = plan(trainer, options, folds.size());
    trainer.masters.plan(plan.workers());
    List<FoldLane> lanes = FoldLane.assign(trainer.jsc, plan.folds(), plan.workers());
    Run<E> run = new Run<>(trainer, volumes, EpochBudget.of(options.budget()), new ConcurrentLinkedQueue<>(folds));
    try (StopSignals.Handle stoppable = StopSignals.stoppable()) {
      if (lanes.size() == 1) {
        run.lane(lanes.get(0));
      } else {
        ExecutorService pool = Executors.newFixedThreadPool(lanes.size(), r -> {
          Thread t = new Thread(r, "glioma-bench-fold-lane");
          t.setDaemon(true);
          return t;
        });
        try {
          List<Future<?>> running = new ArrayList<>();
          for (FoldLane lane : lanes) {
            running.add(pool.submit(() -> run.lane(lane)));
          }
          for (Future<?> f : running) {
            f.get();
          }
        } finally {
          pool.shutdown();
          pool.awaitTermination(1, TimeUnit.MINUTES);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(trainer.stage() + ": a fold lane failed: " + e, e);
    }
    return run.summary();
  }

  /** The folds of one invocation as the lanes take them, and what each did. */
  private static final class Run<E extends Epoch> {
    private final FoldTrainer<?, E> trainer;
    private final TrainingVolumes volumes;
    private final EpochBudget budget;
    private final ConcurrentLinkedQueue<Integer> queue;
    private final Map<Integer, String> outcome = Collections.synchronizedMap(new TreeMap<>());
    private final List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> unfinished = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> stopped = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> refused = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unscored = Collections.synchronizedList(new ArrayList<>());

    Run(FoldTrainer<?, E> trainer, TrainingVolumes volumes, EpochBudget budget, ConcurrentLinkedQueue<Integer> queue) {
      this.trainer = trainer;
      this.volumes = volumes;
      this.budget = budget;
      this.queue = queue;
    }

    void lane(FoldLane lane) {
      for (Integer fold = queue.poll(); fold != null; fold = queue.poll()) {
        fold(fold, lane);
      }
    }

    private void fold(int fold, FoldLane lane) {
      if (StopSignals.requested()) {
        outcome.put(fold, "not started: stopped by " + StopSignals.reason());
        stopped.add(fold);
        unfinished.add(fold);
        return;
      }
      try {
        volumes.warehouse().claim(trainer.stage() + "/run_id=" + trainer.runId + "/fold=" + fold);
        FoldTrainer.Result<E> r = trainer.train(fold, budget, lane);
        outcome.put(fold, describe(trainer, r));
        r.unscored().forEach(p -> unscored.add(p + " (fold " + fold + ")"));
        if (r.outcome() == FoldTrainer.Outcome.BUDGET_SPENT || r.outcome() == FoldTrainer.Outcome.STOPPED) {
          unfinished.add(fold);
        }
        if (r.outcome() == FoldTrainer.Outcome.STOPPED) {
          stopped.add(fold);
        }
      } catch (WarehouseLock.BusyException e) {
        LOG.error("{} fold {}: {}", trainer.stage(), fold, e.getMessage());
        outcome.put(fold, "REFUSED: " + e.getMessage());
        refused.add(fold);
        failed.add(fold);
      } catch (Exception e) {
        LOG.error("{} fold {} failed: {}", trainer.stage(), fold, e.toString(), e);
        outcome.put(fold, "FAILED: " + e);
        failed.add(fold);
      }
    }

    Summary summary() {
      return new Summary(new TreeMap<>(outcome), List.copyOf(failed), List.copyOf(unfinished), volumes.rejected(),
          List.copyOf(unscored), List.copyOf(stopped), List.copyOf(refused));
    }
  }

  /** Plans the workers' memory and the folds at once (and logs the plan) before any training: refuses what cannot fit. */
  static MemoryPlan plan(FoldTrainer<?, ?> trainer, TrainingSettings options, int foldCount) {
    EpochData.Rows rows = trainer.rows();
    MemoryPlan plan = MemoryPlan.of(trainer.jsc, trainer.network(0), rows.featureLength(), rows.labelLength(),
        options.batchSize(), options.prefetch(), trainer.masters.slots(trainer.jsc), options.workers(), foldCount,
        // Gradient sharing's parameter server takes a fixed port (cnn.sharing.port): one fold at a time.
        options.master().equals(TrainingSettings.SHARING) ? 1 : options.parallelFolds(), trainer.stage(), Map.of("batch", options.key(ConfigKeys.TRAIN_BATCH_SIZE), "workers",
            options.key(ConfigKeys.TRAIN_WORKERS)));
    LOG.info(plan.describe(trainer.stage(), options.batchSize()));
    return plan;
  }

  private static <E extends Epoch> String describe(FoldTrainer<?, E> trainer, FoldTrainer.Result<E> r) {
    switch (r.outcome()) {
      case ALREADY_FINISHED:
        return "already finished (kept epoch " + r.state().bestEpoch() + " of " + r.state().epochsDone() + ")";
      case BUDGET_SPENT:
        return "stopped by the epoch budget after epoch " + r.state().epochsDone() + " (" + r.epochsTrained() + " trained now)";
      case STOPPED:
        return "stopped by " + StopSignals.reason() + " after epoch " + r.state().epochsDone() + " (" + r.epochsTrained()
            + " trained now), checkpointed" + (r.roundsOfNextEpoch() > 0 ? " with " + r.roundsOfNextEpoch()
            + " averaging round(s) of epoch " + (r.state().epochsDone() + 1) + " done" : "");
      default:
        return String.format("finished: %d epochs (%d now), kept epoch %d, %s", r.state().epochsDone(),
            r.epochsTrained(), r.state().bestEpoch(), trainer.describeFinished(r.state()));
    }
  }
}
