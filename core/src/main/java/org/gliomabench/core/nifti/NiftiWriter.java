package org.gliomabench.core.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes single-file NIfTI-1 or NIfTI-2 images (for the synthetic cohort and for tests of the reader):
 * any supported data type, either byte order, optional scaling, an optional extension block, the affine
 * as sform and as qform (or qform only).
 */
public final class NiftiWriter {

  /**
   * Everything beyond shape, data and affine; extensionBytes is the payload of one comment extension (0: none),
   * gzipLevel a {@link Deflater} level (default {@link Deflater#DEFAULT_COMPRESSION}).
   */
  public record Options(NiftiDataType type, ByteOrder order, int version, boolean gzip, double sclSlope,
      double sclInter, int extensionBytes, boolean sform, int gzipLevel) {

    public static Options of(NiftiDataType type) {
      return new Options(type, ByteOrder.LITTLE_ENDIAN, 1, true, 0, 0, 0, true, Deflater.DEFAULT_COMPRESSION);
    }

    public Options withOrder(ByteOrder o) {
      return new Options(type, o, version, gzip, sclSlope, sclInter, extensionBytes, sform, gzipLevel);
    }

    public Options withVersion(int v) {
      return new Options(type, order, v, gzip, sclSlope, sclInter, extensionBytes, sform, gzipLevel);
    }

    public Options withGzip(boolean g) {
      return new Options(type, order, version, g, sclSlope, sclInter, extensionBytes, sform, gzipLevel);
    }

    /** Deflate level 0..9 (1 = fastest); implies gzip. */
    public Options withGzipLevel(int level) {
      return new Options(type, order, version, true, sclSlope, sclInter, extensionBytes, sform, level);
    }

    public Options withScaling(double slope, double inter) {
      return new Options(type, order, version, gzip, slope, inter, extensionBytes, sform, gzipLevel);
    }

    public Options withExtension(int bytes) {
      return new Options(type, order, version, gzip, sclSlope, sclInter, bytes, sform, gzipLevel);
    }

    public Options qformOnly() {
      return new Options(type, order, version, gzip, sclSlope, sclInter, extensionBytes, false, gzipLevel);
    }
  }

  /** Written into the header's descrip field. */
  static final String DESCRIPTION = "glioma-bench NiftiWriter";

  private NiftiWriter() {}

  /** gzip iff the name ends in .gz; NIfTI-1, little endian, sform and qform from the affine. */
  public static void write(Path file, int[] shape, float[] data, double[][] affine, NiftiDataType type) throws IOException {
    write(file, shape, data, affine, Options.of(type).withGzip(file.toString().endsWith(".gz")));
  }

