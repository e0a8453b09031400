package org.gliomabench.jobs.train;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.common.SplitPartitionsFunction;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's ParameterAveragingTrainingMaster, same algorithm, with these changes:
 * <ul>
 *   <li>Every minibatch is trained on. DL4J cuts an epoch into floor(minibatches / (workers x averaging
 *       frequency)) splits, and its workers stop after averaging-frequency minibatches of a split, so what the
 *       round-down left over was silently skipped (16 minibatches on 2 workers, averaging every 5: 6 skipped).
 *       Here the split count rounds up and workers train every minibatch of their split.</li>
 *   <li>Workers reuse an idle network of this JVM between averagings ({@link PooledNetworkWorker}).</li>
 *   <li>Each split's broadcast of parameters and updater state is destroyed once the split is averaged (DL4J
 *       left them all to Spark's cleaner: one model-sized copy per averaging held until a garbage collection).</li>
 *   <li>What is shipped (broadcast parameters and updater state, workers' results) is a {@link PackedNDArray}:
 *       serialized as raw bytes, and freed as soon as it is no longer needed, like the summed results once the
 *       driver's network has them. Left to the garbage collector, this model-sized memory every averaging made
 *       each averaging page in fresh memory (Spark / plain examples per second varied 0.4-0.8 between
 *       passes with an 8 GB heap, 0.75-0.85 with 2 GB).</li>
 *   <li>The workers' results RDD is unpersisted once averaged (DL4J's export path persisted it for good).</li>
 *   <li>With an exchange folder ({@link #exchangeRoot}), the packed parameters and updater state go through
 *       files there ({@link ExchangeFiles}), and the broadcast and task results carry only their paths: Spark
 *       keeps a serialized value on the heap several times over while it is written, stored, fetched and read.
 *       A round's files are removed once it is averaged.</li>
 * </ul>
 */
public final class AveragingTrainingMaster extends ParameterAveragingTrainingMaster {
  private static final Logger LOG = LoggerFactory.getLogger(AveragingTrainingMaster.class);

  private transient Broadcast<NetBroadcastTuple> lastBroadcast;
  private transient NetBroadcastTuple lastTuple;
  private transient Boolean packs;
  /** This master's exchange folder (under {@link #exchangeRoot}), null until the first round or when unset. */
  private transient String exchangeDir;
  private transient String exchangeRoot;
  private transient String lastRoundDir;
  private transient int roundCount;

  AveragingTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
    super(builder);
  }

  /** Splits of at most workers x averaging frequency minibatches, rounding up: none left over. */
  public static int splits(int minibatches, int perSplit) {
    return Math.max(1, (minibatches + perSplit - 1) / Math.max(1, perSplit));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T> JavaRDD<T>[] getSplitRDDs(JavaRDD<T> data, int totalDataSetObjectCount, int examplesPerObject) {
    int n = splits(totalDataSetObjectCount, getNumDataSetObjectsPerSplit(examplesPerObject));
    long seed = rng.nextLong();
    if (collectTrainingStats) {
      stats.logSplitStart();
    }
    JavaRDD<T>[] splits = new JavaRDD[n];
    for (int i = 0; i < n; i++) {
      splits[i] = n == 1 ? data : data.mapPartitionsWithIndex(new SplitPartitionsFunction<>(i, n, seed), true);
    }
    if (collectTrainingStats) {
      stats.logSplitEnd();
    }
    return splits;
  }

  /**
   * Ships the parameters, updater state and results through files under {@code root} (a folder on a file system
   * the driver and all executors share; null: through Spark). Folders that killed runs left there are removed.
   */
  public void exchangeRoot(String root) {
    this.exchangeRoot = root;
    if (root != null) {
      ExchangeFiles.sweep(root, java.util.concurrent.TimeUnit.HOURS.toMillis(1));
    }
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
    MultiLayerNetwork net = network.getNetwork();
    JavaSparkContext jsc = network.getSparkContext();
    String round = nextRound(jsc);
    return worker(jsc, new NetBroadcastTuple(net.getLayerWiseConfigurations(), shipped(jsc, net.params(), round),
        shipped(jsc, net.getUpdater().getStateViewArray(), round)), false, round);
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
    ComputationGraph net = graph.getNetwork();
    JavaSparkContext jsc = graph.getSparkContext();
    String round = nextRound(jsc);
    return worker(jsc, new NetBroadcastTuple(net.getConfiguration(), shipped(jsc, net.params(), round),
        shipped(jsc, net.getUpdater().getStateViewArray(), round)), true, round);
  }

  /**
   * The next round's exchange folder, after the previous round's broadcast and files are gone (rounds run one after
   * another: it is averaged by now); null without an exchange root.
   */
  private String nextRound(JavaSparkContext jsc) {
    destroyLastBroadcast();
    if (exchangeRoot == null || !packs(jsc)) {
      return null;
    }
    if (exchangeDir == null) {
      exchangeDir = exchangeRoot.replaceAll("/+$", "") + "/" + jsc.sc().applicationId() + "-"
          + java.util.UUID.randomUUID();
    }
    lastRoundDir = exchangeDir + "/round-" + roundCount++;
    return lastRoundDir;
  }

  /**
   * Trains one epoch given as averaging rounds ({@link EpochData#rounds}: each round one partition per worker,
   * its minibatches in order): per round, the workers start from the driver's network, fit their minibatches
   * (each exactly once, read from the store as they go) and the driver averages their parameters and updater
   * state. DL4J's own entry point counts the epoch and re-splits it, which would read every tensor again.
   * {@code times} (null: not measured) sums where the workers' time went.
   *
   * <p>After each round {@code stop} is asked: when it says so the rest of the rounds are left (the driver's network
   * holds the last averaged state, for a checkpoint). A round that fails while a stop is requested (a cancelled job's
   * executors go first) leaves the network as the last complete round made it.
   *
   * @return the rounds completed (all of them unless stopped)
   */
  public int fitRounds(SparkDl4jMultiLayer network, List<JavaRDD<DataSet>> rounds, RoundTimes times,
      BooleanSupplier stop) {
    return fitRounds(rounds, stop, (i, round) -> processResults(network, null,
        round.mapPartitions(new RoundWorker(getWorkerInstance(network), prefetchNumBatches, false, times)), i,
        rounds.size()));
  }

  /** {@link #fitRounds(SparkDl4jMultiLayer, List, RoundTimes, BooleanSupplier)} for a ComputationGraph (the U-Net). */
  public int fitRounds(SparkComputationGraph graph, List<JavaRDD<DataSet>> rounds, RoundTimes times,
      BooleanSupplier stop) {
    return fitRounds(rounds, stop, (i, round) -> processResults(null, graph,
        round.mapPartitions(new RoundWorker(getWorkerInstance(graph), prefetchNumBatches, true, times)), i,
        rounds.size()));
  }

  private int fitRounds(List<JavaRDD<DataSet>> rounds, BooleanSupplier stop, BiConsumer<Integer, JavaRDD<DataSet>> fit) {
    int done = 0;
    try {
      for (JavaRDD<DataSet> round : rounds) {
        if (stop.getAsBoolean()) {
          break;
        }
        fit.accept(done, round);
        done++;
      }
    } catch (RuntimeException e) {
      if (!stop.getAsBoolean()) {
        throw e;
      }
      LOG.warn("averaging round {} of {} failed while stopping ({}); the network is as round {} left it", done + 1,
          rounds.size(), e.toString(), done);
    } finally {
      finish();
    }
    return done;
  }

  @Override
  public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> trainingData) {
    try {
      super.executeTraining(network, trainingData);
    } finally {
      finish();
    }
  }

  @Override
  public void executeTraining(SparkComputationGraph graph, JavaRDD<DataSet> trainingData) {
    try {
      super.executeTraining(graph, trainingData);
    } finally {
      finish();
    }
  }

  private ParameterAveragingTrainingWorker worker(JavaSparkContext jsc, NetBroadcastTuple tuple, boolean graph,
      String round) {
    if (collectTrainingStats) {
      stats.logBroadcastStart();
    }
    lastTuple = tuple;
    lastBroadcast = jsc.broadcast(tuple);
    if (collectTrainingStats) {
      stats.logBroadcastEnd();
    }
    // 0: no cap on minibatches per worker and split (DL4J passes the averaging frequency and drops the rest).
    WorkerConfiguration configuration = new WorkerConfiguration(graph, rddDataSetNumExamples, batchSizePerWorker, 0,
        prefetchNumBatches, collectTrainingStats);
    boolean reuse = !collectTrainingStats && (listeners == null || listeners.isEmpty());
    // Export training persists the workers' results before averaging them: those must stay readable.
    boolean releaseResults = rddTrainingApproach == RDDTrainingApproach.Direct;
    return new PooledNetworkWorker(lastBroadcast, saveUpdater, configuration, trainingHookList, listeners,
        getRouterProvider(), reuse, packs(jsc), releaseResults, round);
  }

  /** A copy of what the driver's network ships: packed where the backend and serializer allow. */
  private INDArray shipped(JavaSparkContext jsc, INDArray a, String round) {
    return ShippedArrays.copy(a, packs(jsc), false, round);
  }

  private boolean packs(JavaSparkContext jsc) {
    if (packs == null) {
      packs = ShippedArrays.packs(jsc.getConf());
      if (!packs && ShippedArrays.cpuBackend()) {
        LOG.warn("spark.kryo.registrator is not {}: parameters are shipped with ND4J's element-by-element "
            + "serialization (slower)", GliomaKryoRegistrator.class.getName());
      }
    }
    return packs;
  }

  private void destroyLastBroadcast() {
    if (lastBroadcast != null) {
      lastBroadcast.destroy();
      ShippedArrays.release(lastTuple.getParameters());
      ShippedArrays.release(lastTuple.getUpdaterState());
      lastBroadcast = null;
      lastTuple = null;
    }
    ExchangeFiles.delete(lastRoundDir);
    lastRoundDir = null;
  }

  /** After an epoch: the last round's broadcast and this master's exchange folder go. */
  private void finish() {
    destroyLastBroadcast();
    ExchangeFiles.delete(exchangeDir);
    exchangeDir = null;
  }

  /**
   * DL4J's averaging of the workers' results (sum / count into the driver's network), then the summed arrays'
   * memory is freed at once instead of at some later garbage collection. Stats and listener storage take
   * DL4J's own path.
   */
  @Override
  protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
      JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
    if (collectTrainingStats || statsStorage != null) {
      super.processResults(network, graph, results, splitNum, totalSplits);
      return;
    }
    ParameterAveragingAggregationTuple tuple = results.treeAggregate(null, new ParameterAveragingElementAddFunction(),
        new ReleasingCombine(), aggregationDepth);
    INDArray params = tuple == null ? null : tuple.getParametersSum();
    if (params == null) {
      LOG.debug("Skipping a split with no data for any worker");
      return;
    }
    int count = tuple.getAggregationsCount();
    INDArray state = tuple.getUpdaterStateSum();
    params.divi(count);
    if (state != null) {
      state.divi(count);
    }
    if (network != null) {
      MultiLayerNetwork net = network.getNetwork();
      net.setParameters(params);
      if (state != null) {
        net.getUpdater().setStateViewArray(null, state, false);
      }
      network.setScore(tuple.getScoreSum() / count);
      MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
      conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
      release(params, net.params());
      release(state, net.getUpdater().getStateViewArray());
    } else {
      ComputationGraph net = graph.getNetwork();
      net.setParams(params);
      if (state != null) {
        net.getUpdater().setStateViewArray(state);
      }
      graph.setScore(tuple.getScoreSum() / count);
      ComputationGraphConfiguration conf = net.getConfiguration();
      conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
      release(params, net.params());
      release(state, net.getUpdater().getStateViewArray());
    }
    Nd4j.getExecutioner().commit();
    // Export training persists the results before this; DL4J never unpersisted them.
    results.unpersist(false);
    LOG.debug("Completed training of split {} of {}", splitNum, totalSplits);
  }

  /** DL4J's combination of two partial sums (the first plus the second), then the second's memory is freed. */
  static final class ReleasingCombine implements
      Function2<ParameterAveragingAggregationTuple, ParameterAveragingAggregationTuple, ParameterAveragingAggregationTuple> {
    private static final long serialVersionUID = 1L;
    private final ParameterAveragingElementCombineFunction dl4j = new ParameterAveragingElementCombineFunction();

    @Override
    public ParameterAveragingAggregationTuple call(ParameterAveragingAggregationTuple a,
        ParameterAveragingAggregationTuple b) throws Exception {
      ParameterAveragingAggregationTuple sum = dl4j.call(a, b);
      if (a != null && b != null && sum != b) {
        release(b.getParametersSum(), sum.getParametersSum());
        release(b.getUpdaterStateSum(), sum.getUpdaterStateSum());
      }
      return sum;
    }
  }

  /** Frees an array that was copied or added from, unless it is {@code kept} (the network's own, or the sum). */
  private static void release(INDArray done, INDArray kept) {
    if (done != null && done != kept) {
      ShippedArrays.release(done);
    }
  }
}
