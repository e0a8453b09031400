package org.gliomabench.jobs.seg;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.seg.SegEpoch;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.core.seg.UNet;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.train.EpochData;
import org.gliomabench.jobs.train.FoldTrainer;
import org.gliomabench.jobs.train.ModelBroadcast;
import org.gliomabench.jobs.train.TensorStore;
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

  /** The U-Net's own settings, read and checked once. */
  public record Options(SegSpec.Dimensions dimensions, SegLoss loss, int baseFilters, int levels, CnnLayout layout) {
    public static Options from(Settings s) {
      SegSpec.Dimensions dims;
      SegLoss loss;
      CnnLayout layout;
      try {
        dims = SegSpec.Dimensions.parse(s.get(ConfigKeys.SEG_DIMENSIONS));
        loss = SegLoss.parse(s.get(ConfigKeys.SEG_LOSS));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
      try {
        layout = CnnLayout.parse(s.get(ConfigKeys.SEG_LAYOUT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.SEG_LAYOUT + ": " + e.getMessage());
      }
      int filters = s.getInt(ConfigKeys.SEG_BASE_FILTERS);
      int levels = s.getInt(ConfigKeys.SEG_LEVELS);
      if (filters <= 0) {
        throw new ConfigException("setting '" + ConfigKeys.SEG_BASE_FILTERS + "' must be positive, got " + filters);
      }
      if (levels < 1 || levels > 5) {
        throw new ConfigException(ConfigKeys.SEG_LEVELS + " must be 1..5, got " + levels);
      }
      return new Options(dims, loss, filters, levels, layout);
    }
  }

  private final Options unet;
  private final SegTables tables;
  private final Map<String, ReferenceMask> references;

  /** @param references the patients' reference masks (ingest's reference_masks), to score in the original space */
  public UNetTrainer(JavaSparkContext jsc, TrainingVolumes volumes, TrainingSettings options, TrainingMasters masters,
      String runId, Options unet, SegTables tables, Map<String, ReferenceMask> references) {
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
    return SegSpec.of(unet.dimensions(), volumes.shape(), unet.baseFilters(), unet.levels(), unet.loss(),
        options.learningRate(), options.seed() + 1000L * fold, unet.layout());
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
      if (spec.is3d()) {
        units.add(new EpochData.Slot(id, labels.get(id), -1));
      } else {
        for (int d = 0; d < spec.depth(); d++) {
          units.add(new EpochData.Slot(id, labels.get(id), d));
        }
      }
    }
    Collections.shuffle(units, new Random(seed));
    List<List<EpochData.Slot>> batches = new ArrayList<>();
    for (int i = 0; i < units.size(); i += options.batchSize()) {
      batches.add(List.copyOf(units.subList(i, Math.min(units.size(), i + options.batchSize()))));
    }
    return batches;
  }

  /**
   * The padded features and region labels of a volume (3D) or of one axial slice (2D: only that slice of each
   * channel and of the mask is read from the store).
   */
  @Override
  protected EpochData.Rows rows() {
    return rows(spec(0), volumes.shape()); // the grid and padding; the fold only seeds the weights
  }

  static EpochData.Rows rows(SegSpec spec, int[] shape) {
    return new EpochData.Rows() {
      private static final long serialVersionUID = 1L;

      @Override
      public int featureLength() {
        return spec.featureLength();
      }

      @Override
      public int labelLength() {
        return spec.labelLength();
      }

      @Override
      public void write(TensorStore store, EpochData.Slot slot, java.nio.FloatBuffer features, float[] labels)
          throws IOException {
        float[] row = new float[spec.featureLength()];
        java.util.Arrays.fill(labels, 0f);
        if (spec.is3d()) {
          SegTensors.features(store.tensorFloats(slot.patientId()), spec, -1, row, 0);
          SegTensors.labels(mask(store, slot.patientId()), spec, -1, labels, 0);
        } else {
          SegTensors.sliceFeatures(store.tensorSlice(slot.patientId(), shape, slot.slice()), spec, row, 0);
          SegTensors.sliceLabels(store.maskSlice(slot.patientId(), shape, slot.slice()), spec, labels, 0);
        }
        features.put(row);
      }
    };
  }

  private static byte[] mask(TensorStore store, String patientId) throws IOException {
    byte[] m = store.mask(patientId);
    if (m == null) {
      throw new IOException("patient " + patientId + " has no label mask in the volumes table");
    }
    return m;
  }

  @Override
  protected SegEpoch validate(int fold, int epoch, ComputationGraph net, FoldSplit split, Fit<ComputationGraph> fit,
      long startNanos, long examples) {
    List<SegScorer.PatientScore> val;
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      val = SegScorer.score(jsc, model.handle(), spec(fold), volumes, split.validation(), false, null).collect();
    }
    double valLoss = val.stream().mapToDouble(SegScorer.PatientScore::loss).average().orElse(Double.NaN);
    double[] dice = new double[Regions.NAMES.length];
    for (int r = 0; r < dice.length; r++) {
      int region = r;
      dice[r] = val.stream().mapToDouble(s -> s.gridDice()[region]).average().orElse(Double.NaN);
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new SegEpoch(fold, epoch, fit.loss(), valLoss, dice[0], dice[1], dice[2], seconds, examples / fit.seconds(),
        examples);
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
        for (OriginalSpaceScorer.RegionScore r : s.original().regions()) {
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
      tables.model(fold, best, state.epochsDone(), spec.dimensions().code(), spec.loss().code(), keptPath,
          masters.kind(), NativeBackend.loadedBuild());
      LOG.info(String.format("train-seg fold %d: kept epoch %d (val WT Dice %.3f); segmented %d patients, test WT Dice "
              + "in the original space %.3f (%d patients)%s", fold, best.epoch(), best.valDiceWt(), results.size(),
          wtN == 0 ? Double.NaN : wtSum / wtN, wtN, skipped.isEmpty() ? "" : "; not scored: " + skipped));
      return new Finish(Map.of(), skipped);
    } finally {
      scores.unpersist(false);
      model.close();
    }
  }

  @Override
  protected String describeFinished(FoldState<SegEpoch> state) {
    return String.format("val WT Dice %.3f", state.bestRecord().valDiceWt());
  }

  /** Every patient's reference mask (ingest's reference_masks table), for scoring in the original space. */
  static Map<String, ReferenceMask> references(Warehouse warehouse) {
    Map<String, ReferenceMask> refs = new HashMap<>();
    if (warehouse.exists(Tables.ReferenceMasks.NAME)) {
      for (Row r : warehouse.read(Tables.ReferenceMasks.NAME).collectAsList()) {
        ReferenceMask m = ReferenceMaskRows.fromRow(r);
        refs.put(m.patientId(), m);
      }
    } else {
      LOG.warn("train-seg: no reference_masks table at {} (ingested by an earlier version): predictions cannot be "
          + "scored in the original space until ingest is rerun", warehouse.path(Tables.ReferenceMasks.NAME));
    }
    return refs;
  }
}
