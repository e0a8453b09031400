package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * Builds the DL4J TrainingMaster from an arm's {@link TrainingSettings}: parameter averaging (the default; every worker fits
 * its own minibatches and the driver averages parameters and updater state every few minibatches) or
 * gradient sharing (SharedTrainingMaster: threshold-encoded updates over Aeron UDP, for larger clusters).
 * A new master per epoch with a seed derived from the epoch, so a resumed run splits the data as an
 * uninterrupted one would.
 */
public final class TrainingMasters {
  public static final String AVERAGING = TrainingSettings.AVERAGING;
  public static final String SHARING = TrainingSettings.SHARING;

  private final TrainingSettings training;
  private final Repartition repartition;
  private final RDDTrainingApproach approach;
  private final Settings settings;
  /** Workers the memory plan allows (null: not planned). */
  private Integer planned;

  /** @param settings for gradient sharing's own keys (cnn.sharing.*) */
  public TrainingMasters(TrainingSettings training, Settings settings) {
    this.training = training;
    this.settings = settings;
    this.repartition = Repartition.NumPartitionsWorkersDiffers;
    this.approach = RDDTrainingApproach.Direct;
  }

  public String kind() {
    return training.master();
  }

  public int batchSize() {
    return training.batchSize();
  }

  public int averagingFrequency() {
    return training.averagingFrequency();
  }

  /** Whether parameter averaging ships through files ({@code train.exchange=files}) rather than Spark. */
  public boolean exchangesFiles() {
    return training.exchange().equals(TrainingSettings.FILES);
  }

  /** direct or export. */
  public String approach() {
    return approach.name().toLowerCase(Locale.ROOT);
  }

  /**
   * DL4J workers: {@code train.workers} (or the arm's) if set, else one per task slot (cores / spark.task.cpus:
   * one per GPU under the GPU profile), which is DL4J's own default (the default parallelism) when a task takes
   * one core.
   */
  public int workers(JavaSparkContext jsc) {
    if (planned != null) {
      return planned;
    }
    return slots(jsc);
  }

  /** Workers as configured, before the memory plan: {@code train.workers} or one per task slot. */
  public int slots(JavaSparkContext jsc) {
    if (training.workers() != null) {
      return training.workers();
    }
    int taskCpus = Math.max(1, jsc.getConf().getInt("spark.task.cpus", 1));
    return Math.max(1, jsc.defaultParallelism() / taskCpus);
  }

  /**
   * OpenMP threads per worker: {@code train.worker.threads} (or the arm's) if set, else the cores of the worker's
   * share (Spark's default parallelism, i.e. all executor cores, over the workers), at least 1.
   */
  public int workerThreads(JavaSparkContext jsc) {
    if (training.workerThreads() != null) {
      return training.workerThreads();
    }
    return Math.max(1, jsc.defaultParallelism() / workers(jsc));
  }

  /** Trains with {@code workers} workers: as many as {@link MemoryPlan} found room for. */
  public void plan(int workers) {
    this.planned = workers;
  }

  public TrainingMaster<?, ?> create(long seed, JavaSparkContext jsc) {
    if (kind().equals(SHARING)) {
      return sharing(seed);
    }
    return new AveragingTrainingMaster(averaging(seed, jsc));
  }

  /** DL4J's own ParameterAveragingTrainingMaster with these settings (bench cnn compares it with ours). */
  public ParameterAveragingTrainingMaster dl4jAveraging(long seed, JavaSparkContext jsc) {
    return averaging(seed, jsc).build();
  }

  private ParameterAveragingTrainingMaster.Builder averaging(long seed, JavaSparkContext jsc) {
    return new ParameterAveragingTrainingMaster.Builder(workers(jsc), training.batchSize())
        .batchSizePerWorker(training.batchSize())
        .averagingFrequency(training.averagingFrequency())
        .workerPrefetchNumBatches(training.prefetch())
        .saveUpdater(true)
        .repartionData(repartition)
        .repartitionStrategy(RepartitionStrategy.Balanced)
        .rddTrainingApproach(approach)
        // Direct training persists the minibatch RDD at this level: the level the batch builders use.
        .storageLevel(BATCH_STORAGE)
        // A mutable list: DL4J's addHook appends to it.
        .trainingHooks(new ArrayList<>(List.of(new WorkerThreads(workerThreads(jsc)))))
        .rngSeed(seed)
        .collectTrainingStats(false);
  }

  /**
   * How the epoch batch builders persist minibatch RDDs (Direct training expects them persisted at this level).
   * Deserialized: DL4J counts the RDD and reads every partition again at each averaging, and with serialized
   * storage each pass deserialized every minibatch (Spark/plain examples per second 0.45 serialized vs 0.63
   * here, 4x32x64x64, averaging every 2). Training does not modify the cached DataSets (checked by checksum
   * over four fits). Their tensors live off-heap, where Spark's storage memory does not see them: bounded by
   * one epoch's batches, unpersisted after the epoch, and by JavaCPP's maxbytes.
   */
  public static final StorageLevel BATCH_STORAGE = StorageLevel.MEMORY_AND_DISK();

  /**
   * DL4J's Aeron transport sets a 30 s client liveness timeout, which Aeron refuses unless the publication
   * unblock timeout (default 15 s) is longer; set it in every JVM that may start Aeron (here and in the
   * executor plugin) unless the user did.
   */
  public static void aeronTimeouts() {
    if (System.getProperty(AERON_UNBLOCK) == null) {
      System.setProperty(AERON_UNBLOCK, "60s");
    }
  }

  static final String AERON_UNBLOCK = "aeron.publication.unblock.timeout";

  private TrainingMaster<?, ?> sharing(long seed) {
    aeronTimeouts();
    VoidConfiguration.VoidConfigurationBuilder voidConf = VoidConfiguration.builder()
        .unicastPort(settings.getInt(ConfigKeys.CNN_SHARING_PORT));
    if (settings.has(ConfigKeys.CNN_SHARING_CONTROLLER)) {
      voidConf.controllerAddress(settings.get(ConfigKeys.CNN_SHARING_CONTROLLER));
    }
    if (settings.has(ConfigKeys.CNN_SHARING_NETWORK_MASK)) {
      voidConf.networkMask(settings.get(ConfigKeys.CNN_SHARING_NETWORK_MASK));
    }
    double threshold = settings.getDouble(ConfigKeys.CNN_SHARING_THRESHOLD);
    return new SharedTrainingMaster.Builder(voidConf.build(), training.batchSize())
        .batchSizePerWorker(training.batchSize())
        .thresholdAlgorithm(new AdaptiveThresholdAlgorithm(threshold))
        .workersPerNode(1)
        .workerPrefetchNumBatches(training.prefetch())
        .repartitionData(repartition)
        .repartitionStrategy(RepartitionStrategy.Balanced)
        .rngSeed(seed)
        .collectTrainingStats(false)
        .build();
  }

  /** The masters of one arm ({@code cnn}, {@code seg}) from the whole settings. */
  public static TrainingMasters of(Settings settings, String arm) {
    return new TrainingMasters(TrainingSettings.of(settings, arm), settings);
  }




}
