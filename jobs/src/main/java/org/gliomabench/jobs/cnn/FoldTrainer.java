package org.gliomabench.jobs.cnn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.Tables;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.train.BalancedBatches;
import org.gliomabench.core.train.TrainingScores;
import org.gliomabench.core.train.EpochRecord;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one fold through Spark, epoch by epoch: balanced batches, distributed fit, validation (and
 * training-part) scoring, a cnn_history row, checkpoints; then the kept model scores the validation part
 * and the test cohort into predictions. Resumes from the newest checkpoint and skips a finished fold.
 */
public final class FoldTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(FoldTrainer.class);

  /** How a fold ended in this invocation. */
  public enum Outcome { FINISHED, ALREADY_FINISHED, BUDGET_SPENT }

  private final JavaSparkContext jsc;
  private final CnnVolumes volumes;
  private final CnnTrainingOptions options;
  private final TrainingMasters masters;
  private final CnnTables tables;
  private final String runId;

  public FoldTrainer(JavaSparkContext jsc, CnnVolumes volumes, CnnTrainingOptions options, TrainingMasters masters,
      CnnTables tables, String runId) {
    this.jsc = jsc;
    this.volumes = volumes;
    this.options = options;
    this.masters = masters;
    this.tables = tables;
    this.runId = runId;
  }

  /**
   * @param budget epochs this invocation may still train (Integer.MAX_VALUE: no limit)
   * @return the outcome and the epochs trained here
   */
  public Result train(int fold, int budget) throws IOException {
    FoldSplit split = FoldSplit.of(volumes.members(), fold);
    CheckpointStore<FoldState, MultiLayerNetwork> store = new CheckpointStore<>(CheckpointStore.CNN, jsc.hadoopConfiguration(), options.checkpointRoot(), runId, fold);
    Optional<CheckpointStore.Checkpoint<FoldState, MultiLayerNetwork>> resumed = store.latest();
    FoldState state = resumed.map(CheckpointStore.Checkpoint::state).orElse(FoldState.start(fold));
    if (state.done()) {
      LOG.info("train-cnn fold {}: already finished in run {} ({} epochs, kept epoch {}); skipping", fold, runId,
          state.epochsDone(), state.bestEpoch());
      return new Result(Outcome.ALREADY_FINISHED, 0, state);
    }
    CnnSpec spec = CnnSpec.of(volumes.shape(), options.learningRate(), options.seed() + 1000L * fold,
        options.layout());
    MultiLayerNetwork net;
    if (resumed.isPresent()) {
      net = resumed.get().network();
      LOG.info("train-cnn fold {}: resuming run {} after epoch {} from {}", fold, runId, state.epochsDone(), store.dir());
      tables.history(fold, state.history()); // drop rows of epochs after the checkpoint: they are redone
    } else {
      net = GliomaCnn.network(spec);
    }
    LOG.info("train-cnn fold {}: {} training patients ({} HGG / {} LGG, LGG oversampled), {} validation, {} test; "
            + "{} parameters, backend {}, layout {}", fold, split.train().size(),
        split.train().stream().filter(i -> i.label() == 1).count(), split.train().stream().filter(i -> i.label() == 0).count(),
        split.validation().size(), split.test().size(), net.numParams(), NativeBackend.loadedBuild(),
        spec.layout());

    Map<String, Integer> labels = volumes.labels();
    int lastCheckpoint = state.epochsDone();
    int trainedHere = 0;
    long started = System.nanoTime();
    for (int epoch = state.epochsDone() + 1; epoch <= options.epochs(); epoch++) {
      if (trainedHere >= budget) {
        if (state.epochsDone() > lastCheckpoint) {
          store.save(net, state);
        }
        LOG.info("train-cnn fold {}: epoch budget spent after epoch {}; rerun with --run-id {} to go on",
            fold, state.epochsDone(), runId);
        return new Result(Outcome.BUDGET_SPENT, trainedHere, state);
      }
      long t0 = System.nanoTime();
      long seed = BalancedBatches.epochSeed(options.seed(), fold, epoch);
      List<List<String>> plan = BalancedBatches.plan(split.train(), options.batchSize(), seed);
      long examples = plan.stream().mapToLong(List::size).sum();
      // One partition per worker, batches dealt round-robin: DL4J's split keeps that balance, no repartition needed.
      JavaRDD<DataSet> batches = EpochBatches.build(jsc, volumes.examples(), plan, masters.workers(jsc));
      TrainingMaster<?, ?> master = masters.create(seed, jsc);
      SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, net, master);
      long fitStart = System.nanoTime();
      jsc.setJobDescription("train-cnn fold " + fold + " epoch " + epoch);
      sparkNet.fit(batches);
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      net = sparkNet.getNetwork();
      // SharedTrainingMaster does not report a score (it would read 0).
      double fitLoss = masters.kind().equals(TrainingMasters.SHARING) ? Double.NaN : sparkNet.getScore();
      batches.unpersist(false);
      master.deleteTempFiles(jsc);

      jsc.setJobDescription("train-cnn fold " + fold + " epoch " + epoch + " scoring");
      Metrics val = metrics(CnnScorer.score(jsc, net, volumes.examples(), split.validation(), options.batchSize()), labels);
      Metrics tr = options.trainMetrics()
          ? metrics(CnnScorer.score(jsc, net, volumes.examples(), split.trainIds(), options.batchSize()), labels)
          : Metrics.NONE;
      double seconds = (System.nanoTime() - t0) / 1e9;
      EpochRecord record = new EpochRecord(fold, epoch, fitLoss, tr.loss, tr.accuracy, tr.auc, val.loss, val.accuracy,
          val.auc, seconds, examples / fitSeconds, examples);
      state = state.after(record, options.criterion());
      trainedHere++;
      if (state.bestEpoch() == epoch) {
        store.saveBest(net, epoch);
      }
      if (epoch % options.checkpointEvery() == 0 || epoch == options.epochs()) {
        store.save(net, state);
        lastCheckpoint = epoch;
      }
      tables.history(fold, state.history());
      double perEpoch = (System.nanoTime() - started) / 1e9 / trainedHere;
      LOG.info(String.format("train-cnn fold %d epoch %d/%d: loss %.4f train %.4f val %.4f, val acc %.3f AUC %.3f, "
              + "%.1f s (%.1f ex/s)%s, ETA %.0f s", fold, epoch, options.epochs(), fitLoss, tr.loss, val.loss,
          val.accuracy, val.auc, seconds, record.examplesPerSecond(), state.bestEpoch() == epoch ? ", best so far" : "",
          perEpoch * (options.epochs() - epoch)));
    }
    return new Result(Outcome.FINISHED, trainedHere, finish(fold, split, state, store, labels));
  }

  /** The kept model scores the validation part (threshold chosen there if asked) and the test cohort. */
  private FoldState finish(int fold, FoldSplit split, FoldState state, CheckpointStore<FoldState, MultiLayerNetwork> store, Map<String, Integer> labels)
      throws IOException {
    EpochRecord best = state.bestRecord();
    if (best == null) {
      throw new IllegalStateException("fold " + fold + ": no epoch had a usable validation " + options.criterion().code());
    }
    MultiLayerNetwork kept = store.readBest(best.epoch());
    jsc.setJobDescription("train-cnn fold " + fold + " scoring the kept model");
    Map<String, Double> val = CnnScorer.score(jsc, kept, volumes.examples(), split.validation(), options.batchSize());
    Map<String, Double> test = CnnScorer.score(jsc, kept, volumes.examples(), split.test(), options.batchSize());
    double threshold = options.fixedThreshold() != null ? options.fixedThreshold() : youden(val, labels);
    Map<String, Double> all = new HashMap<>(val);
    all.putAll(test);
    Map<String, String> cohorts = new HashMap<>();
    split.validation().forEach(id -> cohorts.put(id, Tables.COHORT_CV));
    split.test().forEach(id -> cohorts.put(id, Tables.COHORT_TEST));
    tables.predictions(fold, all, labels, cohorts, threshold);
    tables.model(fold, best, options.criterion().code(), state.epochsDone(), threshold, options.thresholdRule(),
        store.bestPath(best.epoch()).toString(), masters.kind(), NativeBackend.loadedBuild());
    FoldState done = state.finished(threshold);
    store.saveState(done);
    LOG.info(String.format("train-cnn fold %d: kept epoch %d (val loss %.4f, AUC %.3f), threshold %.3f (%s); "
            + "scored %d validation and %d test patients", fold, best.epoch(), best.valLoss(), best.valAuc(), threshold,
        options.thresholdRule(), val.size(), test.size()));
    return done;
  }

  private static double youden(Map<String, Double> scores, Map<String, Integer> labels) {
    List<String> ids = new ArrayList<>(scores.keySet());
    int[] y = ids.stream().mapToInt(labels::get).toArray();
    double[] s = ids.stream().mapToDouble(scores::get).toArray();
    return TrainingScores.youdenThreshold(y, s);
  }

  private static Metrics metrics(Map<String, Double> scores, Map<String, Integer> labels) {
    List<String> ids = new ArrayList<>(scores.keySet());
    ids.sort(null);
    int[] y = ids.stream().mapToInt(labels::get).toArray();
    double[] s = ids.stream().mapToDouble(scores::get).toArray();
    return new Metrics(TrainingScores.logLoss(y, s), TrainingScores.accuracy(y, s, 0.5), TrainingScores.auc(y, s));
  }

  private record Metrics(double loss, double accuracy, double auc) {
    static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN);
  }

  /** What a fold did in this invocation. */
  public record Result(Outcome outcome, int epochsTrained, FoldState state) {}
}
