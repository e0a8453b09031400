package org.gliomabench.jobs.multitask;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.multitask.MultiTaskEpoch;
import org.gliomabench.core.multitask.MultiTaskUNet;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNetOptions;
import org.gliomabench.core.train.BalancedBatches;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.gliomabench.core.train.TrainingScores;
import org.gliomabench.jobs.train.EpochData;
import org.gliomabench.jobs.train.FoldTrainer;
import org.gliomabench.jobs.train.ModelBroadcast;
import org.gliomabench.jobs.train.SegScorer;
import org.gliomabench.jobs.train.SegmentationRows;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.gliomabench.jobs.train.UNetRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multi-task arm of the fold loop: the U-Net of train-seg with a grade head on its bottleneck
 * ({@link MultiTaskUNet}), trained on the segmentation loss plus the weighted cross-entropy of the grade; LGG
 * oversampled as for the CNN (3D: every minibatch half HGG, half LGG; 2D: the oversampled patients' axial slices,
 * shuffled); validation of both tasks; the epoch kept by {@code multitask.best.metric}. Finishing scores the fold's
 * validation part and the test cohort: P(HGG) into predictions (model multitask, threshold fixed or Youden's on the
 * validation part) and the segmentation in the original space (model multitask_seg).
 */
final class MultitaskTrainer extends FoldTrainer<ComputationGraph, MultiTaskEpoch> {
  private static final Logger LOG = LoggerFactory.getLogger(MultitaskTrainer.class);
  static final String THRESHOLD = "threshold";
  static final String STAGE = "train-multitask";

