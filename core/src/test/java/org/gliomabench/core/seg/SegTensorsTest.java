package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SegTensorsTest {

  @Test
  void paddedLabelsThresholdBackToTheRegionBitsOfTheMaskIn3dAnd2d() {
    Random rnd = new Random(4);
    int[] shape = {4, 6, 10, 12};
    byte[] mask = new byte[6 * 10 * 12];
    int[] labels = {0, 1, 2, 4};
    for (int i = 0; i < mask.length; i++) {
      mask[i] = (byte) labels[rnd.nextInt(4)];
    }
    for (SegSpec.Dimensions dims : SegSpec.Dimensions.values()) {
      SegSpec spec = SegSpec.of(dims, shape, 4, 2, SegLoss.DICE, 1e-3, 1);
      byte[] bits = new byte[mask.length];
      for (int s = 0; s < spec.examplesPerPatient(); s++) {
        float[] l = new float[spec.labelLength()];
        SegTensors.labels(mask, spec, s, l, 0);
        SegTensors.toBits(l, 0, spec, s, bits);
      }
      assertArrayEquals(Regions.bitsOf(mask), bits, dims.code());
    }
  }

  @Test
  void featuresKeepChannelAndVoxelOrderAndPadWithZeros() {
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.THREE_D, new int[] {2, 3, 5, 6}, 4, 2, SegLoss.DICE, 1e-3, 1);
    float[] t = new float[2 * 3 * 5 * 6];
    for (int i = 0; i < t.length; i++) {
      t[i] = i + 1;
    }
    float[] f = new float[spec.featureLength()];
    SegTensors.features(t, spec, -1, f, 0);
    assertEquals(4 * 8 * 8, spec.exampleVoxels());
    // Channel 1, voxel (d=2, h=4, w=5) sits at c*Vp + d*Hp*Wp + h*Wp + w of the padded grid.
    assertEquals(t[1 * 90 + 2 * 30 + 4 * 6 + 5], f[256 + 2 * 64 + 4 * 8 + 5]);
    assertEquals(0f, f[3 * 64]);
    assertEquals(0f, f[6]);
    SegSpec two = SegSpec.of(SegSpec.Dimensions.TWO_D, new int[] {2, 3, 5, 6}, 4, 2, SegLoss.DICE, 1e-3, 1);
    float[] g = new float[two.featureLength()];
    SegTensors.features(t, two, 2, g, 0);
    assertEquals(t[1 * 90 + 2 * 30 + 4 * 6 + 5], g[64 + 4 * 8 + 5]);
  }
}
