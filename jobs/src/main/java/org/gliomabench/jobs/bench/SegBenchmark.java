package org.gliomabench.jobs.bench;

import java.io.BufferedReader;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SoftDiceLoss;
import org.gliomabench.core.seg.UNet;
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
 * loss (soft Dice + BCE over 3 sigmoid region channels) and optimiser (Adam), on random data; PyTorch in its
 * default layout, in channels_last_3d and compiled ({@link TorchVariants}). Each side runs in its own fresh
 * process (this class's {@link #main} is the DL4J probe), so peak memory is that of one training process. All
 * are started and take their warm-up steps; then the timed steps alternate between the processes, the order
 * rotating each round ({@link LockStep}), so that all meet the same machine load; each row is the median of
 * its side's timed steps.
 *
 * <p>The DL4J side is the study's U-Net ({@link UNet#configuration(SegSpec)} in {@code seg.layout}): its
 * convolutions, pooling and upsampling run through oneDNN directly (org.gliomabench.core.model.OneDnn*), the soft
 * Dice loss once per step; the README's Benchmarks section says where its step goes. DL4J's workspaces take their
 * sizes over the first steps, so every side warms up {@code bench.seg.warmup} steps before the timed rounds; the
 * table also prints the loss's share, timed alone.
 */
public final class SegBenchmark implements BenchCommand.Benchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PIP = "pip install torch";
  private static final String DL4J = "DL4J CPU";
  /** The U-Net's speed target (issue 22): DL4J's step no slower than PyTorch's best eager step. */
  private static final TorchVariants.Target TARGET = new TorchVariants.Target(1.0, true);
  /** The DL4J probe's heap (ND4J's arrays live outside it; the table prints its peak use). */
  private static final String PROBE_HEAP = "3g";

  /** What both sides build and time. */
  record Config(SegSpec spec, int batch, int steps, int warmup, String python) {
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
    // Empty bench.seg.* keys: the study's U-Net (seg.*).
    int filters = s.getInt(s.has(ConfigKeys.BENCH_SEG_FILTERS) ? ConfigKeys.BENCH_SEG_FILTERS : ConfigKeys.SEG_BASE_FILTERS);
    int levels = s.getInt(s.has(ConfigKeys.BENCH_SEG_LEVELS) ? ConfigKeys.BENCH_SEG_LEVELS : ConfigKeys.SEG_LEVELS);
    int batch = s.getInt(ConfigKeys.BENCH_SEG_BATCH);
    int steps = s.getInt(ConfigKeys.BENCH_SEG_STEPS);
    int warmup = s.getInt(ConfigKeys.BENCH_SEG_WARMUP);
    if (batch < 1 || steps < 1 || warmup < 1) {
      throw new ConfigException("bench.seg.batch, bench.seg.steps and bench.seg.warmup must be at least 1, got " + batch
          + ", " + steps + ", " + warmup);
    }
    SegLoss loss;
    SegSpec spec;
    try {
      loss = SegLoss.parse(s.get(s.has(ConfigKeys.BENCH_SEG_LOSS) ? ConfigKeys.BENCH_SEG_LOSS : ConfigKeys.SEG_LOSS));
      spec = SegSpec.of(SegSpec.Dimensions.THREE_D, shape, filters, levels, loss, 1e-3, 1,
          CnnLayout.parse(s.get(ConfigKeys.SEG_LAYOUT)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bench seg: " + e.getMessage());
    }
    return new Config(spec, batch, steps, warmup, s.get(ConfigKeys.BENCH_SEG_PYTHON));
  }

  /** Runs DL4J and the PyTorch variants, prints progress and the table to {@code out}; returns the exit status. */
  static int run(Settings s, PrintStream out) throws Exception {
    Config c = config(s);
    SegSpec spec = c.spec();
    int threads = Runtime.getRuntime().availableProcessors();
    String loadBefore = loadAverage();
    out.printf(Locale.ROOT, "bench seg: U-Net 3D, shape %s (padded %s), %d base filters, %d levels, loss %s, Adam, "
            + "DL4J layout %s, batch %d, %d warm-up + %d timed steps per side, DL4J and the PyTorch variants (%s, torch.compile) "
            + "alternating step by step; %d cores (%s); this machine may be shared, so timings are noisy.%n", c.shape(),
        c.paddedShape().replace(',', 'x'), spec.baseFilters(), spec.levels(), spec.loss().code(), spec.layout(),
        c.batch(), c.warmup(), c.steps(),
        String.join(", ", TorchVariants.EAGER), threads, NativeBackend.configure());
    boolean compile = TorchVariants.compileEnabled(s);
    long cap = TorchVariants.compileCap(s);
    out.println("bench seg: starting the DL4J side (fresh JVM: build the U-Net, " + c.warmup() + " warm-up steps) ...");
    out.flush();
    LockStep.Started dl4jStart = LockStep.start(DL4J, dl4jCommand(c), Map.of(), LockStep.STEP_TIMEOUT_S, out);
    if (dl4jStart.side() == null) {
      out.println("bench seg: the DL4J probe failed: " + dl4jStart.skipped());
      return 1;
    }
    Path script = script();
    try (LockStep.Side dl4jSide = dl4jStart.side();
        TorchVariants torch = TorchVariants.start(v -> script == null ? null : torchCommand(c, script, threads, v),
            "scripts/bench_seg_torch.py not found (run from the project root)", compile, cap, out)) {
      List<LockStep.Side> sides = new ArrayList<>();
      sides.add(dl4jSide);
      sides.addAll(torch.sides());
      List<LockStep.Timing> timed = LockStep.rounds(sides, c.steps(), out);
      printTable(c, timed.get(0), torch.rows(timed.subList(1, timed.size())), torch.compileNote, out);
    } catch (IOException e) {
      out.println("bench seg: " + e.getMessage());
      return 1;
    }
    String loadAfter = loadAverage();
    out.printf("  1-minute load average before / after: %s / %s on %d cores%s%n", loadBefore, loadAfter, threads,
        loadNote(threads, loadBefore, loadAfter));
    out.flush();
    return 0;
  }

  private static List<String> torchCommand(Config c, Path script, int threads, String variant) {
    SegSpec spec = c.spec();
    return List.of(c.python(), script.toString(), c.paddedShape(), String.valueOf(c.batch()), "0",
        String.valueOf(c.warmup()),
        String.valueOf(spec.baseFilters()), String.valueOf(spec.levels()), String.valueOf(spec.loss().bceWeight()),
        String.valueOf(threads), variant);
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
    cmd.add("-Xmx" + PROBE_HEAP);
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
        String.valueOf(c.batch()), "0", String.valueOf(c.warmup()), String.valueOf(spec.baseFilters()),
        String.valueOf(spec.levels()), spec.loss().code(), spec.layout().name()));
    return cmd;
  }

  /**
   * The table: DL4J's row and the PyTorch variants' (step s: the median of the timed steps), the ratios
   * ({@link TorchVariants#printRatios}) and the parameter check.
   */
  static void printTable(Config c, LockStep.Timing dl4j, List<LockStep.Timing> torch, String compileNote, PrintStream out) {
    out.printf(Locale.ROOT, "%nU-Net training step, shape %s (padded %s), batch %d, %s + Adam, DL4J in %s, median of "
            + "%d after %d warm-up steps, each side in its own process, steps alternating%n", c.shape(),
        c.paddedShape().replace(',', 'x'), c.batch(), c.spec().loss().function().name(), c.spec().layout(), c.steps(),
        c.warmup());
    out.printf("  %-43s %8s %8s %11s %12s %8s %12s %8s  %s%n", "impl", "step s", "min s", "examples/s",
        "peak RSS MB", "heap MB", "non-heap MB", "threads", "parameters / build");
    List<LockStep.Timing> rows = new ArrayList<>();
    rows.add(dl4j);
    rows.addAll(torch);
    for (LockStep.Timing t : rows) {
      if (t.skipped() != null) {
        out.printf("  %-43s SKIPPED: %s%n", t.label(), t.skipped());
        continue;
      }
      JsonNode j = t.result();
      out.printf(Locale.ROOT, "  %-43s %8.3f %8.3f %11.3f %12d %8s %12s %8d  %d / %s%s%n", t.label(), t.median(),
          t.min(), c.batch() / t.median(), j.path("peak_rss_mb").asLong(-1), mb(j.path("heap_peak_mb").asLong(-1)),
          mb(j.path("nonheap_peak_mb").asLong(-1)), j.path("threads").asInt(0), j.path("params").asLong(-1),
          j.path("version").asText(""), TorchVariants.compileTime(j));
    }
    double lossSeconds = dl4j.result() == null ? Double.NaN : dl4j.result().path("loss_s").asDouble(Double.NaN);
    if (!Double.isNaN(lossSeconds)) {
      out.printf(Locale.ROOT, "  of the DL4J step: %.3f s in SoftDiceLoss (score + gradient, measured alone)%n", lossSeconds);
    }
    TorchVariants.printRatios(dl4j, torch, LockStep.Timing::median, "median", TARGET, compileNote, "  ", out);
    long dl4jParams = dl4j.result() == null ? -1 : dl4j.result().path("params").asLong(-1);
    List<Long> torchParams = torch.stream().filter(t -> t.skipped() == null).map(t -> t.result().path("params").asLong(-1))
        .distinct().toList();
    if (torchParams.isEmpty()) {
      out.printf("  parameters: DL4J %d, PyTorch SKIPPED (%s)%n", dl4jParams, PIP);
    } else {
      out.printf("  parameters: DL4J %d, PyTorch %s: %s%n", dl4jParams,
          torchParams.stream().map(String::valueOf).collect(Collectors.joining(" / ")),
          torchParams.equals(List.of(dl4jParams)) ? "match" : "MISMATCH (the networks differ)");
    }
    out.println("  peak RSS: each process's VmHWM / ru_maxrss (JVM heap + ND4J off-heap + native libraries). DL4J only: "
        + "heap = the heap pools' peak use (-Xmx" + PROBE_HEAP + ", garbage included); non-heap = peak of resident minus "
        + "committed heap, sampled every 20 ms (ND4J's native arrays and workspaces, libraries, metaspace).");
    out.flush();
  }

  /** The first field of /proc/loadavg, or "?". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Says the timings are noisy when a load average passed the core count; empty otherwise. */
  static String loadNote(int cores, String... loads) {
    for (String l : loads) {
      try {
        if (Double.parseDouble(l) > cores) {
          return " (above the core count: other work competed for the CPU and the timings are noisy)";
        }
      } catch (NumberFormatException e) {
        // "?": unknown
      }
    }
    return "";
  }

  private static String mb(long v) {
    return v < 0 ? "-" : String.valueOf(v);
  }

  // ---- the DL4J probe, in its own JVM -----------------------------------------------------------------

  /**
   * {@code SegBenchmark C,D,H,W BATCH STEPS WARMUP FILTERS LEVELS LOSS [LAYOUT]}: builds the U-Net, fits random
   * minibatches (features N(0,1), region labels Bernoulli(0.5)), prints "progress:" lines and one JSON line.
   * STEPS 0: lock-step mode, as scripts/bench_seg_torch.py ("ready", then a step per "step" line).
   */
  public static void main(String[] args) throws Exception {
    String decision = NativeBackend.configure();
    int[] shape = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, shape, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
        SegLoss.parse(args[6]), 1e-3, 1, args.length > 7 ? CnnLayout.parse(args[7]) : CnnLayout.NDHWC);
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
    progress(String.format(Locale.ROOT, "DL4J %s, %s, %d threads, U-Net %d parameters, layout %s, batch %d",
        Nd4j.getBackend().getClass().getSimpleName(), NativeBackend.loadedBuild(), threads, net.numParams(),
        spec.layout(), batch));
    double lastWarmUp = Double.NaN;
    for (int i = 0; i < warmup; i++) {
      long t0 = System.nanoTime();
      net.fit(ds);
      lastWarmUp = (System.nanoTime() - t0) / 1e9;
      progress(String.format(Locale.ROOT, "DL4J warm-up step %d: %.2f s", i + 1, lastWarmUp));
    }
    double[] times;
    if (steps > 0) {
      times = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        net.fit(ds);
        times[i] = (System.nanoTime() - t0) / 1e9;
        progress(String.format(Locale.ROOT, "DL4J step %d/%d: %.2f s (loss %.4f)", i + 1, steps, times[i], net.score()));
      }
    } else {
      // Lock-step mode (SegBenchmark.run): one step per "step" line on stdin, until "done" or end of input.
      System.out.printf(Locale.ROOT, "ready %.6f%n", lastWarmUp);
      System.out.flush();
      List<Double> timed = new ArrayList<>();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null && line.trim().equals("step"); ) {
        long t0 = System.nanoTime();
        net.fit(ds);
        timed.add((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "step %.6f %.6f%n", timed.get(timed.size() - 1), net.score());
        System.out.flush();
      }
      if (timed.isEmpty()) {
        System.out.println("{\"skipped\": \"no step was asked for\"}");
        System.exit(0);
      }
      times = timed.stream().mapToDouble(Double::doubleValue).toArray();
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
