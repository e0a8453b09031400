package org.gliomabench.jobs.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.train.Epoch;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.gliomabench.jobs.StopSignals;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one fold loop of both training arms: resume from the newest checkpoint (or skip a finished fold), then
 * per epoch plan the minibatches, fit them through Spark (parameter averaging or gradient sharing), validate,
 * record the epoch, keep the best model, checkpoint; then the kept model scores the fold's validation part and
 * the test cohort. An arm (the CNN, the U-Net) subclasses it with what differs: its network, how a patient
 * becomes a training row, the epoch's plan, validation and its record, what "best" means, and what finishing
 * writes.
 *
 * @param <N> the arm's network (MultiLayerNetwork or ComputationGraph)
 * @param <E> the arm's epoch record
 */
public abstract class FoldTrainer<N extends Model, E extends Epoch> {
  private static final Logger LOG = LoggerFactory.getLogger(FoldTrainer.class);

  /** How a fold ended in this invocation. */
  public enum Outcome { FINISHED, ALREADY_FINISHED, BUDGET_SPENT, STOPPED }

  /**
   * What a fold did in this invocation; {@code unscored} names patients finishing could not score;
   * {@code roundsOfNextEpoch}: the averaging rounds of the next epoch done before a stop request (checkpointed).
   */
  public record Result<E extends Epoch>(Outcome outcome, int epochsTrained, FoldState<E> state, List<String> unscored,
      int roundsOfNextEpoch) {
    public Result(Outcome outcome, int epochsTrained, FoldState<E> state, List<String> unscored) {
      this(outcome, epochsTrained, state, unscored, 0);
    }
  }

  /**
   * What a distributed fit of one epoch gave: the network after it, its mean minibatch loss, seconds, and where
   * they went (empty where not measured).
   */
  public record Fit<N>(N network, double loss, double seconds, String where) {}

  /** What finishing decided (stored in the fold's state) and the patients it could not score. */
  public record Finish(Map<String, String> decided, List<String> unscored) {}

  protected final JavaSparkContext jsc;
  protected final TrainingVolumes volumes;
  protected final TrainingSettings options;
  protected final TrainingMasters masters;
  protected final String runId;

  protected FoldTrainer(JavaSparkContext jsc, TrainingVolumes volumes, TrainingSettings options,
      TrainingMasters masters, String runId) {
    this.jsc = jsc;
    this.volumes = volumes;
    this.options = options;
    this.masters = masters;
    this.runId = runId;
  }

  /** The stage's name in log lines and checkpoints: "train-cnn", "train-seg". */
  protected abstract String stage();

  /** A new network for {@code fold} (seeded from the arm's seed and the fold). */
  protected abstract N network(int fold);

  /** Reads a network its checkpoint store wrote (with its updater where there is one). */
  protected abstract N read(InputStream in) throws IOException;

  /** Reads back an epoch record from a checkpoint's state line. */
  protected abstract E epoch(String line);

  /** Whether {@code candidate} beats {@code best} (null: none yet): the epoch a fold keeps. */
  protected abstract boolean improves(E candidate, E best);

  /** The fold's start-of-training log line, after "stage fold k: ". */
  protected abstract String describe(N net, FoldSplit split);

  /** The seed of an epoch's plan and of its Spark splits: a resumed run sees what an uninterrupted one saw. */
  protected abstract long epochSeed(int fold, int epoch);

  /** The epoch's minibatches. */
  protected abstract List<List<EpochData.Slot>> plan(FoldSplit split, long seed);

  /** How an example becomes a training row. */
  protected abstract EpochData.Rows rows();

  /**
   * Validation after an epoch's fit: the epoch's record.
   *
   * @param seconds the epoch so far (fit included); the record's time adds validation
   * @param examples training examples fitted in the epoch
   */
  protected abstract E validate(int fold, int epoch, N net, FoldSplit split, Fit<N> fit, long startNanos,
      long examples);

  /** The epoch's progress line, after "stage fold k epoch e/n: ". */
  protected abstract String progress(E record);

  /** Writes the fold's whole history so far (rewritten each epoch, so a resumed fold never shows duplicates). */
  protected abstract void history(int fold, List<E> history);

  /** The kept model scores the validation part and the test cohort; its tables are written. */
  protected abstract Finish finish(int fold, FoldSplit split, N kept, E best, FoldState<E> state, String keptPath)
      throws IOException;

  /** One line on a finished fold for the stage's summary, after "finished: N epochs (M now), ". */
  protected abstract String describeFinished(FoldState<E> state);

  /** The checkpoints of one fold. */
  private CheckpointStore<E, N> store(int fold) {
    return new CheckpointStore<>(new CheckpointStore.Codec<>(stage(), text -> FoldState.parse(text, this::epoch),
        this::read), jsc.hadoopConfiguration(), options.checkpointRoot(), runId, fold);
  }

  /**
   * @param budget epochs this invocation may still train (Integer.MAX_VALUE: no limit)
   */
  public final Result<E> train(int fold, int budget) throws IOException {
    return train(fold, EpochBudget.of(budget), FoldLane.ANYWHERE);
  }

