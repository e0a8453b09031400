package org.gliomabench.jobs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The PyTorch variants that bench cnn and bench seg time beside DL4J, each in its own process
 * (scripts/bench_common_torch.py): PyTorch's default (NCDHW, torch.optim.Adam's default implementation),
 * {@code channels_last_3d}, {@code channels_last_3d} with {@code Adam(fused=True)} (same algorithm, one kernel per
 * parameter: at the CNN's 48 M parameters the default for-loop Adam is a third of PyTorch's step), and
 * {@code torch.compile} of whichever eager variant took the shortest last warm-up step. The compiled side must be
 * ready (start, compilation, warm-up) within {@code bench.torch.compile.timeout.s} or it is stopped and its row
 * says so. Inductor's cache is a fresh temporary folder, deleted at close, so the compile time shown is a cold one.
 */
final class TorchVariants implements AutoCloseable {
  static final String DEFAULT = "ncdhw";
  static final String CHANNELS_LAST = "channels_last_3d";
  static final String FUSED_ADAM = "channels_last_3d+fused_adam";
  static final List<String> EAGER = List.of(DEFAULT, CHANNELS_LAST, FUSED_ADAM);

  /** A benchmark's speed target: DL4J's step at most {@code max} times PyTorch's best, or best eager, variant. */
  record Target(double max, boolean eagerOnly) {
    String text() {
      return String.format(Locale.ROOT, "(target <= %.1fx PyTorch's best%s)", max, eagerOnly ? " eager" : "");
    }
  }

  /** The variants in row order: label, and the started side or why it is not there. */
  final Map<String, LockStep.Started> started = new LinkedHashMap<>();
  /** How the compiled variant's layout was chosen, or why there is none. */
  String compileNote = "";
  final long compileCapSeconds;
  private final Path cache;

  private TorchVariants(long compileCapSeconds, Path cache) {
    this.compileCapSeconds = compileCapSeconds;
    this.cache = cache;
  }

  /** bench.torch.compile (its default is in conf/glioma-bench.properties). */
  static boolean compileEnabled(Settings s) {
    return s.getBoolean(ConfigKeys.BENCH_TORCH_COMPILE);
  }

  /** bench.torch.compile.timeout.s, at least 1. */
  static long compileCap(Settings s) {
    long cap = s.getLong(ConfigKeys.BENCH_TORCH_COMPILE_TIMEOUT_S);
    if (cap < 1) {
      throw new ConfigException(ConfigKeys.BENCH_TORCH_COMPILE_TIMEOUT_S + " must be at least 1 second, got " + cap);
    }
    return cap;
  }

  static String label(String variant) {
    return "PyTorch " + variant;
  }

