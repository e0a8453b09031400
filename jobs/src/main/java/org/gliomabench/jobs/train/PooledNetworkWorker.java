package org.gliomabench.jobs.train;

import java.util.Collection;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's parameter-averaging worker, but the network it trains comes from this JVM's {@link WorkerNetworks}
 * when one of the same configuration is idle: the broadcast parameters, updater state and iteration counters
 * are copied into it instead of building a new network for every split (a fresh network's first minibatches
 * allocate and page in all its buffers again). The result is the same: a test trains both ways.
 *
 * <p>The result's arrays are copied out before the network is given back, since DL4J's result holds views of
 * the network's own parameters and the next holder would overwrite them before Spark serialized them.
 */
final class PooledNetworkWorker extends ParameterAveragingTrainingWorker {
  private static final long serialVersionUID = 1L;

  private final Broadcast<NetBroadcastTuple> broadcast;
  /** False where DL4J's worker sets something per new network (training stats, listeners): then it builds one. */
  private final boolean reuse;
  /** Whether results are shipped as {@link PackedNDArray} (the serializer writes them), else as plain copies. */
  private final boolean pack;
  /** Whether the result's copies free their memory once serialized (not where DL4J persists the results). */
  private final boolean releaseResults;
  /** The round's exchange folder: packed results are shipped as files there (null: inside Spark's result). */
  private final String exchangeDir;
  private transient String key;

  PooledNetworkWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
      Collection<TrainingHook> hooks, Collection<TrainingListener> listeners, StatsStorageRouterProvider router,
      boolean reuse, boolean pack, boolean releaseResults, String exchangeDir) {
    super(broadcast, saveUpdater, configuration, hooks, listeners, router);
    this.broadcast = broadcast;
    this.reuse = reuse;
    this.pack = pack;
    this.releaseResults = releaseResults;
    this.exchangeDir = exchangeDir;
  }

  /** GPU addresses already named in this JVM's log (one line per address, not per split). */
  private static final java.util.Set<String> NAMED_GPUS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Names the GPU Spark's resource scheduling gave this task (once per address and JVM). */
  static void nameTaskGpu() {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    org.apache.spark.resource.ResourceInformation gpu = task == null ? null : task.resourcesJMap().get("gpu");
    if (gpu != null && NAMED_GPUS.add(String.join(",", gpu.addresses()))) {
      org.slf4j.LoggerFactory.getLogger(PooledNetworkWorker.class).info("training worker (task {} of stage {}) holds GPU {}",
          task.partitionId(), task.stageId(), java.util.Arrays.toString(gpu.addresses()));
    }
  }

  /**
   * On the task's own thread, before the round moves to a training thread: names the task's GPU (from its
   * TaskContext, which other threads do not see) and reads the broadcast, which caches its value for them.
   */
  void prepare() {
    nameTaskGpu();
    broadcast.getValue();
  }

  @Override
  public MultiLayerNetwork getInitialModel() {
    nameTaskGpu();
    NetBroadcastTuple tuple = broadcast.getValue();
    if (!reuse || tuple.getUpdaterState() == null) {
      return super.getInitialModel();
    }
    key = WorkerNetworks.key(tuple.getConfiguration());
    if (!(WorkerNetworks.take(key) instanceof MultiLayerNetwork net)) {
      return super.getInitialModel();
    }
    net.getLayerWiseConfigurations().setIterationCount(tuple.getConfiguration().getIterationCount());
    net.getLayerWiseConfigurations().setEpochCount(tuple.getConfiguration().getEpochCount());
    net.setParams(tuple.getParameters());
    net.getUpdater().setStateViewArray(net, tuple.getUpdaterState(), false);
    Nd4j.getExecutioner().commit();
    return net;
  }

  @Override
  public ComputationGraph getInitialModelGraph() {
    nameTaskGpu();
    NetBroadcastTuple tuple = broadcast.getValue();
    if (!reuse || tuple.getUpdaterState() == null) {
      return super.getInitialModelGraph();
    }
    key = WorkerNetworks.key(tuple.getGraphConfiguration());
    if (!(WorkerNetworks.take(key) instanceof ComputationGraph graph)) {
      return super.getInitialModelGraph();
    }
    graph.getConfiguration().setIterationCount(tuple.getGraphConfiguration().getIterationCount());
    graph.getConfiguration().setEpochCount(tuple.getGraphConfiguration().getEpochCount());
    graph.setParams(tuple.getParameters());
    graph.getUpdater().setStateViewArray(tuple.getUpdaterState());
    Nd4j.getExecutioner().commit();
    return graph;
  }

  @Override
  public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
    return giveBack(super.getFinalResult(network), network);
  }

  @Override
  public ParameterAveragingTrainingResult getFinalResult(ComputationGraph graph) {
    return giveBack(super.getFinalResult(graph), graph);
  }

  /**
   * The result with its own (packed) copies of the parameters and updater state, since DL4J's holds views of
   * the network's arrays; the network goes back to the pool. A network built for this split alone, shipped
   * without packing, needs no copy.
   */
  private ParameterAveragingTrainingResult giveBack(ParameterAveragingTrainingResult result, Model model) {
    if (!reuse && !pack) {
      return result;
    }
    ParameterAveragingTrainingResult own = new ParameterAveragingTrainingResult(shipped(result.getParameters()),
        shipped(result.getUpdaterState()), result.getScore(), result.getListenerMetaData(),
        result.getListenerStaticInfo(), result.getListenerUpdates());
    if (reuse && key != null) {
      WorkerNetworks.give(key, model);
      key = null;
    }
    return own;
  }

  private INDArray shipped(INDArray a) {
    return ShippedArrays.copy(a, pack, releaseResults, exchangeDir);
  }
}