  /**
   * Trains a fold on {@code lane}'s workers, taking each epoch from {@code budget}. A stop request ({@link
   * StopSignals}) ends it after the current averaging round with a checkpoint inside the epoch (or at an epoch's
   * end with the epoch's checkpoint); the rerun goes on from that round.
   */
  final Result<E> train(int fold, EpochBudget budget, FoldLane lane) throws IOException {
    FoldSplit split = FoldSplit.of(volumes.members(), fold);
    CheckpointStore<E, N> store = store(fold);
    Optional<CheckpointStore.Checkpoint<E, N>> resumed = store.latest();
    FoldState<E> state = resumed.map(CheckpointStore.Checkpoint::state).orElse(FoldState.start(fold));
    if (state.done()) {
      LOG.info("{} fold {}: already finished in run {} ({} epochs, kept epoch {}); skipping", stage(), fold, runId,
          state.epochsDone(), state.bestEpoch());
      return new Result<>(Outcome.ALREADY_FINISHED, 0, state, List.of());
    }
    int lastCheckpoint = state.epochsDone();
    Optional<CheckpointStore.Partial<E, N>> partial = store.partial(state.epochsDone());
    RoundProgress resume = null;
    N net;
    if (partial.isPresent()) {
      net = partial.get().network();
      state = partial.get().state();
      resume = partial.get().progress();
      LOG.info("{} fold {}: resuming run {} inside epoch {} after {} averaging round(s), from {}", stage(), fold, runId,
          resume.epoch(), resume.roundsDone(), store.dir());
      history(fold, state.history()); // drop rows of epochs after the checkpoint: they are redone
    } else if (resumed.isPresent()) {
      net = resumed.get().network();
      LOG.info("{} fold {}: resuming run {} after epoch {} from {}", stage(), fold, runId, state.epochsDone(), store.dir());
      history(fold, state.history()); // drop rows of epochs after the checkpoint: they are redone
    } else {
      net = network(fold);
    }
    LOG.info("{} fold {}: {}", stage(), fold, describe(net, split));
    if (split.train().isEmpty()) {
      throw new IllegalStateException("fold " + fold + " has no training patients");
    }
    int trainedHere = 0;
    long started = System.nanoTime();
    for (int epoch = state.epochsDone() + 1; epoch <= options.epochs(); epoch++) {
      // Inside an epoch a stop left (the network is part way through it): its checkpoint stays the one to resume.
      boolean inside = resume != null && resume.epoch() == epoch;
      if (StopSignals.requested()) {
        if (!inside && state.epochsDone() > lastCheckpoint) {
          store.save(net, state);
        }
        LOG.info("{} fold {}: stopped by {} after epoch {}, checkpointed in {}; rerun with --run-id {} to go on",
            stage(), fold, StopSignals.reason(), state.epochsDone(), store.dir(), runId);
        return new Result<>(Outcome.STOPPED, trainedHere, state, List.of(), inside ? resume.roundsDone() : 0);
      }
      if (!budget.take()) {
        if (!inside && state.epochsDone() > lastCheckpoint) {
          store.save(net, state);
        }
        LOG.info("{} fold {}: epoch budget spent after epoch {}; rerun with --run-id {} to go on", stage(), fold,
            state.epochsDone(), runId);
        return new Result<>(Outcome.BUDGET_SPENT, trainedHere, state, List.of());
      }
      RoundProgress from = inside ? resume : RoundProgress.start(epoch);
      volumes.store().touch();
      long t0 = System.nanoTime() - (long) (from.fitSeconds() * 1e9);
      long seed = epochSeed(fold, epoch);
      List<List<EpochData.Slot>> plan = plan(split, seed);
      long examples = plan.stream().mapToLong(List::size).sum();
      TrainingMaster<?, ?> master = masters.create(seed, jsc);
      jsc.setJobDescription(stage() + " fold " + fold + " epoch " + epoch);
      Fitted<N> fitted = fit(net, plan, master, lane, from);
      net = fitted.fit().network();
      if (!fitted.fit().where().isEmpty()) {
        LOG.info("{} fold {} epoch {}: {}", stage(), fold, epoch, fitted.fit().where());
      }
      master.deleteTempFiles(jsc);
      if (fitted.stoppedAt() != null) {
        store.savePartial(net, state, fitted.stoppedAt());
        LOG.info("{} fold {}: stopped by {} after averaging round {} of {} in epoch {}, checkpointed in {}; rerun with "
            + "--run-id {} to go on from the next round", stage(), fold, StopSignals.reason(),
            fitted.stoppedAt().roundsDone(), fitted.rounds(), epoch, store.dir(), runId);
        return new Result<>(Outcome.STOPPED, trainedHere, state, List.of(), fitted.stoppedAt().roundsDone());
      }
      Fit<N> fit = fitted.fit();

      jsc.setJobDescription(stage() + " fold " + fold + " epoch " + epoch + " validation");
      E record = validate(fold, epoch, net, split, fit, t0, examples);
      state = state.after(record, this::improves);
      trainedHere++;
      if (state.bestEpoch() == epoch) {
        store.saveBest(net, epoch);
      }
      // A resumed epoch is checkpointed whole, so that the checkpoint inside it can go.
      if (from.roundsDone() > 0 || epoch % options.checkpointEvery() == 0 || epoch == options.epochs()) {
        store.save(net, state);
        lastCheckpoint = epoch;
        if (from.roundsDone() > 0) {
          store.clearPartial();
        }
      }
      resume = null;
      history(fold, state.history());
      double perEpoch = (System.nanoTime() - started) / 1e9 / trainedHere;
      LOG.info(String.format("%s fold %d epoch %d/%d: %s, %.1f s (%.1f ex/s)%s, ETA %.0f s", stage(), fold, epoch,
          options.epochs(), progress(record), record.seconds(), record.examplesPerSecond(),
          state.bestEpoch() == epoch ? ", best so far" : "", perEpoch * (options.epochs() - epoch)));
    }
    E best = state.bestRecord();
    if (best == null) {
      throw new IllegalStateException("fold " + fold + ": no epoch had a usable validation score");
    }
    jsc.setJobDescription(stage() + " fold " + fold + " scoring the kept model");
    Finish finish = finish(fold, split, store.readBest(best.epoch()), best, state,
        store.bestPath(best.epoch()).toString());
    FoldState<E> done = state.finished(finish.decided());
    store.saveState(done);
    return new Result<>(Outcome.FINISHED, trainedHere, done, finish.unscored());
  }

