package org.gliomabench.jobs.seg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.gliomabench.core.Tables;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.core.seg.SegFoldState;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.cnn.CheckpointStore;
import org.gliomabench.jobs.cnn.ModelBroadcast;
import org.gliomabench.jobs.cnn.TrainingMasters;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one fold's U-Net through Spark, epoch by epoch: shuffled batches, distributed fit (parameter
 * averaging), validation loss and Dice, a seg_history row, checkpoints; then the kept model (best
 * validation WT Dice) segments the validation part and the test cohort into seg_masks and segmentation
 * (scored against the original segmentation files). Resumes from the newest checkpoint, skips a finished fold.
 */
public final class SegFoldTrainer {
  /** train-seg's checkpoints: the U-Net graph and its fold state. */
  static final CheckpointStore.Codec<SegFoldState, ComputationGraph> CHECKPOINTS = new CheckpointStore.Codec<>(
      "train-seg", SegFoldState::parse, in -> org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(in, true));

  private static final Logger LOG = LoggerFactory.getLogger(SegFoldTrainer.class);

  public enum Outcome { FINISHED, ALREADY_FINISHED, BUDGET_SPENT }

  /** What a fold did in this invocation; {@code skippedPatients} could not be scored in the original space. */
  public record Result(Outcome outcome, int epochsTrained, SegFoldState state, List<String> skippedPatients) {}

  private final JavaSparkContext jsc;
  private final SegVolumes volumes;
  private final SegTrainingOptions options;
  private final TrainingMasters masters;
  private final SegTables tables;
  private final String runId;

  public SegFoldTrainer(JavaSparkContext jsc, SegVolumes volumes, SegTrainingOptions options, TrainingMasters masters,
      SegTables tables, String runId) {
    this.jsc = jsc;
    this.volumes = volumes;
    this.options = options;
    this.masters = masters;
    this.tables = tables;
    this.runId = runId;
  }

