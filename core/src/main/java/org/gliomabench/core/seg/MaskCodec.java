package org.gliomabench.core.seg;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A compact encoding of a per-voxel byte mask (the region bits of a segmentation), format
 * {@value #FORMAT}: the runs of equal bytes in array order, each written as the byte followed by the run
 * length as an unsigned LEB128 varint (7 bits per byte, low bits first, high bit set on all but the last
 * byte), the whole stream then compressed with zlib (RFC 1950; Python's {@code zlib.decompress}).
 * A BraTS-size mask (240 x 240 x 155 = 8.9 M voxels, mostly background) takes a few thousand runs; the
 * run stream alone is small and zlib roughly halves it again.
 */
public final class MaskCodec {
  private MaskCodec() {}

  /** The name written beside encoded masks (reference_masks.mask_encoding). */
  public static final String FORMAT = "rle-varint-zlib-v1";

  public static byte[] encode(byte[] values) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream(1024);
    int i = 0;
    while (i < values.length) {
      byte v = values[i];
      int j = i + 1;
      while (j < values.length && values[j] == v) {
        j++;
      }
      runs.write(v);
      writeVarint(runs, j - i);
      i = j;
    }
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(runs.toByteArray());
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, runs.size() / 2));
      byte[] buf = new byte[8192];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * The mask of {@code length} values that {@code encoded} holds.
   *
   * @throws IllegalArgumentException when the data is not this format or its runs do not add up to {@code length}
   */
  public static byte[] decode(byte[] encoded, int length) {
    byte[] runs = inflate(encoded);
    byte[] out = new byte[length];
    int pos = 0;
    int p = 0;
    while (p < runs.length) {
      byte v = runs[p++];
      long n = 0;
      int shift = 0;
      while (true) {
        if (p >= runs.length) {
          throw new IllegalArgumentException("mask encoding truncated inside a run length at byte " + p);
        }
        int b = runs[p++] & 0xff;
        n |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 35) {
          throw new IllegalArgumentException("mask encoding has a run length longer than 5 bytes at byte " + p);
        }
      }
      if (n <= 0 || pos + n > length) {
        throw new IllegalArgumentException("mask encoding's runs exceed the " + length + " voxels expected (run of "
            + n + " at voxel " + pos + ")");
      }
      if (v != 0) {
        Arrays.fill(out, pos, pos + (int) n, v);
      }
      pos += (int) n;
    }
    if (pos != length) {
      throw new IllegalArgumentException("mask encoding holds " + pos + " voxels, " + length + " expected");
    }
    return out;
  }

  private static byte[] inflate(byte[] encoded) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(encoded);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, encoded.length * 3));
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("mask encoding is truncated (zlib stream ends early)");
        }
        out.write(buf, 0, n);
      }
      if (inflater.getRemaining() > 0) {
        throw new IllegalArgumentException("mask encoding has " + inflater.getRemaining() + " bytes after its zlib stream");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("mask encoding is not " + FORMAT + ": " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static void writeVarint(ByteArrayOutputStream out, int n) {
    while ((n & ~0x7f) != 0) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
  }
}