  public static void write(Path file, int[] shape, float[] data, double[][] affine, Options o) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, shape, data, affine, o);
    }
  }

  public static void write(OutputStream out, int[] shape, float[] data, double[][] affine, NiftiDataType type,
      ByteOrder order, int version, boolean gzip) throws IOException {
    write(out, shape, data, affine, Options.of(type).withOrder(order).withVersion(version).withGzip(gzip));
  }

  public static void write(OutputStream rawOut, int[] shape, float[] data, double[][] affine, Options o) throws IOException {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape needs " + n + " voxels, data has " + data.length);
    }
    if (shape.length < 1 || shape.length > 7 || (o.version() != 1 && o.version() != 2)) {
      throw new IllegalArgumentException("NIfTI-" + o.version() + " with " + shape.length + " dims cannot be written");
    }
    for (int s : shape) {
      if (s < 1 || (o.version() == 1 && s > Short.MAX_VALUE)) {
        throw new IllegalArgumentException("dimension " + s + " cannot be written to NIfTI-" + o.version());
      }
    }
    if (affine.length < 3 || affine[0].length < 4 || affine[1].length < 4 || affine[2].length < 4) {
      throw new IllegalArgumentException("the affine must be 4x4 (or its first 3 rows)");
    }
    int headerSize = o.version() == 2 ? NiftiReader.NIFTI2_HEADER : NiftiReader.NIFTI1_HEADER;
    // One extension: 8 bytes of esize/ecode, then the payload, padded so esize is a multiple of 16.
    int ext = o.extensionBytes() > 0 ? ((o.extensionBytes() + 8 + 15) / 16) * 16 : 0;
    int voxOffset = headerSize + 4 + ext;
    double[] q = matToQuatern(affine);
    ByteBuffer h = ByteBuffer.allocate(voxOffset).order(o.order());
    if (o.version() == 2) {
      header2(h, shape, o, q, affine, voxOffset);
    } else {
      header1(h, shape, o, q, affine, voxOffset);
    }
    if (ext > 0) {
      h.put(headerSize, (byte) 1); // extension flag
      h.putInt(headerSize + 4, ext); // esize
      h.putInt(headerSize + 8, 6); // ecode: comment
      byte[] text = "glioma-bench test extension".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < Math.min(text.length, ext - 8); i++) {
        h.put(headerSize + 12 + i, text[i]);
      }
    }
    byte[] voxels = encode(data, o);
    if (o.gzip()) {
      Gzip gz = new Gzip(rawOut, o.gzipLevel());
      try {
        gz.write(h.array());
        gz.write(voxels);
        gz.finish();
      } finally {
        gz.endDeflater();
      }
    } else {
      rawOut.write(h.array());
      rawOut.write(voxels);
    }
    rawOut.flush();
  }

  /** A gzip stream whose native deflater is freed without closing the caller's stream. */
  private static final class Gzip extends GZIPOutputStream {
    Gzip(OutputStream out, int level) throws IOException {
      super(out, 1 << 16);
      def.setLevel(level);
    }

    void endDeflater() {
      def.end();
    }
  }

  private static void header1(ByteBuffer h, int[] shape, Options o, double[] q, double[][] a, int voxOffset) {
    h.putInt(0, NiftiReader.NIFTI1_HEADER);
    h.putShort(40, (short) shape.length);
    for (int i = 0; i < 7; i++) {
      h.putShort(42 + 2 * i, (short) (i < shape.length ? shape[i] : 1));
    }
    h.putShort(70, (short) o.type().code());
    h.putShort(72, (short) (8 * o.type().bytesPerVoxel()));
    h.putFloat(76, (float) q[6]);
    for (int i = 0; i < 3; i++) {
      h.putFloat(80 + 4 * i, (float) q[7 + i]);
    }
    h.putFloat(108, voxOffset);
    h.putFloat(112, (float) o.sclSlope());
    h.putFloat(116, (float) o.sclInter());
    h.put(38, (byte) 'r'); // "regular", as Analyze readers expect
    h.put(123, (byte) 10); // xyzt_units: mm, s
    putAscii(h, 148, 80, DESCRIPTION);
    h.putShort(252, (short) 1);
    h.putShort(254, (short) (o.sform() ? 1 : 0));
    for (int i = 0; i < 6; i++) {
      h.putFloat(256 + 4 * i, (float) q[i]);
    }
    if (o.sform()) {
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          h.putFloat(280 + 16 * r + 4 * c, (float) a[r][c]);
        }
      }
    }
    h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
  }

  private static void header2(ByteBuffer h, int[] shape, Options o, double[] q, double[][] a, int voxOffset) {
    h.putInt(0, NiftiReader.NIFTI2_HEADER);
    byte[] magic = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
    for (int i = 0; i < 8; i++) {
      h.put(4 + i, magic[i]);
    }
    h.putShort(12, (short) o.type().code());
    h.putShort(14, (short) (8 * o.type().bytesPerVoxel()));
    h.putLong(16, shape.length);
    for (int i = 0; i < 7; i++) {
      h.putLong(24 + 8 * i, i < shape.length ? shape[i] : 1);
    }
    h.putDouble(104, q[6]);
    for (int i = 0; i < 3; i++) {
      h.putDouble(112 + 8 * i, q[7 + i]);
    }
    h.putLong(168, voxOffset);
    h.putDouble(176, o.sclSlope());
    h.putDouble(184, o.sclInter());
    h.putInt(344, 1);
    h.putInt(348, o.sform() ? 1 : 0);
    for (int i = 0; i < 6; i++) {
      h.putDouble(352 + 8 * i, q[i]);
    }
    if (o.sform()) {
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          h.putDouble(400 + 32 * r + 8 * c, a[r][c]);
        }
      }
    }
    h.putInt(500, 10); // xyzt_units: mm, s
    putAscii(h, 240, 80, DESCRIPTION);
  }

  private static void putAscii(ByteBuffer h, int offset, int max, String text) {
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < Math.min(t.length, max - 1); i++) {
      h.put(offset + i, t[i]);
    }
  }

  /**
   * Floats to stored values: (value - inter) / slope, rounded to the nearest integer and saturated at the
   * type's range for integer types (NaN stores as 0), so that a value never wraps around.
   */
  private static byte[] encode(float[] data, Options o) {
    int n = data.length;
    ByteBuffer b = ByteBuffer.allocate(n * o.type().bytesPerVoxel()).order(o.order());
    boolean scaled = o.sclSlope() != 0 && Double.isFinite(o.sclSlope());
    double slope = scaled ? o.sclSlope() : 1;
    double inter = scaled && Double.isFinite(o.sclInter()) ? o.sclInter() : 0;
    switch (o.type()) {
      case UINT8:
        for (int i = 0; i < n; i++) {
          b.put(i, (byte) saturate(data[i], inter, slope, 0, 255));
        }
        break;
      case INT8:
        for (int i = 0; i < n; i++) {
          b.put(i, (byte) saturate(data[i], inter, slope, Byte.MIN_VALUE, Byte.MAX_VALUE));
        }
        break;
      case INT16:
        for (int i = 0; i < n; i++) {
          b.putShort(2 * i, (short) saturate(data[i], inter, slope, Short.MIN_VALUE, Short.MAX_VALUE));
        }
        break;
      case UINT16:
        for (int i = 0; i < n; i++) {
          b.putShort(2 * i, (short) saturate(data[i], inter, slope, 0, 65535));
        }
        break;
      case INT32:
        for (int i = 0; i < n; i++) {
          b.putInt(4 * i, (int) saturate(data[i], inter, slope, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        break;
      case FLOAT32:
        for (int i = 0; i < n; i++) {
          b.putFloat(4 * i, scaled ? (float) ((data[i] - inter) / slope) : data[i]);
        }
        break;
      case FLOAT64:
        for (int i = 0; i < n; i++) {
          b.putDouble(8 * i, scaled ? (data[i] - inter) / slope : data[i]);
        }
        break;
      default:
        throw new IllegalStateException("no encoder for " + o.type());
    }
    return b.array();
  }

  private static long saturate(float value, double inter, double slope, long min, long max) {
    double v = (value - inter) / slope;
    if (Double.isNaN(v)) {
      return 0;
    }
    return Math.max(min, Math.min(max, Math.round(v)));
  }

  /**
   * nifti1_io's mat44_to_quatern for an orthogonal (rotation + scaling) affine: quatern b, c, d,
   * qoffset x, y, z, then qfac and the three voxel sizes.
   */
  static double[] matToQuatern(double[][] m) {
    double[] norm = new double[3];
    double[][] r = new double[3][3];
    for (int c = 0; c < 3; c++) {
      norm[c] = Math.sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
      if (norm[c] == 0) {
        norm[c] = 1;
      }
      for (int row = 0; row < 3; row++) {
        r[row][c] = m[row][c] / norm[c];
      }
    }
    double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
    double qfac = 1;
    if (det < 0) {
      qfac = -1;
      r[0][2] = -r[0][2];
      r[1][2] = -r[1][2];
      r[2][2] = -r[2][2];
    }
    double a = r[0][0] + r[1][1] + r[2][2] + 1;
    double b;
    double c;
    double d;
    if (a > 0.5) {
      a = 0.5 * Math.sqrt(a);
      b = 0.25 * (r[2][1] - r[1][2]) / a;
      c = 0.25 * (r[0][2] - r[2][0]) / a;
      d = 0.25 * (r[1][0] - r[0][1]) / a;
    } else {
      double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
      double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
      double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
      if (xd > 1) {
        b = 0.5 * Math.sqrt(xd);
        c = 0.25 * (r[0][1] + r[1][0]) / b;
        d = 0.25 * (r[0][2] + r[2][0]) / b;
        a = 0.25 * (r[2][1] - r[1][2]) / b;
      } else if (yd > 1) {
        c = 0.5 * Math.sqrt(yd);
        b = 0.25 * (r[0][1] + r[1][0]) / c;
        d = 0.25 * (r[1][2] + r[2][1]) / c;
        a = 0.25 * (r[0][2] - r[2][0]) / c;
      } else {
        d = 0.5 * Math.sqrt(zd);
        b = 0.25 * (r[0][2] + r[2][0]) / d;
        c = 0.25 * (r[1][2] + r[2][1]) / d;
        a = 0.25 * (r[1][0] - r[0][1]) / d;
      }
      if (a < 0) {
        b = -b;
        c = -c;
        d = -d;
      }
    }
    return new double[] {b, c, d, m[0][3], m[1][3], m[2][3], qfac, norm[0], norm[1], norm[2]};
  }
}