  /** The arm's own settings, read and checked once; {@code fixedThreshold} null means Youden's. */
  record Options(MultiTaskEpoch.Criterion criterion, Double fixedThreshold, double gradeWeight, UNetOptions unet) {
    static Options from(Settings s) {
      MultiTaskEpoch.Criterion criterion;
      try {
        criterion = MultiTaskEpoch.Criterion.parse(s.get(ConfigKeys.MULTITASK_BEST_METRIC));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.MULTITASK_BEST_METRIC + ": " + e.getMessage());
      }
      double weight = s.getDouble(ConfigKeys.MULTITASK_GRADE_WEIGHT);
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new ConfigException(ConfigKeys.MULTITASK_GRADE_WEIGHT + " must be a finite number >= 0, got " + weight);
      }
      UNetOptions unet;
      try {
        unet = UNetOptions.from(s.forArm(ConfigKeys.MULTITASK + ".", ConfigKeys.SEG + "."));
      } catch (ConfigException e) {
        throw new ConfigException(e.getMessage() + " (" + STAGE + " reads multitask.X where set, else seg.X)");
      }
      return new Options(criterion, TrainingSettings.threshold(s, ConfigKeys.MULTITASK_THRESHOLD), weight, unet);
    }

    String thresholdRule() {
      return fixedThreshold == null ? "youden" : "fixed";
    }
  }

  private final Options multitask;
  private final MultitaskTables tables;
  private final Map<String, ReferenceMask> references;

  /** @param references the patients' reference masks (ingest's reference_masks), to score in the original space */
  MultitaskTrainer(JavaSparkContext jsc, TrainingVolumes volumes, TrainingSettings options, TrainingMasters masters,
      String runId, Options multitask, MultitaskTables tables, Map<String, ReferenceMask> references) {
    super(jsc, volumes, options, masters, runId);
    if (!masters.kind().equals(TrainingMasters.AVERAGING)) {
      throw new ConfigException(options.key(ConfigKeys.TRAIN_MASTER) + ": " + STAGE
          + " trains by parameter averaging only, got '" + masters.kind() + "'");
    }
    if (multitask.unet().dimensions() == SegSpec.Dimensions.THREE_D && options.batchSize() < 2) {
      throw new ConfigException(options.key(ConfigKeys.TRAIN_BATCH_SIZE)
          + " must be at least 2 in 3d (a balanced batch holds both grades)");
    }
    this.multitask = multitask;
    this.tables = tables;
    this.references = references;
  }

  SegSpec spec(int fold) {
    return multitask.unet().spec(volumes.shape(), options.learningRate(), options.seed() + 1000L * fold);
  }

  @Override
  protected String stage() {
    return STAGE;
  }

  @Override
  protected ComputationGraph network(int fold) {
    return MultiTaskUNet.network(spec(fold), multitask.gradeWeight());
  }

  @Override
  protected ComputationGraph read(InputStream in) throws IOException {
    return ModelSerializer.restoreComputationGraph(in, true);
  }

  @Override
  protected MultiTaskEpoch epoch(String line) {
    return MultiTaskEpoch.fromLine(line);
  }

  @Override
  protected boolean improves(MultiTaskEpoch candidate, MultiTaskEpoch best) {
    return multitask.criterion().improves(candidate, best);
  }

  @Override
  protected String describe(ComputationGraph net, FoldSplit split) {
    SegSpec spec = spec(split.fold());
    return String.format("%s U-Net with a grade head, grid %dx%dx%d padded to %dx%dx%d, %d training patients (%d HGG / "
            + "%d LGG, LGG oversampled), %d validation, %d test; %d parameters, loss %s + %s x grade cross-entropy, "
            + "backend %s", spec.dimensions().code(), spec.depth(), spec.height(), spec.width(), spec.paddedDepth(),
        spec.paddedHeight(), spec.paddedWidth(), split.train().size(),
        split.train().stream().filter(i -> i.label() == 1).count(), split.train().stream().filter(i -> i.label() == 0).count(),
        split.validation().size(), split.test().size(), net.numParams(), spec.loss().code(), multitask.gradeWeight(),
        NativeBackend.loadedBuild());
  }

  @Override
  protected long epochSeed(int fold, int epoch) {
    return BalancedBatches.epochSeed(options.seed(), fold, epoch);
  }

  /**
   * LGG oversampled to the number of HGG patients, as for the CNN: in 3D balanced minibatches of volumes; in 2D the
   * oversampled patients' axial slices, shuffled and cut into minibatches.
   */
  @Override
  protected List<List<EpochData.Slot>> plan(FoldSplit split, long seed) {
    SegSpec spec = spec(split.fold());
    Map<String, Integer> labels = volumes.labels();
    List<List<EpochData.Slot>> plan = new ArrayList<>();
    if (spec.is3d()) {
      for (List<String> batch : BalancedBatches.plan(split.train(), options.batchSize(), seed)) {
        plan.add(batch.stream().map(id -> new EpochData.Slot(id, labels.get(id), -1)).toList());
      }
      return plan;
    }
    List<EpochData.Slot> slices = new ArrayList<>();
    for (List<String> pair : BalancedBatches.plan(split.train(), 2, seed)) {
      for (String id : pair) {
        slices.addAll(UNetRows.slots(spec, id, labels.get(id)));
      }
    }
    return EpochData.shuffledBatches(slices, options.batchSize(), seed);
  }

  /** The U-Net's rows with the grade after the regions (the fold only seeds the weights). */
  @Override
  protected EpochData.Rows rows() {
    return UNetRows.graded(spec(0), volumes.shape());
  }

  @Override
  protected MultiTaskEpoch validate(int fold, int epoch, ComputationGraph net, FoldSplit split,
      Fit<ComputationGraph> fit, long startNanos, long examples) {
    SegScorer.Validation val = SegScorer.validate(jsc, net, spec(fold), volumes, split.validation());
    TrainingScores.Summary grade = TrainingScores.summary(grades(val.scores()), volumes.labels());
    double[] dice = val.dice();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new MultiTaskEpoch(fold, epoch, fit.loss(), val.loss() + multitask.gradeWeight() * grade.loss(), val.loss(),
        grade.loss(), grade.accuracy(), grade.auc(), dice[0], dice[1], dice[2], seconds, examples / fit.seconds(),
        examples);
  }

  /** P(HGG) by patient. */
  private static Map<String, Double> grades(List<SegScorer.PatientScore> scores) {
    Map<String, Double> out = new HashMap<>();
    scores.forEach(s -> out.put(s.patientId(), s.grade()));
    return out;
  }

  @Override
  protected String progress(MultiTaskEpoch r) {
    return String.format("loss %.4f val %.4f (segmentation %.4f, grade %.4f), val acc %.3f AUC %.3f, Dice WT %.3f TC "
            + "%.3f ET %.3f", r.fitLoss(), r.valLoss(), r.valSegLoss(), r.valGradeLoss(), r.valAccuracy(), r.valAuc(),
        r.valDiceWt(), r.valDiceTc(), r.valDiceEt());
  }

  @Override
  protected void history(int fold, List<MultiTaskEpoch> history) {
    tables.history(fold, history);
  }

  @Override
  protected Finish finish(int fold, FoldSplit split, ComputationGraph kept, MultiTaskEpoch best,
      FoldState<MultiTaskEpoch> state, String keptPath) {
    SegSpec spec = spec(fold);
    Map<String, String> cohorts = new HashMap<>();
    split.validation().forEach(id -> cohorts.put(id, Tables.COHORT_CV));
    split.test().forEach(id -> cohorts.put(id, Tables.COHORT_TEST));
    Map<String, ReferenceMask> scored = new HashMap<>();
    cohorts.keySet().stream().filter(references::containsKey).forEach(id -> scored.put(id, references.get(id)));
    List<SegScorer.PatientScore> results;
    try (ModelBroadcast model = ModelBroadcast.of(jsc, kept)) {
      results = SegScorer.score(jsc, model.handle(), spec, volumes, new ArrayList<>(cohorts.keySet()), false, scored)
          .collect();
    }
    Map<String, Integer> labels = volumes.labels();
    SegmentationRows.Written written = tables.segmentation().write(STAGE, fold, results, cohorts, labels);
    Map<String, Double> all = grades(results);
    Map<String, Double> val = new HashMap<>();
    split.validation().forEach(id -> val.put(id, all.get(id)));
    double threshold = multitask.fixedThreshold() != null ? multitask.fixedThreshold()
        : TrainingScores.youdenThreshold(val, labels);
    tables.predictions(fold, all, labels, cohorts, threshold);
    tables.model(fold, new MultitaskTables.Kept(best, multitask.criterion().code(), state.epochsDone(), threshold,
        multitask.thresholdRule(), multitask.gradeWeight(), spec.dimensions().code(), spec.loss().code(), keptPath,
        masters.kind(), NativeBackend.loadedBuild()));
    TrainingScores.Summary test = TrainingScores.summary(testOnly(all, split), labels);
    LOG.info(String.format("%s fold %d: kept epoch %d (val loss %.4f, AUC %.3f, WT Dice %.3f), threshold %.3f (%s); "
            + "scored %d patients: test AUC %.3f, test WT Dice in the original space %.3f (%d patients)%s", STAGE, fold,
        best.epoch(), best.valLoss(), best.valAuc(), best.valDiceWt(), threshold, multitask.thresholdRule(),
        results.size(), test.auc(), written.testWtDice(), written.testWtPatients(),
        written.skipped().isEmpty() ? "" : "; not scored in the original space: " + written.skipped()));
    return new Finish(Map.of(THRESHOLD, Double.toString(threshold)), written.skipped());
  }

  private static Map<String, Double> testOnly(Map<String, Double> scores, FoldSplit split) {
    Map<String, Double> out = new HashMap<>();
    split.test().forEach(id -> out.put(id, scores.get(id)));
    return out;
  }

  @Override
  protected String describeFinished(FoldState<MultiTaskEpoch> state) {
    MultiTaskEpoch best = state.bestRecord();
    return String.format("threshold %.3f, val AUC %.3f, val WT Dice %.3f", state.result(THRESHOLD), best.valAuc(),
        best.valDiceWt());
  }
}
