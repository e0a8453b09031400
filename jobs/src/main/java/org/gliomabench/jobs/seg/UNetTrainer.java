package org.gliomabench.jobs.seg;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.core.seg.UNet;
import org.gliomabench.core.seg.UNetOptions;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.train.EpochData;
import org.gliomabench.jobs.train.FoldTrainer;
import org.gliomabench.jobs.train.ModelBroadcast;
import org.gliomabench.jobs.train.SegScorer;
import org.gliomabench.jobs.train.SegmentationRows;
import org.gliomabench.jobs.train.UNetRows;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The U-Net arm of the fold loop: a small U-Net (3D on volumes, or the same topology on axial slices) predicting
 * the nested BraTS regions WT, TC, ET; shuffled minibatches of the fold's training examples; validation loss and
 * Dice per region on the volume grid; the epoch with the best validation whole-tumour Dice is kept; finishing
 * segments the fold's validation part and the test cohort (seg_masks) and scores them against the original
 * segmentations (segmentation, model cnn_seg).
 */
public final class UNetTrainer extends FoldTrainer<ComputationGraph, SegEpoch> {
  private static final Logger LOG = LoggerFactory.getLogger(UNetTrainer.class);

  private final UNetOptions unet;
  private final SegTables tables;
  private final Map<String, ReferenceMask> references;

  /** @param references the patients' reference masks (ingest's reference_masks), to score in the original space */
  public UNetTrainer(JavaSparkContext jsc, TrainingVolumes volumes, TrainingSettings options, TrainingMasters masters,
      String runId, UNetOptions unet, SegTables tables, Map<String, ReferenceMask> references) {
    super(jsc, volumes, options, masters, runId);
    if (!masters.kind().equals(TrainingMasters.AVERAGING)) {
      throw new ConfigException(options.key(ConfigKeys.TRAIN_MASTER) + ": train-seg trains by parameter averaging only, got '"
          + masters.kind() + "'");
    }
    this.unet = unet;
    this.tables = tables;
    this.references = references;
  }

  SegSpec spec(int fold) {
    return unet.spec(volumes.shape(), options.learningRate(), options.seed() + 1000L * fold);
  }

  @Override
  protected String stage() {
    return "train-seg";
  }

  @Override
  protected ComputationGraph network(int fold) {
    return UNet.network(spec(fold));
  }

  @Override
  protected ComputationGraph read(InputStream in) throws IOException {
    return ModelSerializer.restoreComputationGraph(in, true);
  }

  @Override
  protected SegEpoch epoch(String line) {
    return SegEpoch.fromLine(line);
  }

  @Override
  protected boolean improves(SegEpoch candidate, SegEpoch best) {
    return candidate.improvesOn(best);
  }

  @Override
  protected String describe(ComputationGraph net, FoldSplit split) {
    SegSpec spec = spec(split.fold());
    CnnLayout layout = UNet.layout(net.getConfiguration());
    String layoutNote = ", layout " + layout + (layout == spec.layout() ? ""
        : " (the checkpoint's; " + ConfigKeys.SEG_LAYOUT + "=" + spec.layout().name().toLowerCase(java.util.Locale.ROOT)
            + " applies to folds that start afresh)");
    return String.format("%s U-Net, grid %dx%dx%d padded to %dx%dx%d, %d training, %d validation, %d test patients; "
            + "%d parameters, loss %s, backend %s%s", spec.dimensions().code(), spec.depth(), spec.height(),
        spec.width(), spec.paddedDepth(), spec.paddedHeight(), spec.paddedWidth(), split.train().size(),
        split.validation().size(), split.test().size(), net.numParams(), spec.loss().code(),
        NativeBackend.loadedBuild(), layoutNote);
  }

  /** The epoch seed of train-seg (its own formula since its first release, kept so resumed runs retrace). */
  @Override
  protected long epochSeed(int fold, int epoch) {
    return options.seed() * 1_000_003L + fold * 7919L + epoch;
  }