  /** An epoch's fit, or its part up to a stop request ({@code stoppedAt}: how far it got; null: the whole epoch). */
  private record Fitted<N>(Fit<N> fit, RoundProgress stoppedAt, int rounds) {}

  /**
   * Fits one epoch's minibatches through Spark with {@code master}, streamed from the tensor store: parameter
   * averaging in rounds of one partition per worker (from round {@code from.roundsDone()} on, on {@code lane}'s
   * executors, stopping after a round when a stop is requested), gradient sharing over the whole epoch at once.
   */
  @SuppressWarnings("unchecked")
  private Fitted<N> fit(N net, List<List<EpochData.Slot>> plan, TrainingMaster<?, ?> master, FoldLane lane,
      RoundProgress from) {
    long start = System.nanoTime();
    int workers = masters.workers(jsc);
    TensorStore store = volumes.store();
    EpochData.Rows rows = rows();
    double loss;
    Model trained;
    RoundTimes times = null;
    int rounds = 1;
    int done = 1;
    if (master instanceof AveragingTrainingMaster averaging) {
      times = RoundTimes.register(jsc);
      averaging.exchangeRoot(masters.exchangesFiles() ? store.exchangeRoot() : null);
      List<JavaRDD<List<EpochData.Slot>>> all = EpochData.rounds(jsc, plan, workers, masters.averagingFrequency(),
          lane.locations());
      rounds = all.size();
      List<JavaRDD<DataSet>> left = new ArrayList<>();
      for (JavaRDD<List<EpochData.Slot>> round : all.subList(Math.min(from.roundsDone(), rounds), rounds)) {
        left.add(round.mapPartitions(batches -> EpochData.load(batches, store, rows)));
      }
      int now;
      if (net instanceof MultiLayerNetwork mln) {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, mln, master);
        now = averaging.fitRounds(spark, left, times, StopSignals::requested);
        trained = spark.getNetwork();
        loss = now > 0 ? spark.getScore() : from.loss();
      } else {
        SparkComputationGraph spark = new SparkComputationGraph(jsc, (ComputationGraph) net, master);
        now = averaging.fitRounds(spark, left, times, StopSignals::requested);
        trained = spark.getNetwork();
        loss = now > 0 ? spark.getScore() : from.loss();
      }
      done = Math.min(from.roundsDone(), rounds) + now;
    } else {
      // DL4J's SharedTrainingMaster takes the epoch at once (it counts it first, so its tensors are read twice).
      JavaRDD<DataSet> epoch = EpochData.whole(jsc, plan, workers).mapPartitions(b -> EpochData.load(b, store, rows));
      if (net instanceof MultiLayerNetwork mln) {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, mln, master);
        spark.fit(epoch);
        trained = spark.getNetwork();
      } else {
        SparkComputationGraph spark = new SparkComputationGraph(jsc, (ComputationGraph) net, master);
        spark.fit(epoch);
        trained = spark.getNetwork();
      }
      loss = Double.NaN; // SharedTrainingMaster does not report a score (it would read 0)
    }
    double part = (System.nanoTime() - start) / 1e9;
    double seconds = from.fitSeconds() + part;
    Fit<N> fit = new Fit<>((N) trained, loss, seconds, times == null ? "" : times.describe(part, workers));
    return new Fitted<>(fit, done < rounds ? new RoundProgress(from.epoch(), done, seconds, loss) : null, rounds);
  }
}
