package org.gliomabench.jobs.cnn;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.train.BalancedBatches;
import org.gliomabench.core.train.BestEpochCriterion;
import org.gliomabench.core.train.CnnEpoch;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.core.train.FoldState;
import org.gliomabench.core.train.TrainingScores;
import org.gliomabench.jobs.train.EpochData;
import org.gliomabench.jobs.train.FoldTrainer;
import org.gliomabench.jobs.train.TensorStore;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNN arm of the fold loop: the study's 3D CNN, balanced minibatches (LGG oversampled so every minibatch is
 * half HGG, half LGG), validation loss / accuracy / AUC of P(HGG) (and the same on the training part), the epoch
 * kept by {@code cnn.best.metric}; finishing scores the fold's validation part (where a Youden threshold is
 * chosen) and the test cohort into predictions.
 */
public final class CnnTrainer extends FoldTrainer<MultiLayerNetwork, CnnEpoch> {
  private static final Logger LOG = LoggerFactory.getLogger(CnnTrainer.class);
  static final String THRESHOLD = "threshold";

  /** The CNN's own settings, read and checked once; {@code fixedThreshold} null means Youden's. */
  public record Options(BestEpochCriterion criterion, Double fixedThreshold, boolean trainMetrics, CnnLayout layout,
      boolean embeddings) {
    public static Options from(Settings s) {
      BestEpochCriterion criterion;
      try {
        criterion = BestEpochCriterion.parse(s.get(ConfigKeys.CNN_BEST_METRIC));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.CNN_BEST_METRIC + ": " + e.getMessage());
      }
      Double threshold = TrainingSettings.threshold(s, ConfigKeys.CNN_THRESHOLD);
      CnnLayout layout;
      try {
        layout = CnnLayout.parse(s.get(ConfigKeys.CNN_LAYOUT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.CNN_LAYOUT + ": " + e.getMessage());
      }
      return new Options(criterion, threshold, s.getBoolean(ConfigKeys.CNN_TRAIN_METRICS), layout,
          s.getBoolean(ConfigKeys.CNN_EMBEDDINGS));
    }

    public String thresholdRule() {
      return fixedThreshold == null ? "youden" : "fixed";
    }
  }

  private final Options cnn;
  private final CnnTables tables;

  public CnnTrainer(JavaSparkContext jsc, TrainingVolumes volumes, TrainingSettings options, TrainingMasters masters,
      String runId, Options cnn, CnnTables tables) {
    super(jsc, volumes, options, masters, runId);
    if (options.batchSize() < 2) {
      throw new ConfigException(options.key(ConfigKeys.TRAIN_BATCH_SIZE)
          + " must be at least 2 (a balanced batch holds both classes)");
    }
    this.cnn = cnn;
    this.tables = tables;
  }

  private CnnSpec spec(int fold) {
    return CnnSpec.of(volumes.shape(), options.learningRate(), options.seed() + 1000L * fold, cnn.layout());
  }

  @Override
  protected String stage() {
    return "train-cnn";
  }

  @Override
  protected MultiLayerNetwork network(int fold) {
    return GliomaCnn.network(spec(fold));
  }

  @Override
  protected MultiLayerNetwork read(InputStream in) throws IOException {
    return ModelSerializer.restoreMultiLayerNetwork(in, true);
  }

  @Override
  protected CnnEpoch epoch(String line) {
    return CnnEpoch.fromLine(line);
  }

  @Override
  protected boolean improves(CnnEpoch candidate, CnnEpoch best) {
    return cnn.criterion().improves(candidate, best);
  }

  @Override
  protected String describe(MultiLayerNetwork net, FoldSplit split) {
    return String.format("%d training patients (%d HGG / %d LGG, LGG oversampled), %d validation, %d test; "
            + "%d parameters, backend %s, layout %s", split.train().size(),
        split.train().stream().filter(i -> i.label() == 1).count(), split.train().stream().filter(i -> i.label() == 0).count(),
        split.validation().size(), split.test().size(), net.numParams(), NativeBackend.loadedBuild(), cnn.layout());
  }

  @Override
  protected long epochSeed(int fold, int epoch) {
    return BalancedBatches.epochSeed(options.seed(), fold, epoch);
  }

  @Override
  protected List<List<EpochData.Slot>> plan(FoldSplit split, long seed) {
    Map<String, Integer> labels = volumes.labels();
    List<List<EpochData.Slot>> plan = new ArrayList<>();
    for (List<String> batch : BalancedBatches.plan(split.train(), options.batchSize(), seed)) {
      plan.add(batch.stream().map(id -> new EpochData.Slot(id, labels.get(id), -1)).toList());
    }
    return plan;
  }

