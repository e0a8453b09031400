package org.gliomabench.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bench seg on tiny shapes. The PyTorch parts run with the interpreter named by GLIOMA_BENCH_TEST_PYTHON
 * (default python3) and are skipped where it has no torch.
 */
class SegBenchmarkTest {
  private static final Pattern DL4J_ROW = Pattern.compile("(?m)^  DL4J CPU\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)");
  private static final Pattern PARAMS = Pattern.compile("parameters: DL4J (\\d+), PyTorch (\\S+): (\\S+)");
  private static final String PYTHON = System.getenv().getOrDefault("GLIOMA_BENCH_TEST_PYTHON", "python3");

  private static Settings tiny(Map<String, String> more) {
    Map<String, String> m = new java.util.HashMap<>(Map.of(ConfigKeys.BENCH_SEG_SHAPE, "4,8,16,16",
        ConfigKeys.BENCH_SEG_STEPS, "2", ConfigKeys.BENCH_SEG_BATCH, "1", ConfigKeys.BENCH_SEG_PYTHON, PYTHON));
    m.putAll(more);
    return SettingsLoader.defaults().with(m);
  }

  private static String run(Settings s) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = SegBenchmark.run(s, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    return out;
  }

  /**
   * A tiny U-Net, two alternating rounds: the table holds the DL4J row and, with torch, the three eager PyTorch
   * variants with the same parameter count, and the ratios against PyTorch's best and default.
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void tinyShapePrintsDl4jAndTheEagerPyTorchVariants() throws Exception {
    String out = run(tiny(Map.of(ConfigKeys.BENCH_TORCH_COMPILE, "false")));
    Matcher row = DL4J_ROW.matcher(out);
    assertTrue(row.find(), out);
    assertTrue(Double.parseDouble(row.group(1)) > 0, out);
    assertTrue(Double.parseDouble(row.group(3)) > 0, out);
    assertTrue(Long.parseLong(row.group(4)) > 0, out);
    assertTrue(out.contains("  round 2/2: DL4J CPU "), "progress lines: " + out);
    assertTrue(Pattern.compile("(?m)^  PyTorch compile\\s+SKIPPED: torch.compile not run \\(bench.torch.compile=false\\)")
        .matcher(out).find(), out);

    assumeTrue(torchAvailable(), PYTHON + " without torch: the PyTorch rows are SKIPPED");
    Matcher params = PARAMS.matcher(out);
    assertTrue(params.find(), out);
    // 4 -> 8 -> 16 filters, bottleneck 32, 3 region logits: 89,179 parameters.
    assertEquals("89179", params.group(1), out);
    assertEquals(params.group(1), params.group(2), out);
    assertEquals("match", params.group(3), out);
    for (String variant : List.of("ncdhw", "channels_last_3d", "channels_last_3d\\+fused_adam")) {
      assertTrue(Pattern.compile("(?m)^  PyTorch " + variant + "\\s+[0-9.]+\\s+[0-9.]+").matcher(out).find(), out);
    }
    assertTrue(Pattern.compile("DL4J CPU / PyTorch best eager \\((ncdhw|channels_last_3d|channels_last_3d\\+fused_adam)\\): "
        + "[0-9.]+x median, [0-9.]+x median of the per-round pairs, [0-9.]+x best step   "
        + "\\(target <= 1.0x PyTorch's best eager\\)").matcher(out).find(), out);
    assertTrue(out.contains("DL4J CPU / PyTorch default (ncdhw): "), out);
  }

  /** The compiled side must be ready within bench.torch.compile.timeout.s; past it, it is stopped and says so. */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void compiledSidePastItsCapIsStoppedAndReported() throws Exception {
    assumeTrue(torchAvailable(), PYTHON + " without torch: no compiled side to cap");
    String out = run(tiny(Map.of(ConfigKeys.BENCH_TORCH_COMPILE, "true", ConfigKeys.BENCH_TORCH_COMPILE_TIMEOUT_S, "1",
        ConfigKeys.BENCH_SEG_STEPS, "1")));
    assertTrue(Pattern.compile("(?m)^  PyTorch compile:\\S+\\s+SKIPPED: compilation \\+ warm-up "
        + "exceeded the 1 s cap \\(bench.torch.compile.timeout.s\\); stopped").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^  PyTorch channels_last_3d\\s+[0-9.]+").matcher(out).find(), out);
  }

  @Test
  void torchMissingIsSkippedNotACrash() throws Exception {
    SegBenchmark.Config c = SegBenchmark.config(SettingsLoader.defaults().with(ConfigKeys.BENCH_SEG_SHAPE, "4,8,16,16"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    LockStep.Timing dl4j = new LockStep.Timing("DL4J CPU", new double[] {0.5, 0.4}, LockStep.JSON.readTree(
        "{\"params\": 89179, \"peak_rss_mb\": 300, \"threads\": 2, \"version\": \"nd4j-x\"}"), null);
    List<LockStep.Timing> torch = List.of(
        new LockStep.Timing("PyTorch ncdhw", new double[0], null, "no torch; pip install torch"),
        new LockStep.Timing("PyTorch channels_last_3d", new double[0], null, "no torch; pip install torch"));
    SegBenchmark.printTable(c, dl4j, torch, "torch.compile not run: no eager PyTorch variant started",
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(Pattern.compile("(?m)^  PyTorch ncdhw\\s+SKIPPED: no torch; pip install torch$").matcher(out).find(), out);
    assertTrue(out.contains("PyTorch not measured (no torch; pip install torch): no ratio"), out);
    assertTrue(out.contains("parameters: DL4J 89179, PyTorch SKIPPED"), out);
  }

  @Test
  void defaultsAreTheStudyUNet() {
    SegBenchmark.Config c = SegBenchmark.config(SettingsLoader.defaults());
    assertEquals("4,96,128,128", c.paddedShape());
    assertEquals(2, c.batch());
    assertEquals(3, c.steps());
    assertEquals(8, c.spec().baseFilters());
    assertEquals(2, c.spec().levels());
    assertEquals("dice_bce", c.spec().loss().code());
    assertEquals("4x95x128x128", c.shape());
    org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> SegBenchmark.config(SettingsLoader.defaults().with(ConfigKeys.BENCH_SEG_LEVELS, "9")));
  }

  @Test
  void medianOfSteps() {
    assertEquals(2.0, SegBenchmark.median(new double[] {3, 1, 2}));
    assertEquals(2.5, SegBenchmark.median(new double[] {4, 1, 2, 3}));
  }

  @Test
  void timingsAreCalledNoisyOnlyWhenTheLoadPassedTheCores() {
    assertEquals("", SegBenchmark.loadNote(2, "0.56", "1.16"));
    assertTrue(SegBenchmark.loadNote(2, "1.60", "3.36").contains("noisy"));
    assertEquals("", SegBenchmark.loadNote(2, "?", "1.0"));
  }

  private static boolean torchAvailable() throws Exception {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true)
          .redirectOutput(new File("/dev/null")).start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
