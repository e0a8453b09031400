package org.gliomabench.core.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1 and NIfTI-2 single files ({@code .nii}), gzipped or not (told by the gzip magic bytes
 * 1f 8b, not by the name), in either byte order (told by sizeof_hdr). Applies scl_slope/scl_inter, honours
 * vox_offset (extensions), and keeps the sform/qform affine. The voxels are inflated in one pass straight
 * into a byte[] of the exact size and converted by one loop; NaN/Inf are left for the caller to judge.
 */
public final class NiftiReader {
  static final int NIFTI1_HEADER = 348;
  static final int NIFTI2_HEADER = 540;
  /** Inflater input buffer: large enough that a BraTS file takes a few dozen reads. */
  private static final int GZIP_BUFFER = 1 << 16;
  private static final int[] GZIP_MAGIC = {0x1f, 0x8b};

  private NiftiReader() {}

  /** Reads a file; errors carry the file's path. */
  public static NiftiVolume read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (NiftiException e) {
      throw new NiftiException(e.kind(), file + ": " + e.getMessage());
    }
  }

  public static NiftiVolume read(InputStream raw) throws IOException {
    try {
      InputStream in = open(raw);
      boolean gzip = in instanceof GZIPInputStream;
      byte[] head = readHeaderBytes(in);
      NiftiHeader h = parse(head);
      long dataBytes = h.voxelCount() * h.dataType().bytesPerVoxel();
      if (dataBytes > Integer.MAX_VALUE - 16) {
        throw new NiftiException(NiftiException.Kind.BAD_HEADER, "an image of " + dataBytes
            + " bytes is larger than this reader takes (2 GiB)");
      }
      skipExtensions(in, h.voxOffset() - head.length, h.voxOffset());
      byte[] data = new byte[(int) dataBytes];
      int got = readUpTo(in, data, 0, data.length);
      if (got < data.length) {
        throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated" + (gzip ? " (gzip stream)" : "")
            + ": the header announces " + dataBytes + " bytes of voxels (" + h.voxelCount() + " x "
            + h.dataType() + " from offset " + h.voxOffset() + "), only " + got + " are there");
      }
      if (gzip) {
        verifyGzipTrailer(in);
      }
      return new NiftiVolume(h, decode(data, h));
    } catch (ZipException e) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "corrupt gzip stream: " + e.getMessage());
    }
  }

  /** The header alone (reads only its 348 or 540 bytes, inflating no more than that). */
  public static NiftiHeader readHeader(InputStream raw) throws IOException {
    try {
      return parse(readHeaderBytes(open(raw)));
    } catch (ZipException e) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "corrupt gzip stream: " + e.getMessage());
    }
  }

  public static NiftiHeader readHeader(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readHeader(in);
    } catch (NiftiException e) {
      throw new NiftiException(e.kind(), file + ": " + e.getMessage());
    }
  }

  /** A gzip stream if the first bytes are the gzip magic, else the stream itself (peeked bytes pushed back). */
  private static InputStream open(InputStream raw) throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 2);
    byte[] magic = new byte[2];
    int n = readUpTo(in, magic, 0, 2);
    if (n > 0) {
      in.unread(magic, 0, n);
    }
    if (n == 2 && (magic[0] & 0xff) == GZIP_MAGIC[0] && (magic[1] & 0xff) == GZIP_MAGIC[1]) {
      try {
        return new GZIPInputStream(in, GZIP_BUFFER);
      } catch (EOFException e) {
        throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated gzip stream: it ends inside its own header");
      }
    }
    return in;
  }

  /** The 348- or 540-byte header, told apart by sizeof_hdr in either byte order. */
  private static byte[] readHeaderBytes(InputStream in) throws IOException {
    byte[] first = new byte[4];
    int n = readUpTo(in, first, 0, 4);
    if (n < 4) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI file: it holds only " + n + " bytes");
    }
    int le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int be = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
    int size = (le == NIFTI1_HEADER || be == NIFTI1_HEADER) ? NIFTI1_HEADER
        : (le == NIFTI2_HEADER || be == NIFTI2_HEADER) ? NIFTI2_HEADER : -1;
    if (size < 0) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI file: sizeof_hdr is " + le
          + " (little endian) / " + be + " (big endian), neither 348 (NIfTI-1) nor 540 (NIfTI-2)");
    }
    byte[] head = new byte[size];
    System.arraycopy(first, 0, head, 0, 4);
    int got = 4 + readUpTo(in, head, 4, size - 4);
    if (got < size) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated: the file ends inside its " + size
          + "-byte header, after " + got + " bytes");
    }
    return head;
  }

  static NiftiHeader parse(byte[] head) throws NiftiException {
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != head.length) {
      b.order(ByteOrder.BIG_ENDIAN);
    }
    return head.length == NIFTI1_HEADER ? parse1(b) : parse2(b);
  }

  private static NiftiHeader parse1(ByteBuffer b) throws NiftiException {
    String magic = ascii(b, 344, 4);
    if (magic.equals("ni1")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI,
          "a two-file NIfTI-1 header (.hdr/.img, magic 'ni1'); only single .nii files are read: convert it");
    }
    if (!magic.equals("n+1")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI-1 file: magic '" + magic
          + "' instead of 'n+1' (an Analyze 7.5 header?)");
    }
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getShort(40 + 2 * i);
    }
    double[] pixdim = new double[8];
    for (int i = 0; i < 8; i++) {
      pixdim[i] = b.getFloat(76 + 4 * i);
    }
    NiftiDataType type = NiftiDataType.fromCode(b.getShort(70));
    double voxOffset = b.getFloat(108);
    double[] quat = new double[6];
    for (int i = 0; i < 6; i++) {
      quat[i] = b.getFloat(256 + 4 * i);
    }
    double[][] srow = new double[3][4];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
      }
    }
    return build(1, b.order(), dim, pixdim, type, voxOffset, b.getFloat(112), b.getFloat(116),
        b.getShort(252), b.getShort(254), quat, srow, ascii(b, 148, 80));
  }

  private static NiftiHeader parse2(ByteBuffer b) throws NiftiException {
    String magic = ascii(b, 4, 4);
    if (magic.equals("ni2")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI,
          "a two-file NIfTI-2 header (.hdr/.img, magic 'ni2'); only single .nii files are read: convert it");
    }
    if (!magic.equals("n+2")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI-2 file: magic '" + magic + "' instead of 'n+2'");
    }
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getLong(16 + 8 * i);
    }
    double[] pixdim = new double[8];
    for (int i = 0; i < 8; i++) {
      pixdim[i] = b.getDouble(104 + 8 * i);
    }
    NiftiDataType type = NiftiDataType.fromCode(b.getShort(12));
    double[] quat = new double[6];
    for (int i = 0; i < 6; i++) {
      quat[i] = b.getDouble(352 + 8 * i);
    }
    double[][] srow = new double[3][4];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
      }
    }
    return build(2, b.order(), dim, pixdim, type, b.getLong(168), b.getDouble(176), b.getDouble(184),
        b.getInt(344), b.getInt(348), quat, srow, ascii(b, 240, 80));
  }

  private static NiftiHeader build(int version, ByteOrder order, long[] dim, double[] pixdim, NiftiDataType type,
      double voxOffsetRaw, double slope, double inter, int qcode, int scode, double[] quat, double[][] srow,
      String description) throws NiftiException {
    int headerSize = version == 1 ? NIFTI1_HEADER : NIFTI2_HEADER;
    if (dim[0] < 1 || dim[0] > 7) {
      throw new NiftiException(NiftiException.Kind.BAD_HEADER, "dim[0] = " + dim[0] + " is not a rank in 1..7");
    }
    int ndim = (int) dim[0];
    int[] shape = new int[ndim];
    long voxels = 1;
    for (int i = 0; i < ndim; i++) {
      if (dim[i + 1] < 1 || dim[i + 1] > Integer.MAX_VALUE) {
        throw new NiftiException(NiftiException.Kind.BAD_HEADER, "dim[" + (i + 1) + "] = " + dim[i + 1] + " is not a size");
      }
      shape[i] = (int) dim[i + 1];
      try {
        voxels = Math.multiplyExact(voxels, dim[i + 1]);
      } catch (ArithmeticException e) {
        throw new NiftiException(NiftiException.Kind.BAD_HEADER, "dims " + java.util.Arrays.toString(shape) + " overflow");
      }
    }
    if (!Double.isFinite(voxOffsetRaw) || voxOffsetRaw > Long.MAX_VALUE / 2) {
      throw new NiftiException(NiftiException.Kind.BAD_HEADER, "vox_offset " + voxOffsetRaw + " is not an offset");
    }
    long voxOffset = (long) voxOffsetRaw;
    if (voxOffset < headerSize) {
      // Old writers leave vox_offset 0 in .nii files: the data then follows the header and its 4 extender bytes.
      voxOffset = headerSize + 4;
    }
    double[] voxelSize = new double[3];
    for (int i = 0; i < 3; i++) {
      double p = Math.abs(pixdim[i + 1]);
      voxelSize[i] = p > 0 && Double.isFinite(p) ? p : 1.0;
    }
    double[][] affine;
    if (scode > 0) {
      affine = new double[][] {srow[0].clone(), srow[1].clone(), srow[2].clone(), {0, 0, 0, 1}};
    } else if (qcode > 0) {
      affine = quaternToMat(quat, voxelSize, pixdim[0]);
    } else {
      // Method 1 of nifti1.h (Analyze compatibility): voxel sizes only, no orientation known.
      affine = new double[][] {{voxelSize[0], 0, 0, 0}, {0, voxelSize[1], 0, 0}, {0, 0, voxelSize[2], 0}, {0, 0, 0, 1}};
    }
    return new NiftiHeader(version, order, shape, voxelSize, type, voxOffset, slope, inter, qcode, scode, affine,
        description.trim());
  }

  /**
   * nifti1_io's quatern_to_mat44: quaternion (b, c, d; a implied), offsets, voxel sizes and qfac
   * (pixdim[0]; -1 flips the third axis, anything else counts as +1) to the 4x4 voxel-to-world matrix.
   */
  static double[][] quaternToMat(double[] q, double[] voxelSize, double qfacRaw) {
    double b = q[0];
    double c = q[1];
    double d = q[2];
    double a = 1.0 - (b * b + c * c + d * d);
    if (a < 1.e-7) {
      // Numerically a = 0: renormalise (b, c, d), as nifti1_io does.
      a = 1.0 / Math.sqrt(b * b + c * c + d * d);
      b *= a;
      c *= a;
      d *= a;
      a = 0.0;
    } else {
      a = Math.sqrt(a);
    }
    double xd = voxelSize[0];
    double yd = voxelSize[1];
    double zd = qfacRaw < 0 ? -voxelSize[2] : voxelSize[2];
    return new double[][] {
        {(a * a + b * b - c * c - d * d) * xd, 2.0 * (b * c - a * d) * yd, 2.0 * (b * d + a * c) * zd, q[3]},
        {2.0 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2.0 * (c * d - a * b) * zd, q[4]},
        {2.0 * (b * d - a * c) * xd, 2.0 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd, q[5]},
        {0, 0, 0, 1}};
  }

  /** Raw voxel bytes to floats, scaling applied; one pass per type, no intermediate arrays. */
  private static float[] decode(byte[] bytes, NiftiHeader h) {
    int n = (int) h.voxelCount();
    float[] out = new float[n];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(h.byteOrder());
    switch (h.dataType()) {
      case UINT8:
        for (int i = 0; i < n; i++) {
          out[i] = bytes[i] & 0xff;
        }
        break;
      case INT8:
        for (int i = 0; i < n; i++) {
          out[i] = bytes[i];
        }
        break;
      case INT16: {
        ShortBuffer s = b.asShortBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i);
        }
        break;
      }
      case UINT16: {
        ShortBuffer s = b.asShortBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i) & 0xffff;
        }
        break;
      }
      case INT32: {
        IntBuffer s = b.asIntBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i);
        }
        break;
      }
      case FLOAT32:
        b.asFloatBuffer().get(out);
        break;
      case FLOAT64: {
        DoubleBuffer s = b.asDoubleBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = (float) s.get(i);
        }
        break;
      }
      default:
        throw new IllegalStateException("no decoder for " + h.dataType());
    }
    if (h.hasScaling()) {
      double slope = h.sclSlope();
      double inter = Double.isFinite(h.sclInter()) ? h.sclInter() : 0;
      // In double, then rounded once: the same float nibabel gets for int16/int32 sources.
      for (int i = 0; i < n; i++) {
        out[i] = (float) (out[i] * slope + inter);
      }
    }
    return out;
  }

  private static void skipExtensions(InputStream in, long bytes, long voxOffset) throws IOException {
    long left = bytes;
    byte[] skip = new byte[(int) Math.min(8192, Math.max(1, bytes))];
    while (left > 0) {
      int n = readUpTo(in, skip, 0, (int) Math.min(skip.length, left));
      if (n == 0) {
        throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated: the file ends " + left
            + " bytes before vox_offset " + voxOffset + " (inside its extensions)");
      }
      left -= n;
    }
  }

  /** Reads the trailer of a gzip member so that its CRC and length are checked (and a cut trailer is seen). */
  private static void verifyGzipTrailer(InputStream in) throws IOException {
    try {
      in.read();
    } catch (EOFException e) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated gzip stream: it ends before its trailer");
    }
  }

  /**
   * Reads until {@code len} bytes or the end, and returns how many came. A gzip stream that ends early throws
   * EOFException inside read(); that is the same fact (fewer bytes than announced), so it is reported by count.
   */
  private static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
    int total = 0;
    try {
      while (total < len) {
        int n = in.read(buf, off + total, len - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (EOFException e) {
      return total;
    }
    return total;
  }

  private static String ascii(ByteBuffer b, int offset, int len) {
    byte[] s = new byte[len];
    for (int i = 0; i < len; i++) {
      s[i] = b.get(offset + i);
    }
    int end = 0;
    while (end < len && s[end] != 0) {
      end++;
    }
    return new String(s, 0, end, StandardCharsets.US_ASCII);
  }
}