  /** The fold's training examples (patients in 3D, patient x axial slice in 2D) shuffled by the seed, cut into batches. */
  @Override
  protected List<List<EpochData.Slot>> plan(FoldSplit split, long seed) {
    SegSpec spec = spec(split.fold());
    Map<String, Integer> labels = volumes.labels();
    List<EpochData.Slot> units = new ArrayList<>();
    List<String> ids = new ArrayList<>(split.trainIds());
    Collections.sort(ids);
    for (String id : ids) {
      units.addAll(UNetRows.slots(spec, id, labels.get(id)));
    }
    return EpochData.shuffledBatches(units, options.batchSize(), seed);
  }

  /** The U-Net's rows of the grid and padding (the fold only seeds the weights). */
  @Override
  protected EpochData.Rows rows() {
    return UNetRows.of(spec(0), volumes.shape());
  }

  @Override
  protected SegEpoch validate(int fold, int epoch, ComputationGraph net, FoldSplit split, Fit<ComputationGraph> fit,
      long startNanos, long examples) {
    SegScorer.Validation val = SegScorer.validate(jsc, net, spec(fold), volumes, split.validation());
    double[] dice = val.dice();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new SegEpoch(fold, epoch, fit.loss(), val.loss(), dice[0], dice[1], dice[2], seconds,
        examples / fit.seconds(), examples);
  }

  @Override
  protected String progress(SegEpoch r) {
    return String.format("loss %.4f val %.4f, val Dice WT %.3f TC %.3f ET %.3f", r.fitLoss(), r.valLoss(),
        r.valDiceWt(), r.valDiceTc(), r.valDiceEt());
  }

  @Override
  protected void history(int fold, List<SegEpoch> history) {
    tables.history(fold, history);
  }

  @Override
  protected Finish finish(int fold, FoldSplit split, ComputationGraph kept, SegEpoch best, FoldState<SegEpoch> state,
      String keptPath) throws IOException {
    SegSpec spec = spec(fold);
    Map<String, String> cohorts = new HashMap<>();
    split.validation().forEach(id -> cohorts.put(id, Tables.COHORT_CV));
    split.test().forEach(id -> cohorts.put(id, Tables.COHORT_TEST));
    Map<String, Integer> labels = volumes.labels();
    Map<String, ReferenceMask> scored = new HashMap<>();
    for (String id : cohorts.keySet()) {
      ReferenceMask r = references.get(id);
      if (r != null) {
        scored.put(id, r);
      }
    }
    ModelBroadcast model = ModelBroadcast.of(jsc, kept);
    JavaRDD<SegScorer.PatientScore> scores = SegScorer.score(jsc, model.handle(), spec, volumes,
        new ArrayList<>(cohorts.keySet()), true, scored)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      tables.masks(fold, scores, cohorts, new int[] {spec.depth(), spec.height(), spec.width()});
      List<SegScorer.PatientScore> results = scores.map(SegScorer.PatientScore::withoutBits).collect();
      SegmentationRows.Written written = tables.segmentation().write(stage(), fold, results, cohorts, labels);
      tables.model(fold, best, state.epochsDone(), spec.dimensions().code(), spec.loss().code(), keptPath,
          masters.kind(), NativeBackend.loadedBuild());
      LOG.info(String.format("train-seg fold %d: kept epoch %d (val WT Dice %.3f); segmented %d patients, test WT Dice "
              + "in the original space %.3f (%d patients)%s", fold, best.epoch(), best.valDiceWt(), results.size(),
          written.testWtDice(), written.testWtPatients(),
          written.skipped().isEmpty() ? "" : "; not scored: " + written.skipped()));
      return new Finish(Map.of(), written.skipped());
    } finally {
      scores.unpersist(false);
      model.close();
    }
  }

  @Override
  protected String describeFinished(FoldState<SegEpoch> state) {
    return String.format("val WT Dice %.3f", state.bestRecord().valDiceWt());
  }
}
