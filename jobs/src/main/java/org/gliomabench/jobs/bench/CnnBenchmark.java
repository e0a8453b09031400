package org.gliomabench.jobs.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.train.AveragingTrainingMaster;
import org.gliomabench.jobs.train.FittedExamples;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench cnn}: (1) one training step of the study's network, DL4J (oneDNN AVX2 and plain ND4J builds,
 * each in a fresh JVM) against PyTorch CPU on the same layers, shape and batch, in PyTorch's default layout, in
 * channels_last_3d and compiled ({@link TorchVariants}); DL4J's main layout and the PyTorch variants alternate
 * step by step in one run ({@link LockStep}); (2) examples per second
 * through SparkDl4jMultiLayer against plain MultiLayerNetwork.fit on the same minibatches in this JVM;
 * (3) peak resident memory of one worker taking a step at the study's shape and batch.
 */
public final class CnnBenchmark implements BenchCommand.Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CnnBenchmark.class);
  /** Untimed steps before the timed ones, on both sides (oneDNN and PyTorch settle after the first two). */
  private static final int WARM_UP = 2;
  /** The CNN's speed target (its issue): DL4J's step at most 0.8 of PyTorch's best, compiled or not. */
  private static final TorchVariants.Target TARGET = new TorchVariants.Target(0.8, false);
  /**
   * Untimed and timed passes over the Spark comparison's data, on each side. Two untimed: the JVM's heap is
   * still growing through the first passes (page faults that a long training run pays once).
   */
  private static final int SPARK_WARM_UP_PASSES = 2;
  private static final int SPARK_PASSES = 3;

  /** A STEP line of CnnStepProbe or bench_cnn_torch.py. */
  record Step(String backend, double seconds, double min, long peakRssMb, String library) {}

  /**
   * Examples per second of plain fit, of SparkDl4jMultiLayer with our master and with DL4J's own, the share
   * of the offered examples each Spark master really trained on, and Spark's setup.
   */
  record SparkRates(double plain, Rate spark, Rate dl4j, int examples, int batch, String setup) {}

  /** Examples per second over the timed passes, and the share of the examples offered that were fitted. */
  record Rate(double perSecond, double fittedShare) {}

  @Override
  public String summary() {
    return "CNN step time DL4J vs PyTorch, Spark vs plain fit examples/s, peak memory per worker";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    String shape = s.get(ConfigKeys.BENCH_CNN_SHAPE);
    int batch = s.getInt(ConfigKeys.BENCH_CNN_BATCH);
    int steps = s.getInt(ConfigKeys.BENCH_CNN_STEPS);
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf("bench cnn on %d cores (%s); this machine may be shared, so timings are noisy.%n", threads,
        NativeBackend.configure());

    CnnLayout layout = CnnLayout.parse(s.get(ConfigKeys.CNN_LAYOUT));
    CnnLayout other = layout == CnnLayout.NDHWC ? CnnLayout.NCDHW : CnnLayout.NDHWC;
    String main = "DL4J oneDNN " + layout;
    String loadBefore = SegBenchmark.loadAverage();

    // DL4J's step in its main layout and PyTorch's variants, alternating step by step in one run.
    LOG.info("bench cnn: DL4J oneDNN AVX2 step, shape {} batch {}, layout {}, alternating with PyTorch", shape, batch, layout);
    System.out.println("bench cnn: starting " + main + " (fresh JVM, " + WARM_UP + " warm-up steps) ...");
    LockStep.Started dl4jStart = LockStep.start(main, probeCommand(shape, batch, 0, WARM_UP, NativeBackend.ONEDNN_AVX2,
        layout), Map.of(), LockStep.STEP_TIMEOUT_S, System.out);
    if (dl4jStart.side() == null) {
      throw new IOException("bench cnn: the DL4J step probe did not start: " + dl4jStart.skipped());
    }
    List<LockStep.Timing> torchRows;
    LockStep.Timing dl4j;
    TorchVariants torch = null;
    try {
      torch = TorchVariants.start(v -> pythonCommand(s.get(ConfigKeys.BENCH_CNN_PYTHON), shape, batch,
              threads, v), "scripts/bench_cnn_torch.py not found (run from the project root)",
          TorchVariants.compileEnabled(s), TorchVariants.compileCap(s), System.out);
      List<LockStep.Side> sides = new ArrayList<>();
      sides.add(dl4jStart.side());
      sides.addAll(torch.sides());
      System.out.printf("bench cnn: %d alternating rounds of one step each (%s)%n", steps,
          String.join(", ", sides.stream().map(x -> x.label).toList()));
      List<LockStep.Timing> timed = LockStep.rounds(sides, steps, System.out);
      dl4j = timed.get(0);
      torchRows = torch.rows(timed.subList(1, timed.size()));
    } finally {
      dl4jStart.side().close();
      if (torch != null) {
        torch.close();
      }
    }

    String loadAfter = SegBenchmark.loadAverage();

    Map<String, Step> stepRows = new LinkedHashMap<>();
    LOG.info("bench cnn: DL4J oneDNN AVX2 step, layout {}", other);
    stepRows.put("DL4J oneDNN " + other, probe(shape, batch, steps, WARM_UP, NativeBackend.ONEDNN_AVX2, other));
    if (s.getBoolean(ConfigKeys.BENCH_CNN_PLAIN)) {
      LOG.info("bench cnn: DL4J plain step (slow)");
      stepRows.put("DL4J plain " + layout, probe(shape, batch, 1, 1, "", layout));
    }

    String memShape = String.join(",", java.util.Arrays.stream(CnnSpec.STUDY_SHAPE).mapToObj(String::valueOf).toList());
    int memBatch = s.getInt(ConfigKeys.BENCH_CNN_MEMORY_BATCH);
    LOG.info("bench cnn: peak memory of one worker step, shape {} batch {}", memShape, memBatch);
    Step memory = probe(memShape, memBatch, 1, 0, null, layout);

    LOG.info("bench cnn: Spark overhead");
    SparkRates rates = sparkOverhead(context, layout);

    System.out.printf("%n1. training step, shape %s, batch %d, Adam + BCE, %d threads each. Rows marked *: %d "
            + "alternating rounds of one step each (the order rotating) after %d warm-up steps, each side in its own "
            + "process; the others: fresh JVMs afterwards, mean of %d after %d warm-up steps (plain: 1 after 1)%n",
        shape.replace(',', 'x'), batch, threads, steps, WARM_UP, steps, WARM_UP);
    System.out.printf("     %-43s %8s %8s %8s %12s  %s%n", "implementation", "mean s", "min s", "median s", "peak RSS MB",
        "library");
    printTimed(dl4j, dl4j.result() == null ? "" : dl4j.result().path("library").asText(""));
    for (LockStep.Timing t : torchRows) {
      printTimed(t, t.result() == null ? "" : t.result().path("version").asText("") + "-threads-"
          + t.result().path("threads").asText("?") + TorchVariants.compileTime(t.result()));
    }
    stepRows.forEach((k, v) -> System.out.printf(Locale.ROOT, "     %-43s %8.3f %8.3f %8s %12d  %s%n", k, v.seconds(),
        v.min(), "-", v.peakRssMb(), v.library()));
    TorchVariants.printRatios(dl4j, torchRows, LockStep.Timing::mean, "mean", TARGET, torch.compileNote, "   ",
        System.out);
    System.out.printf(Locale.ROOT, "   %s / %s step time (oneDNN): %.2fx mean (%s from the rounds, %s from its own JVM)%n",
        other, layout, stepRows.get("DL4J oneDNN " + other).seconds() / dl4j.mean(), layout, other);
    if (stepRows.containsKey("DL4J plain " + layout)) {
      System.out.printf(Locale.ROOT, "   plain / oneDNN step time (%s): %.1fx%n", layout,
          stepRows.get("DL4J plain " + layout).seconds() / dl4j.mean());
    }
    System.out.printf("   1-minute load average before / after the rounds: %s / %s on %d cores%s%n", loadBefore, loadAfter,
        threads, SegBenchmark.loadNote(threads, loadBefore, loadAfter));
    System.out.printf(Locale.ROOT, "%n2. Spark overhead, shape %s, %d examples, batch %d: plain fit %.2f ex/s, "
            + "SparkDl4jMultiLayer %.2f ex/s (%.0f%% of the examples trained)%n   (%s)%n"
            + "   Spark / plain examples per second: %.2f   (target >= 0.9)%n"
            + "   DL4J's own ParameterAveragingTrainingMaster, same settings: %.2f ex/s (%.0f%% of the examples trained), "
            + "%.2f of plain%n",
        s.get(ConfigKeys.BENCH_CNN_SPARK_SHAPE).replace(',', 'x'), rates.examples(), rates.batch(),
        rates.plain(), rates.spark().perSecond(), 100 * rates.spark().fittedShare(), rates.setup(),
        rates.spark().perSecond() / rates.plain(), rates.dl4j().perSecond(), 100 * rates.dl4j().fittedShare(),
        rates.dl4j().perSecond() / rates.plain());
    System.out.printf(Locale.ROOT, "%n3. peak memory of one worker, shape %s, batch %d, one step (%s): %d MB resident "
            + "(%.2f s for the step)%n", memShape.replace(',', 'x'), memBatch, memory.backend(), memory.peakRssMb(),
        memory.seconds());
    return 0;
  }

  /**
   * Plain fit and Spark fit over the same minibatches, as train-cnn trains: the configured batch size per worker
   * and, by default, two whole averaging periods for every worker per pass (fewer minibatches than the averaging
   * frequency would time a worker that averages before its period is full). The plain baseline is the faster of
   * the two ways MultiLayerNetwork fits the same minibatches. Spark gets its minibatches as train-cnn does: built on
   * the executors and persisted, not shipped from the driver (a parallelized driver list would ride along in
   * every task).
   */
  private SparkRates sparkOverhead(JobContext context, CnnLayout layout) {
    Settings s = context.settings();
    int[] shape = s.getInts(ConfigKeys.BENCH_CNN_SPARK_SHAPE);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(context.spark().sparkContext());
    TrainingMasters masters = new TrainingMasters(TrainingSettings.of(s, ConfigKeys.CNN), s);
    int batch = masters.batchSize();
    int workers = masters.workers(jsc);
    int examples = s.getInt(ConfigKeys.BENCH_CNN_SPARK_EXAMPLES, 2 * workers * masters.averagingFrequency() * batch);
    CnnSpec spec = CnnSpec.of(shape, 1e-4, 3, layout);
    int length = spec.featureLength();
    List<Integer> ids = new ArrayList<>();
    List<DataSet> batches = new ArrayList<>();
    for (int i = 0; i < Math.max(1, examples / batch); i++) {
      ids.add(i);
      batches.add(syntheticBatch(i, batch, length));
    }
    int n = batches.size() * batch;
    // Each side: untimed passes over the data (JIT, workspaces, oneDNN kernels, Spark's task threads, heap
    // growth), then timed ones. Plain fit both ways MultiLayerNetwork offers, and the faster is the baseline:
    // minibatch by minibatch as each Spark worker fits, and through a DataSet iterator (DL4J prefetches).
    MultiLayerNetwork plain = GliomaCnn.network(spec);
    AtomicLong plainFitted = new AtomicLong();
    double byMinibatch = rate(n, plainFitted::get, () -> {
      batches.forEach(plain::fit);
      plainFitted.addAndGet(n);
    }).perSecond();
    double byIterator = rate(n, plainFitted::get, () -> {
      plain.fit(new ListDataSetIterator<>(batches, batch));
      plainFitted.addAndGet(n);
    }).perSecond();
    double plainRate = Math.max(byMinibatch, byIterator);

    // One partition per worker, as train-cnn deals its epoch batches. Spark's rates count the examples the
    // workers really fit (a training hook adding to a Spark accumulator): DL4J's own master skips some.
    JavaRDD<DataSet> rdd = jsc.parallelize(ids, workers).map(i -> syntheticBatch(i, batch, length))
        .persist(TrainingMasters.BATCH_STORAGE);
    rdd.count();
    LongAccumulator fitted = jsc.sc().longAccumulator("bench cnn: examples fitted");
    TrainingMaster<?, ?> ours = masters.create(3, jsc);
    ours.addHook(new FittedExamples(fitted));
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(spec), ours);
    Rate sparkRate = rate(n, fitted::value, () -> spark.fit(rdd));
    TrainingMaster<?, ?> theirs = masters.dl4jAveraging(3, jsc);
    theirs.addHook(new FittedExamples(fitted));
    SparkDl4jMultiLayer dl4j = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(spec), theirs);
    Rate dl4jRate = rate(n, fitted::value, () -> dl4j.fit(rdd));
    int averagings = AveragingTrainingMaster.splits(batches.size(), workers * masters.averagingFrequency());
    String setup = String.format(Locale.ROOT, "%s, %d workers x %d threads, averaging every %d minibatches (%d "
            + "averagings per pass), %s RDD training; %d untimed + %d timed passes each; plain fit %.2f ex/s minibatch by "
            + "minibatch, %.2f through an iterator", jsc.sc().master(), workers, masters.workerThreads(jsc),
        masters.averagingFrequency(), averagings, masters.approach(), SPARK_WARM_UP_PASSES, SPARK_PASSES, byMinibatch,
        byIterator);
    rdd.unpersist();
    return new SparkRates(plainRate, sparkRate, dl4jRate, n, batch, setup);
  }

  /**
   * Examples fitted per second by {@code pass} (each offers {@code n} examples) over the timed passes, after the
   * untimed ones; {@code fitted} counts the examples really fitted so far.
   */
  private static Rate rate(int n, LongSupplier fitted, Runnable pass) {
    for (int i = 0; i < SPARK_WARM_UP_PASSES; i++) {
      pass.run();
    }
    long before = fitted.getAsLong();
    long t0 = System.nanoTime();
    for (int i = 0; i < SPARK_PASSES; i++) {
      pass.run();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long examples = fitted.getAsLong() - before;
    return new Rate(examples / seconds, (double) examples / ((long) SPARK_PASSES * n));
  }

  /** Minibatch {@code i} of the Spark comparison: the same values on the driver and on any executor. */
  static DataSet syntheticBatch(int i, int batch, int length) {
    org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(1000L + i);
    INDArray labels = Nd4j.create(DataType.FLOAT, batch, 1);
    for (int k = 0; k < batch; k++) {
      labels.putScalar(k, 0, (i + k) % 2);
    }
    return new DataSet(Nd4j.randn(rng, new long[] {batch, length}).castTo(DataType.FLOAT), labels);
  }

  /** A row of the alternating rounds: "*", the label, mean/min/median, peak RSS, the library; or SKIPPED. */
  private static void printTimed(LockStep.Timing t, String library) {
    if (t.skipped() != null) {
      System.out.printf("   * %-43s SKIPPED: %s%n", t.label(), t.skipped());
      return;
    }
    System.out.printf(Locale.ROOT, "   * %-43s %8.3f %8.3f %8.3f %12d  %s%n", t.label(), t.mean(), t.min(), t.median(),
        t.result().path("peak_rss_mb").asLong(-1), library);
  }

  /** Runs CnnStepProbe in a fresh JVM; {@code extension} null keeps the automatic choice. */
  private static Step probe(String shape, int batch, int steps, int warmup, String extension, CnnLayout layout)
      throws IOException, InterruptedException {
    return run(probeCommand(shape, batch, steps, warmup, extension, layout));
  }

  /** CnnStepProbe's command line (STEPS 0: lock-step mode). */
  private static List<String> probeCommand(String shape, int batch, int steps, int warmup, String extension,
      CnnLayout layout) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    // ND4J's off-heap arrays are bounded by JavaCPP's maxbytes (default: the heap size).
    cmd.add("-Dorg.bytedeco.javacpp.maxbytes=14G");
    cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=18G");
    if (extension != null) {
      cmd.add("-D" + NativeBackend.EXTENSION_PROPERTY + "=" + extension);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CnnStepProbe.class.getName());
    cmd.addAll(List.of(shape, String.valueOf(batch), String.valueOf(steps), String.valueOf(warmup), layout.name()));
    return cmd;
  }

  /** bench_cnn_torch.py in lock-step mode for one PyTorch variant; null when the script is not there. */
  private static List<String> pythonCommand(String python, String shape, int batch, int threads, String variant) {
    Path script = Path.of("scripts", "bench_cnn_torch.py");
    if (!Files.isRegularFile(script)) {
      return null;
    }
    return List.of(python, script.toString(), shape, String.valueOf(batch), "0", String.valueOf(WARM_UP),
        String.valueOf(threads), variant);
  }

  private static Step run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    Step step = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("STEP ")) {
          step = parse(line);
        } else if (!line.contains("WARN")) {
          tail.append(line).append('\n');
          if (tail.length() > 4000) {
            tail.delete(0, tail.length() - 4000);
          }
        }
      }
    }
    if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0 || step == null) {
      throw new IOException("step probe failed (" + String.join(" ", cmd.subList(cmd.size() - 5, cmd.size())) + "): " + tail);
    }
    return step;
  }

  static Step parse(String line) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : line.substring(5).trim().split(" ")) {
      int eq = part.indexOf('=');
      kv.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return new Step(kv.get("backend"), Double.parseDouble(kv.get("seconds")), Double.parseDouble(kv.get("min")),
        Long.parseLong(kv.get("peak_rss_mb")), kv.get("library"));
  }
}
