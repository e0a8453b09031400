package org.gliomabench.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchVariantsTest {
  private static LockStep.Timing timed(String label, double... seconds) {
    return new LockStep.Timing(label, seconds, null, null);
  }

  /** PyTorch's best is the fastest variant measured, named; skipped variants never win; ratios per round paired. */
  @Test
  void ratiosAgainstTheFastestMeasuredVariantAndTheDefault() {
    LockStep.Timing dl4j = timed("DL4J oneDNN NDHWC", 1.0, 1.2);
    List<LockStep.Timing> torch = List.of(timed("PyTorch ncdhw", 2.0, 2.0), timed("PyTorch channels_last_3d", 1.0, 1.5),
        new LockStep.Timing("PyTorch compile:channels_last_3d", new double[0], null, "compilation + warm-up exceeded"));
    assertEquals("PyTorch channels_last_3d", TorchVariants.best(torch, LockStep.Timing::mean).label());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TorchVariants.printRatios(dl4j, torch, LockStep.Timing::mean, "mean", new TorchVariants.Target(0.8, false),
        "compile note", "  ",
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    // mean 1.1 / 1.25; pairs 1.0/1.0 and 1.2/1.5 (median 0.90); best steps 1.0 / 1.0.
    assertTrue(out.contains("  DL4J oneDNN NDHWC / PyTorch best (channels_last_3d): 0.88x mean, 0.90x median of the "
        + "per-round pairs, 1.00x best step   (target <= 0.8x PyTorch's best)"), out);
    assertTrue(out.contains("  DL4J oneDNN NDHWC / PyTorch best eager (channels_last_3d): 0.88x mean, 0.90x median of "
        + "the per-round pairs, 1.00x best step\n"), out);
    assertTrue(out.contains("  DL4J oneDNN NDHWC / PyTorch default (ncdhw): 0.55x mean, 0.55x median of the per-round "
        + "pairs, 0.50x best step"), out);
    assertTrue(!out.contains("PyTorch compiled"), "the compiled side was stopped: no ratio to it\n" + out);
    assertTrue(out.contains("PyTorch's own variants, mean step time: channels_last_3d / ncdhw 0.63x"), out);
    assertTrue(out.contains("  compile note"), out);
  }

  /** With an eager-only target and a compiled side, the target sits on the best eager line; the compiled gets its own. */
  @Test
  void ratiosToBestEagerAndCompiledWithTheTargetOnItsLine() {
    LockStep.Timing dl4j = timed("DL4J CPU", 2.0, 2.0);
    List<LockStep.Timing> torch = List.of(timed("PyTorch ncdhw", 4.0, 4.0), timed("PyTorch channels_last_3d", 2.5, 2.5),
        timed("PyTorch compile:channels_last_3d", 1.0, 1.0));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TorchVariants.printRatios(dl4j, torch, LockStep.Timing::median, "median", new TorchVariants.Target(1.0, true),
        "note", "", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("DL4J CPU / PyTorch best (compile:channels_last_3d): 2.00x median, 2.00x median of the "
        + "per-round pairs, 2.00x best step\n"), out);
    assertTrue(out.contains("DL4J CPU / PyTorch best eager (channels_last_3d): 0.80x median, 0.80x median of the "
        + "per-round pairs, 0.80x best step   (target <= 1.0x PyTorch's best eager)"), out);
    assertTrue(out.contains("DL4J CPU / PyTorch compiled (compile:channels_last_3d): 2.00x median"), out);
    assertTrue(out.contains("DL4J CPU / PyTorch default (ncdhw): 0.50x median"), out);
  }

  /** A side that failed in a round leaves that round out of its statistics and of the pairs. */
  @Test
  void failedRoundsAreLeftOut() {
    LockStep.Timing a = timed("a", 1.0, 2.0, 3.0);
    LockStep.Timing b = timed("b", 2.0, Double.NaN, 3.0);
    assertEquals(2.5, b.mean(), 1e-12);
    assertEquals(2.5, b.median(), 1e-12);
    assertEquals(0.75, a.pairedRatio(b), 1e-12);
  }

  /** The compiled variant takes the eager variant with the shortest last warm-up step, of those that started. */
  @Test
  void compiledVariantIsTheFastestStartedEagerOne() {
    LockStep.Started none = new LockStep.Started(null, Double.NaN, Double.NaN, "no torch");
    // The choice reads the warm-up times only: no process is needed.
    LockStep.Started slow = new LockStep.Started(null, 1.1, 5, null);
    LockStep.Started fast = new LockStep.Started(null, 0.7, 5, null);
    LockStep.Started fastest = new LockStep.Started(null, 0.4, 5, null);
    LockStep.Started silent = new LockStep.Started(null, Double.NaN, 5, null);
    assertNull(TorchVariants.bestEager(eager(none, none, none)));
    assertEquals(TorchVariants.FUSED_ADAM, TorchVariants.bestEager(eager(slow, fast, fastest)));
    assertEquals(TorchVariants.CHANNELS_LAST, TorchVariants.bestEager(eager(slow, fast, none)));
    assertEquals(TorchVariants.DEFAULT, TorchVariants.bestEager(eager(fast, silent, slow)));
  }

  private static java.util.Map<String, LockStep.Started> eager(LockStep.Started... s) {
    java.util.Map<String, LockStep.Started> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < s.length; i++) {
      m.put(TorchVariants.EAGER.get(i), s[i]);
    }
    return m;
  }
}
