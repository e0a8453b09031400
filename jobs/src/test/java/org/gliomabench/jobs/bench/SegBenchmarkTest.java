package org.gliomabench.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

class SegBenchmarkTest {
  private static final Pattern DL4J_ROW = Pattern.compile("(?m)^  DL4J CPU\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)");
  private static final Pattern PARAMS = Pattern.compile("parameters: DL4J (\\d+), PyTorch (\\d+): (\\S+)");

  /** A tiny U-Net, one timed step on each side: the table holds the DL4J row and, with torch, equal parameters. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void tinyShapePrintsTheTable() throws Exception {
    Settings s = SettingsLoader.defaults().with(Map.of(ConfigKeys.BENCH_SEG_SHAPE, "4,8,16,16",
        ConfigKeys.BENCH_SEG_STEPS, "1", ConfigKeys.BENCH_SEG_BATCH, "1"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = SegBenchmark.run(s, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    Matcher row = DL4J_ROW.matcher(out);
    assertTrue(row.find(), out);
    assertTrue(Double.parseDouble(row.group(1)) > 0, out);
    assertTrue(Double.parseDouble(row.group(3)) > 0, out);
    assertTrue(Long.parseLong(row.group(4)) > 0, out);
    assertTrue(out.contains("  step 1/1: DL4J "), "progress lines: " + out);

    assumeTrue(torchAvailable(), "python3 without torch: the PyTorch row is SKIPPED");
    Matcher params = PARAMS.matcher(out);
    assertTrue(params.find(), out);
    // 4 -> 8 -> 16 filters, bottleneck 32, 3 region logits: 89,179 parameters.
    assertEquals("89179", params.group(1), out);
    assertEquals(params.group(1), params.group(2), out);
    assertEquals("match", params.group(3), out);
    assertTrue(out.contains("DL4J / PyTorch step time:"), out);
  }

  @Test
  void torchMissingIsSkippedNotACrash() throws Exception {
    SegBenchmark.Config c = SegBenchmark.config(SettingsLoader.defaults().with(ConfigKeys.BENCH_SEG_SHAPE, "4,8,16,16"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    SegBenchmark.Side dl4j = new SegBenchmark.Side("DL4J CPU", "nd4j-x", 2, 89179, 0.5, 0.4, 2, 300, 100, 150, 0.01, null);
    SegBenchmark.printTable(c, dl4j, SegBenchmark.Side.skipped("PyTorch CPU", "no torch; pip install torch"), Double.NaN,
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("PyTorch CPU  SKIPPED: no torch; pip install torch"), out);
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

  private static boolean torchAvailable() throws Exception {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import torch").redirectErrorStream(true)
          .redirectOutput(new File("/dev/null")).start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
