package org.gliomabench.core.seg;

/**
 * BraTS labels (0 background, 1 necrotic / non-enhancing core, 2 oedema, 4 enhancing) as the three nested
 * evaluation regions, one bit each: whole tumour WT = {1, 2, 4} (bit 0), tumour core TC = {1, 4} (bit 1),
 * enhancing tumour ET = {4} (bit 2). Label 3 (BraTS 2013-2015) counts as 1, as ingest merges it.
 */
public final class Regions {
  private Regions() {}

  public static final int WT = 0;
  public static final int TC = 1;
  public static final int ET = 2;
  public static final String[] NAMES = {"WT", "TC", "ET"};

  /** The region bits of one BraTS label. */
  public static int bits(int label) {
    switch (label) {
      case 1: case 3: return 0b011;
      case 2: return 0b001;
      case 4: return 0b111;
      default: return 0;
    }
  }

  /** Region bits per voxel of a label mask. */
  public static byte[] bitsOf(byte[] labels) {
    byte[] out = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = (byte) bits(labels[i] & 0xff);
    }
    return out;
  }

  /** One region of a bit mask as booleans. */
  public static boolean[] region(byte[] bits, int region) {
    boolean[] out = new boolean[bits.length];
    int b = 1 << region;
    for (int i = 0; i < bits.length; i++) {
      out[i] = (bits[i] & b) != 0;
    }
    return out;
  }
}