  public Result train(int fold, int budget) throws IOException {
    FoldSplit split = FoldSplit.of(volumes.members(), fold);
    CheckpointStore<SegFoldState, ComputationGraph> store = new CheckpointStore<>(CHECKPOINTS, jsc.hadoopConfiguration(),
        options.checkpointRoot(), runId, fold);
    Optional<CheckpointStore.Checkpoint<SegFoldState, ComputationGraph>> resumed = store.latest();
    SegFoldState state = resumed.map(CheckpointStore.Checkpoint::state).orElse(SegFoldState.start(fold));
    if (state.done()) {
      LOG.info("train-seg fold {}: already finished in run {} ({} epochs, kept epoch {}); skipping", fold, runId,
          state.epochsDone(), state.bestEpoch());
      return new Result(Outcome.ALREADY_FINISHED, 0, state, List.of());
    }
    SegSpec spec = options.spec(volumes.shape(), fold);
    ComputationGraph net;
    if (resumed.isPresent()) {
      net = resumed.get().network();
      LOG.info("train-seg fold {}: resuming run {} after epoch {} from {}", fold, runId, state.epochsDone(), store.dir());
      tables.history(fold, state.history()); // drop rows of epochs after the checkpoint: they are redone
    } else {
      net = UNet.network(spec);
    }
    LOG.info("train-seg fold {}: {} U-Net, grid {}x{}x{} padded to {}x{}x{}, {} training, {} validation, {} test patients; "
            + "{} parameters, loss {}, backend {}", fold, spec.dimensions().code(), spec.depth(), spec.height(), spec.width(),
        spec.paddedDepth(), spec.paddedHeight(), spec.paddedWidth(), split.train().size(), split.validation().size(),
        split.test().size(), net.numParams(), spec.loss().code(), NativeBackend.loadedBuild());
    if (split.train().isEmpty()) {
      throw new IllegalStateException("fold " + fold + " has no training patients");
    }
    int lastCheckpoint = state.epochsDone();
    int trainedHere = 0;
    long started = System.nanoTime();
    Set<String> validation = new HashSet<>(split.validation());
    for (int epoch = state.epochsDone() + 1; epoch <= options.epochs(); epoch++) {
      if (trainedHere >= budget) {
        if (state.epochsDone() > lastCheckpoint) {
          store.save(net, state);
        }
        LOG.info("train-seg fold {}: epoch budget spent after epoch {}; rerun with --run-id {} to go on", fold,
            state.epochsDone(), runId);
        return new Result(Outcome.BUDGET_SPENT, trainedHere, state, List.of());
      }
      long t0 = System.nanoTime();
      long seed = SegBatches.epochSeed(options.seed(), fold, epoch);
      List<List<SegBatches.Unit>> plan = SegBatches.plan(split.trainIds(), spec, options.batchSize(), seed);
      long examples = plan.stream().mapToLong(List::size).sum();
      JavaRDD<DataSet> batches = SegBatches.build(jsc, volumes.examples(), plan, spec, masters.workers(jsc));
      TrainingMaster<?, ?> master = masters.create(seed, jsc);
      SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, net, master);
      jsc.setJobDescription("train-seg fold " + fold + " epoch " + epoch);
      long fitStart = System.nanoTime();
      sparkNet.fit(batches);
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      net = sparkNet.getNetwork();
      double fitLoss = sparkNet.getScore();
      batches.unpersist(false);
      master.deleteTempFiles(jsc);

      jsc.setJobDescription("train-seg fold " + fold + " epoch " + epoch + " validation");
      List<SegScorer.PatientScore> val;
      try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
        val = SegScorer.score(jsc, model.handle(), spec, volumes.examples(), validation, false, null, null).collect();
      }
      double valLoss = val.stream().mapToDouble(SegScorer.PatientScore::loss).average().orElse(Double.NaN);
      double[] dice = new double[Regions.NAMES.length];
      for (int r = 0; r < dice.length; r++) {
        int region = r;
        dice[r] = val.stream().mapToDouble(s -> s.gridDice()[region]).average().orElse(Double.NaN);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      SegEpoch record = new SegEpoch(fold, epoch, fitLoss, valLoss, dice[0], dice[1], dice[2], seconds,
          examples / fitSeconds, examples);
      state = state.after(record);
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
      LOG.info(String.format("train-seg fold %d epoch %d/%d: loss %.4f val %.4f, val Dice WT %.3f TC %.3f ET %.3f, "
              + "%.1f s (%.1f ex/s)%s, ETA %.0f s", fold, epoch, options.epochs(), fitLoss, valLoss, dice[0], dice[1],
          dice[2], seconds, record.examplesPerSecond(), state.bestEpoch() == epoch ? ", best so far" : "",
          perEpoch * (options.epochs() - epoch)));
    }
    return finish(fold, split, spec, state, store, trainedHere);
  }

  /** The kept model segments the validation part and the test cohort; masks and scores are written. */
  private Result finish(int fold, FoldSplit split, SegSpec spec, SegFoldState state,
      CheckpointStore<SegFoldState, ComputationGraph> store,
      int trainedHere) throws IOException {
    SegEpoch best = state.bestRecord();
    if (best == null) {
      throw new IllegalStateException("fold " + fold + ": no epoch had a usable validation WT Dice");
    }
    ComputationGraph kept = store.readBest(best.epoch());
    Map<String, String> cohorts = new HashMap<>();
    split.validation().forEach(id -> cohorts.put(id, Tables.COHORT_CV));
    split.test().forEach(id -> cohorts.put(id, Tables.COHORT_TEST));
    Map<String, Integer> labels = volumes.labels();
    Map<String, String> sources = new HashMap<>();
    for (String id : cohorts.keySet()) {
      String s = volumes.source(id);
      if (s != null) {
        sources.put(id, s);
      }
    }
    jsc.setJobDescription("train-seg fold " + fold + " segmenting with the kept model");
    ModelBroadcast model = ModelBroadcast.of(jsc, kept);
    JavaRDD<SegScorer.PatientScore> scores = SegScorer.score(jsc, model.handle(), spec, volumes.examples(),
        cohorts.keySet(), true, sources, new HadoopConf(jsc.hadoopConfiguration()))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      tables.masks(fold, scores, cohorts, new int[] {spec.depth(), spec.height(), spec.width()});
      List<SegScorer.PatientScore> results = scores
          .map(s -> new SegScorer.PatientScore(s.patientId(), s.loss(), s.gridDice(), null, s.cropOrigin(),
              s.cropExtent(), s.original(), s.error()))
          .collect();
      List<Row> rows = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      double wtSum = 0;
      int wtN = 0;
      for (SegScorer.PatientScore s : results) {
        if (s.error() != null) {
          LOG.error("train-seg fold {}: {}; its segmentation rows are skipped, the run goes on", fold, s.error());
          skipped.add(s.patientId());
          continue;
        }
        for (OriginalSpaceScoring.RegionScore r : s.original().regions()) {
          rows.add(tables.segmentationRow(fold, cohorts.get(s.patientId()), s.patientId(), labels.get(s.patientId()), r,
              s.original().reference()));
          if (r.region().equals(Regions.NAMES[Regions.WT]) && Tables.COHORT_TEST.equals(cohorts.get(s.patientId()))) {
            wtSum += r.dice();
            wtN++;
          }
        }
      }
      skipped.sort(null);
      tables.segmentation(fold, rows);
      tables.model(fold, best, state.epochsDone(), spec.dimensions().code(), spec.loss().code(),
          store.bestPath(best.epoch()).toString(), masters.kind(), NativeBackend.loadedBuild());
      SegFoldState done = state.finished();
      store.saveState(done);
      LOG.info(String.format("train-seg fold %d: kept epoch %d (val WT Dice %.3f); segmented %d patients, test WT Dice "
              + "in the original space %.3f (%d patients)%s", fold, best.epoch(), best.valDiceWt(), results.size(),
          wtN == 0 ? Double.NaN : wtSum / wtN, wtN, skipped.isEmpty() ? "" : "; not scored: " + skipped));
      return new Result(Outcome.FINISHED, trainedHere, done, skipped);
    } finally {
      scores.unpersist(false);
      model.close();
    }
  }
}
