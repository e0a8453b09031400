package org.gliomabench.jobs.seg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.core.seg.SegLoss;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times training steps of the segmentation U-Net in a fresh JVM (so the peak memory is the step's own):
 * {@code SegStepProbe 3d|2d C,D,H,W BATCH STEPS WARMUP FILTERS LEVELS}. Prints one "STEP" line that
 * {@link SegBenchmark} parses, plus "PADDED C,D,H,W" (the grid the network sees) for the PyTorch side.
 */
public final class SegStepProbe {
  private SegStepProbe() {}

  public static void main(String[] args) throws Exception {
    NativeBackend.configure();
    SegSpec.Dimensions dims = SegSpec.Dimensions.parse(args[0]);
    int[] shape = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    SegSpec spec = SegSpec.of(dims, shape, Integer.parseInt(args[5]), Integer.parseInt(args[6]), SegLoss.DICE_BCE,
        1e-3, 1);
    System.out.printf("PADDED %d,%d,%d,%d%n", spec.channels(), spec.paddedDepth(), spec.paddedHeight(), spec.paddedWidth());
    ComputationGraph net = UNet.network(spec);
    Nd4j.getRandom().setSeed(1);
    DataSet ds = new DataSet(Nd4j.randn(DataType.FLOAT, batch, spec.featureLength()),
        Nd4j.rand(DataType.FLOAT, batch, spec.labelLength()).gt(0.9).castTo(DataType.FLOAT));
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
    System.out.printf(Locale.ROOT, "STEP backend=%s seconds=%.4f min=%.4f peak_rss_mb=%d library=%s%n",
        NativeBackend.loadedBuild(), total / steps, min, peakRssMb(), NativeBackend.loadedLibrary().orElse("?"));
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