  /** A patient's flat tensor [C*D*H*W], read from the store straight into the minibatch, and its label. */
  @Override
  protected EpochData.Rows rows() {
    return rows(volumes.shape());
  }

  /** The CNN's rows at {@code shape} [C, D, H, W] (also what tests of the epoch data feed). */
  public static EpochData.Rows rows(int[] shape) {
    int length = shape[0] * shape[1] * shape[2] * shape[3];
    return new EpochData.Rows() {
      private static final long serialVersionUID = 1L;

      @Override
      public int featureLength() {
        return length;
      }

      @Override
      public int labelLength() {
        return 1;
      }

      @Override
      public void write(TensorStore store, EpochData.Slot slot, java.nio.FloatBuffer features, float[] labels)
          throws java.io.IOException {
        store.readTensor(slot.patientId(), features);
        labels[0] = slot.label();
      }
    };
  }

  @Override
  protected CnnEpoch validate(int fold, int epoch, MultiLayerNetwork net, FoldSplit split, Fit<MultiLayerNetwork> fit,
      long startNanos, long examples) {
    Map<String, Integer> labels = volumes.labels();
    TrainingScores.Summary val = TrainingScores.summary(
        CnnScorer.score(jsc, net, volumes, split.validation(), options.batchSize()), labels);
    TrainingScores.Summary tr = cnn.trainMetrics()
        ? TrainingScores.summary(CnnScorer.score(jsc, net, volumes, split.trainIds(), options.batchSize()), labels)
        : TrainingScores.Summary.NONE;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new CnnEpoch(fold, epoch, fit.loss(), tr.loss(), tr.accuracy(), tr.auc(), val.loss(), val.accuracy(),
        val.auc(), seconds, examples / fit.seconds(), examples);
  }

  @Override
  protected String progress(CnnEpoch r) {
    return String.format("loss %.4f train %.4f val %.4f, val acc %.3f AUC %.3f", r.fitLoss(), r.trainLoss(),
        r.valLoss(), r.valAccuracy(), r.valAuc());
  }

  @Override
  protected void history(int fold, List<CnnEpoch> history) {
    tables.history(fold, history);
  }

  @Override
  protected Finish finish(int fold, FoldSplit split, MultiLayerNetwork kept, CnnEpoch best, FoldState<CnnEpoch> state,
      String keptPath) {
    Map<String, Integer> labels = volumes.labels();
    Map<String, Double> val;
    Map<String, Double> test;
    if (cnn.embeddings()) {
      // One pass scores the fold's validation part and the test cohort and embeds them with the training part.
      List<String> ids = new ArrayList<>(split.validation());
      ids.addAll(split.test());
      ids.addAll(split.trainIds());
      Map<String, CnnScorer.Scored> scored = CnnScorer.scoreAndEmbed(jsc, kept, volumes, ids);
      val = new HashMap<>();
      test = new HashMap<>();
      split.validation().forEach(id -> val.put(id, scored.get(id).score()));
      split.test().forEach(id -> test.put(id, scored.get(id).score()));
      tables.embeddings(fold, scored, volumes.members(), new java.util.HashSet<>(split.trainIds()));
    } else {
      val = CnnScorer.score(jsc, kept, volumes, split.validation(), options.batchSize());
      test = CnnScorer.score(jsc, kept, volumes, split.test(), options.batchSize());
    }
    double threshold = cnn.fixedThreshold() != null ? cnn.fixedThreshold() : TrainingScores.youdenThreshold(val, labels);
    Map<String, Double> all = new HashMap<>(val);
    all.putAll(test);
    Map<String, String> cohorts = new HashMap<>();
    split.validation().forEach(id -> cohorts.put(id, Tables.COHORT_CV));
    split.test().forEach(id -> cohorts.put(id, Tables.COHORT_TEST));
    tables.predictions(fold, all, labels, cohorts, threshold);
    tables.model(fold, best, cnn.criterion().code(), state.epochsDone(), threshold, cnn.thresholdRule(), keptPath,
        masters.kind(), NativeBackend.loadedBuild());
    LOG.info(String.format("train-cnn fold %d: kept epoch %d (val loss %.4f, AUC %.3f), threshold %.3f (%s); "
            + "scored %d validation and %d test patients", fold, best.epoch(), best.valLoss(), best.valAuc(), threshold,
        cnn.thresholdRule(), val.size(), test.size()));
    return new Finish(Map.of(THRESHOLD, Double.toString(threshold)), List.of());
  }

  @Override
  protected String describeFinished(FoldState<CnnEpoch> state) {
    return String.format("threshold %.3f", state.result(THRESHOLD));
  }
}