  /**
   * Starts the eager variants, then (if {@code compile}) the compiled one; {@code command} gives a variant's
   * command line, or null when the PyTorch script is missing ({@code missing} says why).
   */
  static TorchVariants start(Function<String, List<String>> command, String missing, boolean compile,
      long compileCapSeconds, PrintStream out) throws IOException {
    TorchVariants v = new TorchVariants(compileCapSeconds, Files.createTempDirectory("glioma-bench-inductor-"));
    Map<String, String> env = Map.of("TORCHINDUCTOR_CACHE_DIR", v.cache.toString());
    String absent = null; // why the default variant did not start: the others would say the same
    for (String variant : EAGER) {
      List<String> cmd = command.apply(variant);
      if (cmd == null || absent != null) {
        v.started.put(label(variant), skipped(cmd == null ? missing : absent));
        continue;
      }
      out.println("bench: starting " + label(variant) + " (" + String.join(" ", cmd.subList(0, 2)) + ", warm-up) ...");
      out.flush();
      LockStep.Started s = LockStep.start(label(variant), cmd, env, LockStep.STEP_TIMEOUT_S, out);
      v.started.put(label(variant), s);
      if (s.skipped() != null && variant.equals(DEFAULT)) {
        absent = s.skipped();
      }
    }
    Map<String, LockStep.Started> eager = new LinkedHashMap<>();
    EAGER.forEach(e -> eager.put(e, v.started.get(label(e))));
    String best = bestEager(eager);
    if (!compile || best == null) {
      v.compileNote = !compile ? "torch.compile not run (bench.torch.compile=false)"
          : "torch.compile not run: no eager PyTorch variant started";
      v.started.put(label("compile"), skipped(v.compileNote));
    } else {
      String variant = "compile:" + best;
      v.compileNote = String.format(Locale.ROOT, "torch.compile (inductor, default mode) of %s, the shortest last "
              + "warm-up step (%s); ready within the %d s cap or stopped", best,
          String.join(", ", eager.entrySet().stream().filter(e -> e.getValue().skipped() == null)
              .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue().warmUpSeconds())).toList()),
          compileCapSeconds);
      out.println("bench: starting " + label(variant) + " (compilation and warm-up, cap " + compileCapSeconds
          + " s: bench.torch.compile.timeout.s) ...");
      out.flush();
      LockStep.Started s = LockStep.start(label(variant), command.apply(variant), env, compileCapSeconds, out);
      if (s.skipped() != null && s.skipped().startsWith("not ready within")) {
        s = skipped("compilation + warm-up exceeded the " + compileCapSeconds + " s cap (bench.torch.compile.timeout.s); "
            + "stopped");
      }
      v.started.put(label(variant), s);
    }
    return v;
  }

  private static LockStep.Started skipped(String why) {
    return new LockStep.Started(null, Double.NaN, Double.NaN, why);
  }

  /**
   * The started eager variant with the shortest last warm-up step (one that did not say counts as slowest);
   * null if none started.
   */
  static String bestEager(Map<String, LockStep.Started> eager) {
    return eager.entrySet().stream().filter(e -> e.getValue() != null && e.getValue().skipped() == null)
        .min(Comparator.comparingDouble(e -> Double.isNaN(e.getValue().warmUpSeconds())
            ? Double.MAX_VALUE : e.getValue().warmUpSeconds()))
        .map(Map.Entry::getKey).orElse(null);
  }

  /** The started sides, in row order. */
  List<LockStep.Side> sides() {
    return started.values().stream().filter(s -> s.side() != null).map(LockStep.Started::side).toList();
  }

  /** The rows of all variants: the timed ones from {@code timings}, the others as skipped. */
  List<LockStep.Timing> rows(List<LockStep.Timing> timings) {
    List<LockStep.Timing> rows = new ArrayList<>();
    started.forEach((label, s) -> rows.add(timings.stream().filter(t -> t.label().equals(label)).findFirst()
        .orElse(new LockStep.Timing(label, new double[0], null, s.skipped()))));
    return rows;
  }

  /** The fastest measured variant by {@code stat}, or null. */
  static LockStep.Timing best(List<LockStep.Timing> torch, ToDoubleFunction<LockStep.Timing> stat) {
    return torch.stream().filter(t -> t.skipped() == null && !Double.isNaN(stat.applyAsDouble(t)))
        .min(Comparator.comparingDouble(stat)).orElse(null);
  }

  /** "compile 71.3 s" for the compiled variant's result, else "". */
  static String compileTime(JsonNode result) {
    return result != null && result.path("compiled").asBoolean(false) && result.hasNonNull("compile_s")
        ? String.format(Locale.ROOT, ", first step with compilation %.1f s", result.get("compile_s").asDouble()) : "";
  }

  /**
   * The ratio lines: DL4J against PyTorch's best, its best eager variant, the compiled one and its default (the
   * target on the line it is about), then what channels_last_3d and compilation did for PyTorch, and how the
   * compiled variant was chosen. {@code stat} is the benchmark's statistic (named {@code statName}).
   */
  static void printRatios(LockStep.Timing dl4j, List<LockStep.Timing> torch, ToDoubleFunction<LockStep.Timing> stat,
      String statName, Target target, String compileNote, String indent, PrintStream out) {
    LockStep.Timing best = best(torch, stat);
    if (best == null) {
      String why = torch.isEmpty() ? "not run" : torch.get(0).skipped();
      out.printf("%sPyTorch not measured (%s): no ratio%n", indent, why);
      out.printf("%s%s%n", indent, compileNote);
      return;
    }
    ratio(dl4j, "best", best, stat, statName, target.eagerOnly() ? "" : target.text(), indent, out);
    LockStep.Timing bestEager = best(torch.stream().filter(t -> !t.label().startsWith(label("compile"))).toList(), stat);
    if (bestEager != null) {
      ratio(dl4j, "best eager", bestEager, stat, statName, target.eagerOnly() ? target.text() : "", indent, out);
    }
    torch.stream().filter(t -> t.label().startsWith(label("compile")) && t.skipped() == null).findFirst()
        .ifPresent(c -> ratio(dl4j, "compiled", c, stat, statName, "", indent, out));
    LockStep.Timing def = torch.stream().filter(t -> t.label().equals(label(DEFAULT)) && t.skipped() == null)
        .findFirst().orElse(null);
    if (def != null) {
      ratio(dl4j, "default", def, stat, statName, "", indent, out);
    } else {
      out.printf("%sPyTorch default (%s) not measured: no ratio%n", indent, DEFAULT);
    }
    List<String> within = new ArrayList<>();
    for (LockStep.Timing t : torch) {
      if (t.skipped() != null || def == null || t == def) {
        continue;
      }
      within.add(String.format(Locale.ROOT, "%s / %s %.2fx", t.label().substring("PyTorch ".length()), DEFAULT,
          stat.applyAsDouble(t) / stat.applyAsDouble(def)));
    }
    if (!within.isEmpty()) {
      out.printf("%sPyTorch's own variants, %s step time: %s%n", indent, statName, String.join(", ", within));
    }
    out.printf("%s%s%n", indent, compileNote);
  }

  /** "DL4J / PyTorch KIND (variant): ratios", then {@code suffix} (a target) when not empty. */
  private static void ratio(LockStep.Timing dl4j, String kind, LockStep.Timing t, ToDoubleFunction<LockStep.Timing> stat,
      String statName, String suffix, String indent, PrintStream out) {
    out.printf(Locale.ROOT, "%s%s / PyTorch %s (%s): %.2fx %s, %.2fx median of the per-round pairs, %.2fx best step%s%n",
        indent, dl4j.label(), kind, t.label().substring("PyTorch ".length()), stat.applyAsDouble(dl4j) / stat.applyAsDouble(t),
        statName, dl4j.pairedRatio(t), dl4j.min() / t.min(), suffix.isEmpty() ? "" : "   " + suffix);
  }

  @Override
  public void close() {
    started.values().stream().filter(s -> s.side() != null).forEach(s -> s.side().close());
    try (Stream<Path> files = Files.walk(cache)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
