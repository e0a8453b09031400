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

  /** A 2D example built from just its slice's data equals the one cut from the whole tensor and mask. */
  @Test
  void aSliceReadAloneGivesTheSameRowsAsTheWholeVolume() {
    Random rnd = new Random(9);
    int[] shape = {4, 6, 10, 12};
    SegSpec spec = SegSpec.of(SegSpec.Dimensions.TWO_D, shape, 4, 2, SegLoss.DICE, 1e-3, 1);
    float[] tensor = new float[4 * 6 * 10 * 12];
    byte[] mask = new byte[6 * 10 * 12];
    int[] labels = {0, 1, 2, 4};
    for (int i = 0; i < tensor.length; i++) {
      tensor[i] = rnd.nextFloat();
    }
    for (int i = 0; i < mask.length; i++) {
      mask[i] = (byte) labels[rnd.nextInt(4)];
    }
    int hw = 10 * 12;
    for (int d = 0; d < 6; d++) {
      float[] slab = new float[4 * hw];
      for (int c = 0; c < 4; c++) {
        System.arraycopy(tensor, (c * 6 + d) * hw, slab, c * hw, hw);
      }
      byte[] maskSlice = java.util.Arrays.copyOfRange(mask, d * hw, (d + 1) * hw);
      float[] whole = new float[spec.featureLength()];
      float[] alone = new float[spec.featureLength()];
      SegTensors.features(tensor, spec, d, whole, 0);
      SegTensors.sliceFeatures(slab, spec, alone, 0);
      assertArrayEquals(whole, alone, "features of slice " + d);
      float[] wholeLabels = new float[spec.labelLength()];
      float[] aloneLabels = new float[spec.labelLength()];
      SegTensors.labels(mask, spec, d, wholeLabels, 0);
      SegTensors.sliceLabels(maskSlice, spec, aloneLabels, 0);
      assertArrayEquals(wholeLabels, aloneLabels, "labels of slice " + d);
    }
  }
}
