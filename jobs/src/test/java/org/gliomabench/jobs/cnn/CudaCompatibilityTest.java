package org.gliomabench.jobs.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CUDA 11.6 build runs Kepler K80 to Ampere/Ada and refuses Hopper, Blackwell and older Keplers by name. */
class CudaCompatibilityTest {
  private static final List<String> SMI = List.of(
      "0, NVIDIA H200, 9.0", "1, NVIDIA A100-SXM4-80GB, 8.0", "2, NVIDIA L4, 8.9", "3, Tesla K80, 3.7",
      "4, Tesla K40m, 3.5", "5, NVIDIA B200, 10.0", "6, NVIDIA GeForce RTX 3090, 8.6", "7, Tesla V100-SXM2-16GB, 7.0");

  @Test
  void readsNvidiaSmisCsv() {
    List<CudaCompatibility.Gpu> gpus = CudaCompatibility.parse(SMI);
    assertEquals(8, gpus.size());
    assertEquals(new CudaCompatibility.Gpu("0", "NVIDIA H200", 9, 0), gpus.get(0));
    assertEquals(new CudaCompatibility.Gpu("5", "NVIDIA B200", 10, 0), gpus.get(5));
  }

  @Test
  void runsKeplerK80ToAdaAndRefusesTheRest() {
    List<CudaCompatibility.Gpu> gpus = CudaCompatibility.parse(SMI);
    for (int i : new int[] {1, 2, 3, 6, 7}) {
      assertNull(CudaCompatibility.refusal(gpus.get(i)), gpus.get(i).name());
    }
    for (int i : new int[] {0, 4, 5}) {
      String why = CudaCompatibility.refusal(gpus.get(i));
      assertNotNull(why, gpus.get(i).name());
      assertTrue(why.contains(gpus.get(i).name()) && why.contains("compute capability " + gpus.get(i).capability())
          && why.contains("CPU executors"), why);
    }
  }

  @Test
  void onlyTheGpusSparkAssignedAreJudged() {
    List<CudaCompatibility.Gpu> node = CudaCompatibility.parse(SMI);
    assertNull(Nd4jBackendPlugin.refusal(List.of("1", "2"), node));
    assertTrue(Nd4jBackendPlugin.refusal(List.of("1", "0"), node).contains("H200"));
    assertNull(Nd4jBackendPlugin.refusal(List.of("0"), List.of()), "nothing to check without nvidia-smi");
  }
}
