package org.gliomabench.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
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
 * given). Prints one line starting with "STEP" that {@link CnnBenchmark} parses.
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
    for (int i = 0; i < warmup; i++) {
      net.fit(ds);
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
