package org.gliomabench.jobs.seg;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SoftDiceLoss;
import org.gliomabench.core.seg.UNet;
import org.gliomabench.jobs.BenchCommand;
import org.gliomabench.jobs.cli.JobContext;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code bench seg}: one training step of the segmentation U-Net ({@link UNet}, 3D), DL4J on CPU against
 * the same network in PyTorch CPU ({@code scripts/bench_seg_torch.py}) at the same padded shape, batch,
 * loss (soft Dice + BCE over 3 sigmoid region channels) and optimiser (Adam), on random data. Each side
 * runs in its own fresh process (this class's {@link #main} is the DL4J probe), so peak memory is that of
 * one training process; both take one warm-up step and report the median of the timed steps.
 */
public final class SegBenchmark implements BenchCommand.Benchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PIP = "pip install torch";

  /** One side's result, from the JSON line its process prints; {@code skipped} set when it did not run. */
  record Side(String impl, String version, int threads, long params, double stepSeconds, double minSeconds,
      double examplesPerSecond, long peakRssMb, long heapPeakMb, long offHeapPeakMb, double lossSeconds,
      String skipped) {
    static Side skipped(String impl, String why) {
      return new Side(impl, "", 0, -1, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, Double.NaN, why);
    }

    static Side of(JsonNode j) {
      return new Side(j.path("impl").asText("?"), j.path("version").asText(""), j.path("threads").asInt(0),
          j.path("params").asLong(-1), j.path("step_s").asDouble(Double.NaN), j.path("min_s").asDouble(Double.NaN),
          j.path("examples_per_s").asDouble(Double.NaN), j.path("peak_rss_mb").asLong(-1),
          j.path("heap_peak_mb").asLong(-1), j.path("nonheap_peak_mb").asLong(-1),
          j.path("loss_s").asDouble(Double.NaN), null);
    }
  }

  /** What both sides build and time. */
  record Config(SegSpec spec, int batch, int steps, String python) {
    /** The padded grid C,D,H,W the network sees (what the PyTorch side is given). */
    String paddedShape() {
      return spec.channels() + "," + spec.paddedDepth() + "," + spec.paddedHeight() + "," + spec.paddedWidth();
    }

    String shape() {
      return spec.channels() + "x" + spec.depth() + "x" + spec.height() + "x" + spec.width();
    }
  }

  @Override
  public String summary() {
    return "U-Net training step DL4J vs PyTorch (same layers, loss, Adam, shape, batch): step time, examples/s, peak memory";
  }

  @Override
  public int run(JobContext context) throws Exception {
    return run(context.settings(), System.out);
  }

  static Config config(Settings s) {
    int[] shape = s.getInts(ConfigKeys.BENCH_SEG_SHAPE);
    // Empty bench.seg.filters/levels/loss: the study's U-Net (seg.* keys where this build has them).
    int filters = s.getInt(ConfigKeys.BENCH_SEG_FILTERS, s.getInt("seg.base.filters", 8));
    int levels = s.getInt(ConfigKeys.BENCH_SEG_LEVELS, s.getInt("seg.levels", 2));
    int batch = s.getInt(ConfigKeys.BENCH_SEG_BATCH, 2);
    int steps = s.getInt(ConfigKeys.BENCH_SEG_STEPS, 3);
    if (batch < 1 || steps < 1) {
      throw new ConfigException("bench.seg.batch and bench.seg.steps must be at least 1, got " + batch + ", " + steps);
    }
    SegLoss loss;
    SegSpec spec;
    try {
      loss = SegLoss.parse(s.get(ConfigKeys.BENCH_SEG_LOSS, s.get("seg.loss", "dice_bce")));
      spec = SegSpec.of(SegSpec.Dimensions.THREE_D, shape, filters, levels, loss, 1e-3, 1);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bench seg: " + e.getMessage());
    }
    return new Config(spec, batch, steps, s.get(ConfigKeys.BENCH_SEG_PYTHON, "python3"));
  }

  /** Runs both sides, prints progress and the table to {@code out}; returns the exit status. */
  static int run(Settings s, PrintStream out) throws Exception {
    Config c = config(s);
    SegSpec spec = c.spec();
    out.printf(Locale.ROOT, "bench seg: U-Net 3D, shape %s (padded %s), %d base filters, %d levels, loss %s, Adam, "
            + "batch %d, 1 warm-up + %d timed steps per side; %d cores (%s); this machine may be shared, so "
            + "timings are noisy.%n", c.shape(), c.paddedShape().replace(',', 'x'), spec.baseFilters(), spec.levels(),
        spec.loss().code(), c.batch(), c.steps(), Runtime.getRuntime().availableProcessors(), NativeBackend.configure());
    out.flush();

    out.println("bench seg: DL4J step (fresh JVM) ...");
    out.flush();
    Side dl4j;
    try {
      dl4j = runProcess(dl4jCommand(c), out, "DL4J");
    } catch (IOException e) {
      out.println("bench seg: the DL4J probe failed: " + e.getMessage());
      return 1;
    }

    out.println("bench seg: PyTorch step (" + c.python() + " scripts/bench_seg_torch.py) ...");
    out.flush();
    Side torch = torch(c, out);

    printTable(c, dl4j, torch, out);
    return 0;
  }

  private static Side torch(Config c, PrintStream out) throws InterruptedException {
    Path script = script();
    if (script == null) {
      return Side.skipped("PyTorch CPU", "scripts/bench_seg_torch.py not found (run from the project root)");
    }
    SegSpec spec = c.spec();
    List<String> cmd = List.of(c.python(), script.toString(), c.paddedShape(), String.valueOf(c.batch()),
        String.valueOf(c.steps()), "1", String.valueOf(spec.baseFilters()), String.valueOf(spec.levels()),
        String.valueOf(spec.loss().bceWeight()));
    try {
      return runProcess(cmd, out, "PyTorch");
    } catch (IOException e) {
      return Side.skipped("PyTorch CPU", e.getMessage().lines().findFirst().orElse("failed") + "; " + PIP);
    }
  }

  /** scripts/bench_seg_torch.py from the project root, or from a module folder (tests run in jobs/). */
  private static Path script() {
    for (Path p : List.of(Path.of("scripts", "bench_seg_torch.py"), Path.of("..", "scripts", "bench_seg_torch.py"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<String> dl4jCommand(Config c) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx3g");
    // ND4J's off-heap arrays are bounded by JavaCPP's maxbytes (default: the heap size).
    cmd.add("-Dorg.bytedeco.javacpp.maxbytes=16G");
    cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=20G");
    String extension = System.getProperty(NativeBackend.EXTENSION_PROPERTY);
    if (extension != null) {
      cmd.add("-D" + NativeBackend.EXTENSION_PROPERTY + "=" + extension);
    }
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SegBenchmark.class.getName());
    SegSpec spec = c.spec();
    cmd.addAll(List.of(spec.channels() + "," + spec.depth() + "," + spec.height() + "," + spec.width(),
        String.valueOf(c.batch()), String.valueOf(c.steps()), "1", String.valueOf(spec.baseFilters()),
        String.valueOf(spec.levels()), spec.loss().code()));
    return cmd;
  }

  /**
   * Runs one side: relays its "progress:" lines, parses the JSON object it prints last. A side that prints
   * {"skipped": ...} is returned as skipped; a failed process or one without a result throws.
   */
  private static Side runProcess(List<String> cmd, PrintStream out, String label) throws IOException,
      InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    JsonNode result = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String t = line.trim();
        if (t.startsWith("progress: ")) {
          out.println("  " + label + ": " + t.substring("progress: ".length()));
          out.flush();
        } else if (t.startsWith("{") && t.endsWith("}")) {
          try {
            result = JSON.readTree(t);
          } catch (IOException e) {
            tail.append(line).append('\n');
          }
        } else {
          tail.append(line).append('\n');
          if (tail.length() > 4000) {
            tail.delete(0, tail.length() - 4000);
          }
        }
      }
    }
    if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0 || result == null) {
      throw new IOException(label + " side failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + tail);
    }
    if (result.has("skipped")) {
      return Side.skipped(label + " CPU", result.get("skipped").asText());
    }
    return Side.of(result);
  }

  static void printTable(Config c, Side dl4j, Side torch, PrintStream out) {
    out.printf(Locale.ROOT, "%nU-Net training step, shape %s (padded %s), batch %d, %s + Adam, median of %d after "
            + "a warm-up step%n", c.shape(), c.paddedShape().replace(',', 'x'), c.batch(), c.spec().loss().function().name(),
        c.steps());
    out.printf("  %-12s %10s %10s %12s %12s %10s %12s %8s  %s%n", "impl", "step s", "min s", "examples/s",
        "peak RSS MB", "heap MB", "non-heap MB", "threads", "parameters / build");
    for (Side side : List.of(dl4j, torch)) {
      if (side.skipped() != null) {
        out.printf("  %-12s SKIPPED: %s%n", side.impl(), side.skipped());
        continue;
      }
      out.printf(Locale.ROOT, "  %-12s %10.3f %10.3f %12.3f %12d %10s %12s %8d  %d / %s%n", side.impl(),
          side.stepSeconds(), side.minSeconds(), side.examplesPerSecond(), side.peakRssMb(), mb(side.heapPeakMb()),
          mb(side.offHeapPeakMb()), side.threads(), side.params(), side.version());
    }
    if (!Double.isNaN(dl4j.lossSeconds())) {
      out.printf(Locale.ROOT, "  of the DL4J step: %.3f s in SoftDiceLoss (score + gradient, measured alone)%n",
          dl4j.lossSeconds());
    }
    if (torch.skipped() == null) {
      out.printf(Locale.ROOT, "  DL4J / PyTorch step time: %.2fx median, %.2fx best step   (target <= 1.2x)%n",
          dl4j.stepSeconds() / torch.stepSeconds(), dl4j.minSeconds() / torch.minSeconds());
      out.printf("  parameters: DL4J %d, PyTorch %d: %s%n", dl4j.params(), torch.params(),
          dl4j.params() == torch.params() ? "match" : "MISMATCH (the networks differ)");
    } else {
      out.printf("  parameters: DL4J %d, PyTorch SKIPPED; no ratio (%s)%n", dl4j.params(), PIP);
    }
    out.println("  peak RSS: the process's VmHWM / ru_maxrss (JVM heap + ND4J off-heap + native libraries). DL4J only: "
        + "heap = the heap pools' peak use; non-heap = peak of resident minus committed heap, sampled every 20 ms "
        + "(ND4J's native arrays and workspaces, libraries, metaspace).");
    out.flush();
  }

  private static String mb(long v) {
    return v < 0 ? "-" : String.valueOf(v);
  }

  // ---- the DL4J probe, in its own JVM -----------------------------------------------------------------

  /**
   * {@code SegBenchmark C,D,H,W BATCH STEPS WARMUP FILTERS LEVELS LOSS}: builds the U-Net, fits random
   * minibatches (features N(0,1), region labels Bernoulli(0.5)), prints "progress:" lines and one JSON line.
   */
  public static void main(String[] args) throws Exception {
    String decision = NativeBackend.configure();
    int[] shape = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, shape, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
        SegLoss.parse(args[6]), 1e-3, 1);
    AtomicLong offHeapPeak = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        offHeapPeak.accumulateAndGet(outsideHeapBytes(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "memory-sampler");
    sampler.setDaemon(true);
    sampler.start();

    ComputationGraph net = UNet.network(spec);
    Nd4j.getRandom().setSeed(1);
    INDArray features = Nd4j.randn(batch, spec.featureLength());
    INDArray labels = Nd4j.rand(batch, spec.labelLength()).lt(0.5).castTo(features.dataType());
    MultiDataSet ds = new MultiDataSet(features, labels);
    int threads = threads();
    progress(String.format(Locale.ROOT, "DL4J %s, %s, %d threads, U-Net %d parameters, batch %d", Nd4j.getBackend()
        .getClass().getSimpleName(), NativeBackend.loadedBuild(), threads, net.numParams(), batch));
    for (int i = 0; i < warmup; i++) {
      long t0 = System.nanoTime();
      net.fit(ds);
      progress(String.format(Locale.ROOT, "DL4J warm-up step %d: %.2f s", i + 1, (System.nanoTime() - t0) / 1e9));
    }
    double[] times = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      net.fit(ds);
      times[i] = (System.nanoTime() - t0) / 1e9;
      progress(String.format(Locale.ROOT, "DL4J step %d/%d: %.2f s (loss %.4f)", i + 1, steps, times[i], net.score()));
    }
    // The loss alone on arrays of the output's size: its share of the step.
    INDArray pre = Nd4j.randn(batch, spec.labelLength()).castTo(features.dataType());
    SoftDiceLoss loss = spec.loss().function();
    long t0 = System.nanoTime();
    loss.computeGradientAndScore(labels, pre, new ActivationSigmoid(), null, true);
    double lossSeconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    offHeapPeak.accumulateAndGet(outsideHeapBytes(), Math::max);

    double median = median(times);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("impl", "DL4J CPU");
    r.put("version", "nd4j-" + NativeBackend.loadedBuild());
    r.put("backend", decision);
    r.put("threads", threads);
    r.put("params", net.numParams());
    r.put("step_s", median);
    r.put("min_s", Arrays.stream(times).min().orElse(Double.NaN));
    r.put("steps_s", times);
    r.put("examples_per_s", batch / median);
    r.put("peak_rss_mb", peakRssMb());
    r.put("heap_peak_mb", heapPeakBytes() >> 20);
    r.put("nonheap_peak_mb", offHeapPeak.get() >> 20);
    r.put("loss_s", lossSeconds);
    System.out.println(JSON.writeValueAsString(r));
    System.out.flush();
    System.exit(0);
  }

  private static void progress(String msg) {
    System.out.println("progress: " + msg);
    System.out.flush();
  }

  private static int threads() {
    try {
      return Nd4j.getEnvironment().maxThreads();
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Resident bytes outside the JVM heap: the process's resident set less the committed heap. ND4J's CPU
   * buffers and workspaces are allocated natively (not through JavaCPP's counted Pointers), so this is
   * where they show: ND4J off-heap arrays + native libraries + JVM metaspace/code/threads.
   */
  private static long outsideHeapBytes() {
    return Math.max(0, Pointer.physicalBytes() - Runtime.getRuntime().totalMemory());
  }

  /** Sum of the heap pools' peak usage. */
  private static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** VmHWM: the process's peak resident memory (JVM heap + ND4J off-heap + native libraries). */
  private static long peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
      }
    }
    return -1;
  }
}
