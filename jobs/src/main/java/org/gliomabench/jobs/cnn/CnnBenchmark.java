package org.gliomabench.jobs.cnn;

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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.jobs.BenchCommand;
import org.gliomabench.jobs.cli.JobContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench cnn}: (1) one training step of the study's network, DL4J (oneDNN AVX2 and plain ND4J builds,
 * each in a fresh JVM) against PyTorch CPU on the same layers, shape and batch; (2) examples per second
 * through SparkDl4jMultiLayer against plain MultiLayerNetwork.fit on the same minibatches in this JVM;
 * (3) peak resident memory of one worker taking a step at the study's shape and batch.
 */
public final class CnnBenchmark implements BenchCommand.Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CnnBenchmark.class);

  /** A STEP line of CnnStepProbe or bench_cnn_torch.py. */
  record Step(String backend, double seconds, double min, long peakRssMb, String library) {}

  @Override
  public String summary() {
    return "CNN step time DL4J vs PyTorch, Spark vs plain fit examples/s, peak memory per worker";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    String shape = s.get(ConfigKeys.BENCH_CNN_SHAPE, "4,95,128,128");
    int batch = s.getInt(ConfigKeys.BENCH_CNN_BATCH, 2);
    int steps = s.getInt(ConfigKeys.BENCH_CNN_STEPS, 3);
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf("bench cnn on %d cores (%s); this machine may be shared, so timings are noisy.%n", threads,
        NativeBackend.configure());

    Map<String, Step> stepRows = new LinkedHashMap<>();
    LOG.info("bench cnn: DL4J oneDNN AVX2 step, shape {} batch {}", shape, batch);
    stepRows.put("DL4J oneDNN AVX2", probe(shape, batch, steps, 1, NativeBackend.ONEDNN_AVX2));
    if (s.getBoolean(ConfigKeys.BENCH_CNN_PLAIN, true)) {
      LOG.info("bench cnn: DL4J plain step (slow)");
      stepRows.put("DL4J plain", probe(shape, batch, 1, 1, ""));
    }
    LOG.info("bench cnn: PyTorch step");
    Step torch = python(s.get(ConfigKeys.BENCH_CNN_PYTHON, "python3"), shape, batch, steps, threads);
    if (torch != null) {
      stepRows.put("PyTorch CPU", torch);
    }

    String memShape = String.join(",", java.util.Arrays.stream(CnnSpec.STUDY_SHAPE).mapToObj(String::valueOf).toList());
    int memBatch = s.getInt(ConfigKeys.BENCH_CNN_MEMORY_BATCH, CnnSpec.STUDY_BATCH);
    LOG.info("bench cnn: peak memory of one worker step, shape {} batch {}", memShape, memBatch);
    Step memory = probe(memShape, memBatch, 1, 0, null);

    LOG.info("bench cnn: Spark overhead");
    double[] rates = sparkOverhead(context);

    System.out.printf("%n1. training step, shape %s, batch %d, Adam + BCE (mean of %d after a warm-up; plain: 1)%n",
        shape.replace(',', 'x'), batch, steps);
    System.out.printf("   %-18s %10s %10s %12s  %s%n", "implementation", "mean s", "min s", "peak RSS MB", "library");
    stepRows.forEach((k, v) -> System.out.printf(Locale.ROOT, "   %-18s %10.3f %10.3f %12d  %s%n", k, v.seconds(), v.min(),
        v.peakRssMb(), v.library()));
    Step dl4j = stepRows.get("DL4J oneDNN AVX2");
    if (torch != null) {
      System.out.printf(Locale.ROOT, "   DL4J (oneDNN) / PyTorch step time: %.2fx mean, %.2fx best step   (target <= 1.2x)%n",
          dl4j.seconds() / torch.seconds(), dl4j.min() / torch.min());
    } else {
      System.out.println("   PyTorch not available (pip install torch): no ratio");
    }
    if (stepRows.containsKey("DL4J plain")) {
      System.out.printf(Locale.ROOT, "   plain / oneDNN step time: %.1fx%n", stepRows.get("DL4J plain").seconds() / dl4j.seconds());
    }
    System.out.printf(Locale.ROOT, "%n2. Spark overhead, shape %s, %d examples, batch %d: plain fit %.2f ex/s, "
            + "SparkDl4jMultiLayer %s %.2f ex/s%n   Spark / plain examples per second: %.2f   (target >= 0.9)%n",
        s.get(ConfigKeys.BENCH_CNN_SPARK_SHAPE, "4,32,64,64").replace(',', 'x'), (int) rates[2], (int) rates[3],
        rates[0], context.spark().sparkContext().master(), rates[1], rates[1] / rates[0]);
    System.out.printf(Locale.ROOT, "%n3. peak memory of one worker, shape %s, batch %d, one step (%s): %d MB resident "
            + "(%.2f s for the step)%n", memShape.replace(',', 'x'), memBatch, memory.backend(), memory.peakRssMb(),
        memory.seconds());
    return 0;
  }

  /** Plain fit and Spark fit over the same minibatches; returns {plain ex/s, spark ex/s, examples, batch}. */
  private double[] sparkOverhead(JobContext context) {
    Settings s = context.settings();
    int[] shape = s.getInts(ConfigKeys.BENCH_CNN_SPARK_SHAPE);
    int examples = s.getInt(ConfigKeys.BENCH_CNN_SPARK_EXAMPLES, 64);
    int batch = s.getInt(ConfigKeys.CNN_BATCH_SIZE, 8);
    batch = Math.min(batch, 8);
    CnnSpec spec = CnnSpec.of(shape, 1e-4, 3);
    Nd4j.getRandom().setSeed(3);
    List<DataSet> batches = new ArrayList<>();
    for (int i = 0; i < examples / batch; i++) {
      batches.add(new DataSet(Nd4j.randn(batch, spec.featureLength()), Nd4j.rand(batch, 1).gt(0.5).castTo(Nd4j.defaultFloatingPointType())));
    }
    int n = batches.size() * batch;
    MultiLayerNetwork plain = GliomaCnn.network(spec);
    plain.fit(new ListDataSetIterator<>(batches.subList(0, 1), batch));
    long t0 = System.nanoTime();
    plain.fit(new ListDataSetIterator<>(batches, batch));
    double plainRate = n / ((System.nanoTime() - t0) / 1e9);

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(context.spark().sparkContext());
    Settings tmSettings = s.with(ConfigKeys.CNN_BATCH_SIZE, String.valueOf(batch));
    JavaRDD<DataSet> rdd = jsc.parallelize(batches, jsc.defaultParallelism()).cache();
    rdd.count();
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, GliomaCnn.network(spec), new TrainingMasters(tmSettings).create(3, jsc));
    spark.fit(jsc.parallelize(batches.subList(0, Math.min(batches.size(), jsc.defaultParallelism())), jsc.defaultParallelism()));
    t0 = System.nanoTime();
    spark.fit(rdd);
    double sparkRate = n / ((System.nanoTime() - t0) / 1e9);
    rdd.unpersist();
    return new double[] {plainRate, sparkRate, n, batch};
  }

  /** Runs CnnStepProbe in a fresh JVM; {@code extension} null keeps the automatic choice. */
  private static Step probe(String shape, int batch, int steps, int warmup, String extension) throws IOException,
      InterruptedException {
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
    cmd.addAll(List.of(shape, String.valueOf(batch), String.valueOf(steps), String.valueOf(warmup)));
    return run(cmd);
  }

  private static Step python(String python, String shape, int batch, int steps, int threads) throws IOException,
      InterruptedException {
    Path script = Path.of("scripts", "bench_cnn_torch.py");
    if (!Files.isRegularFile(script)) {
      LOG.warn("bench cnn: {} not found (run from the project root); no PyTorch row", script);
      return null;
    }
    try {
      return run(List.of(python, script.toString(), shape, String.valueOf(batch), String.valueOf(steps), "1",
          String.valueOf(threads)));
    } catch (IOException e) {
      LOG.warn("bench cnn: PyTorch side failed ({}); pip install torch", e.getMessage());
      return null;
    }
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
      throw new IOException("step probe failed (" + String.join(" ", cmd.subList(cmd.size() - 4, cmd.size())) + "): " + tail);
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
