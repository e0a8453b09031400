package org.gliomabench.jobs.seg;

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
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.jobs.BenchCommand;
import org.gliomabench.jobs.cli.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench seg}: one training step of the segmentation U-Net (the configured dimensions, filters and
 * levels) in DL4J (fresh JVM) against the same network in PyTorch CPU on the same padded shape and batch:
 * seconds per step, examples per second, peak resident memory, and the DL4J / PyTorch ratio.
 */
public final class SegBenchmark implements BenchCommand.Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SegBenchmark.class);

  /** A STEP line of SegStepProbe or bench_seg_torch.py. */
  record Step(String backend, double seconds, double min, long peakRssMb, String library) {}

  @Override
  public String summary() {
    return "U-Net step time DL4J vs PyTorch CPU, examples/s, peak memory";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    String dims = s.get(ConfigKeys.SEG_DIMENSIONS, "3d");
    String shape = s.get(ConfigKeys.BENCH_SEG_SHAPE, "4,95,128,128");
    int batch = s.getInt(ConfigKeys.BENCH_SEG_BATCH, 1);
    int steps = s.getInt(ConfigKeys.BENCH_SEG_STEPS, 2);
    String filters = s.get(ConfigKeys.SEG_BASE_FILTERS, "8");
    String levels = s.get(ConfigKeys.SEG_LEVELS, "2");
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf("bench seg on %d cores (%s); this machine may be shared, so timings are noisy.%n", threads,
        NativeBackend.configure());

    Map<String, Step> rows = new LinkedHashMap<>();
    LOG.info("bench seg: DL4J {} U-Net step, shape {} batch {}", dims, shape, batch);
    String[] padded = new String[1];
    Step dl4jStep = run(javaProbe(dims, shape, batch, steps, filters, levels), padded);
    rows.put("DL4J " + dl4jStep.backend(), dl4jStep);
    Step torch = null;
    Path script = Path.of("scripts", "bench_seg_torch.py");
    if (!Files.isRegularFile(script)) {
      LOG.warn("bench seg: {} not found (run from the project root); no PyTorch row", script);
    } else {
      LOG.info("bench seg: PyTorch step on the padded shape {}", padded[0]);
      try {
        torch = run(List.of(s.get(ConfigKeys.BENCH_CNN_PYTHON, "python3"), script.toString(), dims, padded[0],
            String.valueOf(batch), String.valueOf(steps), "1", String.valueOf(threads), filters, levels), null);
        rows.put("PyTorch CPU", torch);
      } catch (IOException e) {
        LOG.warn("bench seg: PyTorch side failed ({}); pip install torch", e.getMessage());
      }
    }
    System.out.printf("%n%s U-Net (%s filters, %s levels) training step, shape %s padded to %s, batch %d, Adam + soft "
            + "Dice + BCE (mean of %d after a warm-up)%n", dims, filters, levels, shape.replace(',', 'x'),
        padded[0].replace(',', 'x'), batch, steps);
    System.out.printf("   %-22s %10s %10s %12s %12s  %s%n", "implementation", "mean s", "min s", "examples/s",
        "peak RSS MB", "library");
    rows.forEach((k, v) -> System.out.printf(Locale.ROOT, "   %-22s %10.3f %10.3f %12.2f %12d  %s%n", k, v.seconds(),
        v.min(), batch / v.seconds(), v.peakRssMb(), v.library()));
    Step dl4j = rows.values().iterator().next();
    if (torch != null) {
      System.out.printf(Locale.ROOT, "   DL4J / PyTorch step time: %.2fx mean, %.2fx best step%n",
          dl4j.seconds() / torch.seconds(), dl4j.min() / torch.min());
    } else {
      System.out.println("   PyTorch not available (pip install torch): no ratio");
    }
    return 0;
  }

  private static List<String> javaProbe(String dims, String shape, int batch, int steps, String filters, String levels) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    // ND4J's off-heap arrays are bounded by JavaCPP's maxbytes (default: the heap size).
    cmd.add("-Dorg.bytedeco.javacpp.maxbytes=14G");
    cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=18G");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SegStepProbe.class.getName());
    cmd.addAll(List.of(dims, shape, String.valueOf(batch), String.valueOf(steps), "1", filters, levels));
    return cmd;
  }

  /** Runs a probe; {@code padded}, when given, receives the probe's PADDED line. */
  private static Step run(List<String> cmd, String[] padded) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    Step step = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("STEP ")) {
          step = parse(line);
        } else if (line.startsWith("PADDED ") && padded != null) {
          padded[0] = line.substring(7).trim();
        } else if (!line.contains("WARN")) {
          tail.append(line).append('\n');
          if (tail.length() > 4000) {
            tail.delete(0, tail.length() - 4000);
          }
        }
      }
    }
    if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0 || step == null) {
      throw new IOException("step probe failed (" + String.join(" ", cmd.subList(Math.max(0, cmd.size() - 7), cmd.size()))
          + "): " + tail);
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
