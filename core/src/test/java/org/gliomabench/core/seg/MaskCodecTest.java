package org.gliomabench.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class MaskCodecTest {
  private static final int BRATS = 240 * 240 * 155;

  @Test
  void randomMasksOfOddLengthsRoundTrip() {
    Random rnd = new Random(7);
    byte[] values = {0, 1, 3, 7};
    for (int n : new int[] {1, 2, 3, 127, 128, 129, 1001, 16383, 16384, 16385, 99_991}) {
      byte[] mask = new byte[n];
      int i = 0;
      while (i < n) {
        // runs from 1 voxel to a few hundred, so that short and multi-byte run lengths both occur
        int run = 1 + (rnd.nextBoolean() ? rnd.nextInt(3) : rnd.nextInt(400));
        byte v = values[rnd.nextInt(values.length)];
        for (int k = 0; k < run && i < n; k++) {
          mask[i++] = v;
        }
      }
      assertArrayEquals(mask, MaskCodec.decode(MaskCodec.encode(mask), n), "length " + n);
    }
    byte[] alternating = new byte[12_345];
    for (int i = 0; i < alternating.length; i++) {
      alternating[i] = (byte) (i % 2 == 0 ? 7 : 0);
    }
    assertArrayEquals(alternating, MaskCodec.decode(MaskCodec.encode(alternating), alternating.length),
        "every run of length one");
    assertArrayEquals(new byte[0], MaskCodec.decode(MaskCodec.encode(new byte[0]), 0), "nothing");
  }

  @Test
  void runsAcrossEveryVarintByteBoundaryRoundTrip() {
    // 127 | 128 (two bytes) | 16383 | 16384 (three bytes) | 2^21 (four bytes) | 2^28 - 1 + a bit is too big for a test
    int[] runs = {127, 128, 16_383, 16_384, 1 << 21, 5};
    int n = Arrays.stream(runs).sum();
    byte[] mask = new byte[n];
    int pos = 0;
    for (int r = 0; r < runs.length; r++) {
      Arrays.fill(mask, pos, pos + runs[r], (byte) (r % 2 == 0 ? 1 : 3));
      pos += runs[r];
    }
    assertArrayEquals(mask, MaskCodec.decode(MaskCodec.encode(mask), n));
  }

  @Test
  void allEmptyAndAllSetBratsSizeMasksRoundTripInAFewKilobytes() {
    byte[] empty = new byte[BRATS];
    byte[] e = MaskCodec.encode(empty);
    assertArrayEquals(empty, MaskCodec.decode(e, BRATS));
    byte[] full = new byte[BRATS];
    Arrays.fill(full, (byte) 7);
    byte[] f = MaskCodec.encode(full);
    assertArrayEquals(full, MaskCodec.decode(f, BRATS));
    assertTrue(e.length < 64 && f.length < 64, "one run each: " + e.length + " and " + f.length + " bytes");
  }

  @Test
  void aLengthOtherThanTheEncodedOneIsRefused() {
    byte[] mask = new byte[1000];
    mask[500] = 7;
    byte[] enc = MaskCodec.encode(mask);
    IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(enc, 999));
    assertTrue(shorter.getMessage().contains("999"), shorter.getMessage());
    IllegalArgumentException longer = assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(enc, 1001));
    assertTrue(longer.getMessage().contains("1000 voxels") && longer.getMessage().contains("1001"), longer.getMessage());
  }

  @Test
  void truncatedOrForeignBytesAreRefusedNotMisread() {
    byte[] mask = new byte[5000];
    Arrays.fill(mask, 1000, 3000, (byte) 3);
    byte[] enc = MaskCodec.encode(mask);
    assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(Arrays.copyOf(enc, enc.length - 3), 5000));
    assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode("not a mask".getBytes(), 5000));
    byte[] trailing = Arrays.copyOf(enc, enc.length + 2);
    assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(trailing, 5000));
    // a valid zlib stream whose run stream stops inside a varint
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskCodec.decode(zlib(new byte[] {1, (byte) 0x85}), 5));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    // a zero-length run is not a run
    assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(zlib(new byte[] {1, 0, 0, 5}), 5));
  }

  @Test
  void theRunStreamIsTheDocumentedOne() throws Exception {
    byte[] mask = {0, 0, 0, 7, 7, 1};
    byte[] runs = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(MaskCodec.encode(mask)))
        .readAllBytes();
    assertArrayEquals(new byte[] {0, 3, 7, 2, 1, 1}, runs, "value, then the run length as a varint");
    byte[] twoByteRun = new byte[300];
    byte[] r2 = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(MaskCodec.encode(twoByteRun)))
        .readAllBytes();
    assertArrayEquals(new byte[] {0, (byte) (0x80 | (300 & 0x7f)), (byte) (300 >> 7)}, r2);
    assertEquals(3, r2.length);
  }

  private static byte[] zlib(byte[] raw) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater())) {
      d.write(raw);
    }
    return out.toByteArray();
  }
}
