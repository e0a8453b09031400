package org.gliomabench.jobs.cnn;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnLayout;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CUDA profile's checks on one GPU node, outside Spark (scripts/gpu/check-gpu-node.sh runs it with the
 * {@code -Pcuda,cluster} jar): each GPU's verdict from {@link CudaCompatibility}, then, where the build can run
 * them, ND4J's backend and the seconds of a few CNN training steps. Exit status 0 all GPUs usable, 3 some refused,
 * 4 none found, 1 the steps failed.
 */
public final class CudaNodeCheck {
  private CudaNodeCheck() {}

  public static void main(String[] args) {
    List<CudaCompatibility.Gpu> gpus = CudaCompatibility.query();
    if (gpus.isEmpty()) {
      System.out.println("cuda-check: nvidia-smi lists no GPU on this node");
      System.exit(4);
    }
    int refused = 0;
    for (CudaCompatibility.Gpu g : gpus) {
      String why = CudaCompatibility.refusal(g);
      System.out.println("cuda-check: GPU " + g.index() + " " + g.name() + " (compute capability " + g.capability()
          + "): " + (why == null ? "runnable by nd4j-cuda-11.6 1.0.0-M2.1" : "REFUSED: " + why));
      refused += why == null ? 0 : 1;
    }
    if (refused == gpus.size()) {
      System.exit(3);
    }
    if (!CudaCompatibility.cudaBuild()) {
      System.out.println("cuda-check: this jar is the CPU build; package with mvn -B -Pcuda,cluster -DskipTests package");
      System.exit(1);
    }
    try {
      System.out.println("cuda-check: ND4J backend " + Nd4j.getBackend().getClass().getSimpleName());
      int[] shape = args.length == 4 ? new int[] {Integer.parseInt(args[0]), Integer.parseInt(args[1]),
          Integer.parseInt(args[2]), Integer.parseInt(args[3])} : new int[] {4, 95, 128, 128};
      for (CnnLayout layout : CnnLayout.values()) {
        MultiLayerNetwork net = GliomaCnn.network(CnnSpec.of(shape, 1e-4, 1, layout));
        long len = (long) shape[0] * shape[1] * shape[2] * shape[3];
        DataSet batch = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, len),
            Nd4j.createFromArray(new float[][] {{0}, {1}}));
        net.fit(batch);
        long t0 = System.nanoTime();
        int steps = 5;
        for (int i = 0; i < steps; i++) {
          net.fit(batch);
        }
        Nd4j.getExecutioner().commit();
        System.out.printf("cuda-check: %s step at %s, batch 2: %.3f s%n", layout, java.util.Arrays.toString(shape),
            (System.nanoTime() - t0) / 1e9 / steps);
      }
    } catch (RuntimeException | LinkageError e) {
      System.out.println("cuda-check: the training steps failed: " + e);
      System.exit(1);
    }
    System.exit(refused > 0 ? 3 : 0);
  }
}
