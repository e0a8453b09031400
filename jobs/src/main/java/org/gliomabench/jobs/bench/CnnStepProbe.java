package org.gliomabench.jobs.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.gliomabench.core.model.NativeBackend;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times training steps of the study's network in a fresh JVM (so each ND4J build and the peak memory are
 * measured on their own): {@code CnnStepProbe C,D,H,W BATCH STEPS WARMUP [LAYOUT]} (layout: ndhwc unless
 * given). Prints one line starting with "STEP" that {@link CnnBenchmark} parses. STEPS 0 is {@link LockStep}'s
 * mode: "ready SECONDS" after the warm-up, one step per "step" line read, a JSON object at the end.
 */
public final class CnnStepProbe {
  private CnnStepProbe() {}

  public static void main(String[] args) throws Exception {
    NativeBackend.configure();
    int[] shape = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    CnnLayout layout = args.length > 4 ? CnnLayout.parse(args[4]) : CnnLayout.NDHWC;
    CnnSpec spec = CnnSpec.of(shape, 1e-4, 1, layout);
    MultiLayerNetwork net = GliomaCnn.network(spec);
    Nd4j.getRandom().setSeed(1);
    DataSet ds = new DataSet(Nd4j.randn(batch, spec.featureLength()),
        Nd4j.createFromArray(new float[batch]).reshape(batch, 1).addi(1));
    double lastWarmUp = Double.NaN;
    for (int i = 0; i < warmup; i++) {
      long t0 = System.nanoTime();
      net.fit(ds);
      lastWarmUp = (System.nanoTime() - t0) / 1e9;
    }
    if (steps == 0) {
      lockStep(net, ds, lastWarmUp, layout);
      return;
    }
    double total = 0;
    double min = Double.MAX_VALUE;
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      net.fit(ds);
      double s = (System.nanoTime() - t0) / 1e9;
      total += s;
      min = Math.min(min, s);
    }
    System.out.printf(Locale.ROOT, "STEP backend=%s layout=%s seconds=%.4f min=%.4f peak_rss_mb=%d library=%s%n",
        NativeBackend.loadedBuild(), layout, total / steps, min, peakRssMb(), NativeBackend.loadedLibrary().orElse("?"));
  }

  private static void lockStep(MultiLayerNetwork net, DataSet ds, double lastWarmUp, CnnLayout layout) throws Exception {
    System.out.printf(Locale.ROOT, "ready %.6f%n", lastWarmUp);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && line.trim().equals("step"); ) {
      long t0 = System.nanoTime();
      net.fit(ds);
      System.out.printf(Locale.ROOT, "step %.6f %.6f%n", (System.nanoTime() - t0) / 1e9, net.score());
      System.out.flush();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("impl", "DL4J");
    r.put("backend", NativeBackend.loadedBuild());
    r.put("layout", layout.name());
    r.put("params", net.numParams());
    r.put("peak_rss_mb", peakRssMb());
    r.put("library", NativeBackend.loadedLibrary().orElse("?"));
    System.out.println(LockStep.JSON.writeValueAsString(r));
    System.out.flush();
  }

  /** VmHWM: the process's peak resident memory (JVM heap + ND4J off-heap + native libraries). */
  static long peakRssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
      }
    }
    return -1;
  }
}
