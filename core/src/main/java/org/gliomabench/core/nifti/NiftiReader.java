package org.gliomabench.core.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1 and NIfTI-2 single files ({@code .nii}), gzipped or not (detected by the gzip magic bytes,
 * not the name), in either byte order. Applies scl_slope/scl_inter, honours vox_offset (extensions), and
 * keeps the sform/qform affine. One decompression pass straight into a buffer of the exact size.
 */
public final class NiftiReader {
  static final int NIFTI1_HEADER = 348;
  static final int NIFTI2_HEADER = 540;
  private static final int GZIP_BUFFER = 1 << 16;

  private NiftiReader() {}

  public static NiftiVolume read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (NiftiException e) {
      throw new NiftiException(e.kind(), file.getFileName() + ": " + e.getMessage());
    }
  }

  public static NiftiVolume read(InputStream raw) throws IOException {
    InputStream in = open(raw);
    try {
      byte[] head = readHeaderBytes(in);
      NiftiHeader h = parse(head);
      long dataBytes = h.voxelCount() * h.dataType().bytesPerVoxel();
      if (dataBytes > Integer.MAX_VALUE - 16) {
        throw new NiftiException(NiftiException.Kind.BAD_HEADER, "image of " + dataBytes + " bytes is too large");
      }
      skipExtensions(in, h.voxOffset() - head.length);
      byte[] data = new byte[(int) dataBytes];
      int got = readFully(in, data);
      if (got < data.length) {
        throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated: the header announces " + dataBytes
            + " bytes of voxels, the file holds " + got);
      }
      return new NiftiVolume(h, decode(data, h));
    } catch (EOFException | ZipException e) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated or corrupt gzip stream: " + e.getMessage());
    }
  }

  public static NiftiHeader readHeader(InputStream raw) throws IOException {
    try {
      return parse(readHeaderBytes(open(raw)));
    } catch (EOFException | ZipException e) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated or corrupt gzip stream: " + e.getMessage());
    }
  }

  private static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, GZIP_BUFFER);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new GZIPInputStream(in, GZIP_BUFFER);
    }
    return in;
  }

  /** The 348- or 540-byte header, told apart by sizeof_hdr in either byte order. */
  private static byte[] readHeaderBytes(InputStream in) throws IOException {
    byte[] first = new byte[4];
    if (readFully(in, first) < 4) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI file: fewer than 4 bytes");
    }
    int le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int be = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
    int size = (le == NIFTI1_HEADER || be == NIFTI1_HEADER) ? NIFTI1_HEADER
        : (le == NIFTI2_HEADER || be == NIFTI2_HEADER) ? NIFTI2_HEADER : -1;
    if (size < 0) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI file: sizeof_hdr is neither 348 nor 540");
    }
    byte[] head = new byte[size];
    System.arraycopy(first, 0, head, 0, 4);
    if (readFully(in, head, 4, size - 4) < size - 4) {
      throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated: the file ends inside its " + size + "-byte header");
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
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "two-file NIfTI-1 (.hdr/.img) is not supported; convert to .nii");
    }
    if (!magic.equals("n+1")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI-1 file: magic '" + magic + "' (Analyze 7.5?)");
    }
    int ndim = b.getShort(40);
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getShort(40 + 2 * i);
    }
    double[] pixdim = new double[8];
    for (int i = 0; i < 8; i++) {
      pixdim[i] = b.getFloat(76 + 4 * i);
    }
    NiftiDataType type = NiftiDataType.fromCode(b.getShort(70));
    long voxOffset = (long) b.getFloat(108);
    double slope = b.getFloat(112);
    double inter = b.getFloat(116);
    int qcode = b.getShort(252);
    int scode = b.getShort(254);
    double[] quat = {b.getFloat(256), b.getFloat(260), b.getFloat(264), b.getFloat(268), b.getFloat(272), b.getFloat(276)};
    double[][] srow = new double[3][4];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
      }
    }
    return build(1, b.order(), ndim, dim, pixdim, type, voxOffset, NiftiReader.NIFTI1_HEADER, slope, inter, qcode,
        scode, quat, srow, ascii(b, 148, 80));
  }

  private static NiftiHeader parse2(ByteBuffer b) throws NiftiException {
    String magic = ascii(b, 4, 3);
    if (!magic.equals("n+2")) {
      throw new NiftiException(NiftiException.Kind.NOT_NIFTI, "not a NIfTI-2 single file: magic '" + magic + "'");
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
    return build(2, b.order(), (int) dim[0], dim, pixdim, type, b.getLong(168), NIFTI2_HEADER, b.getDouble(176),
        b.getDouble(184), b.getInt(344), b.getInt(348), quat, srow, ascii(b, 240, 80));
  }

  private static NiftiHeader build(int version, ByteOrder order, int ndim, long[] dim, double[] pixdim,
      NiftiDataType type, long voxOffset, int headerSize, double slope, double inter, int qcode, int scode,
      double[] quat, double[][] srow, String description) throws NiftiException {
    if (ndim < 1 || ndim > 7) {
      throw new NiftiException(NiftiException.Kind.BAD_HEADER, "dim[0] = " + ndim + " is not in 1..7");
    }
    int[] shape = new int[ndim];
    for (int i = 0; i < ndim; i++) {
      if (dim[i + 1] < 1 || dim[i + 1] > Integer.MAX_VALUE) {
        throw new NiftiException(NiftiException.Kind.BAD_HEADER, "dim[" + (i + 1) + "] = " + dim[i + 1] + " is not a size");
      }
      shape[i] = (int) dim[i + 1];
    }
    if (voxOffset < headerSize) {
      // vox_offset 0 is legal in old writers of .nii files: data follows the header (and the 4 extension bytes).
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
      affine = new double[][] {{voxelSize[0], 0, 0, 0}, {0, voxelSize[1], 0, 0}, {0, 0, voxelSize[2], 0}, {0, 0, 0, 1}};
    }
    return new NiftiHeader(version, order, shape, voxelSize, type, voxOffset, slope, inter, qcode, scode, affine,
        description.trim());
  }

  /** nifti1_io's quatern_to_mat44. */
  static double[][] quaternToMat(double[] q, double[] voxelSize, double qfacRaw) {
    double b = q[0];
    double c = q[1];
    double d = q[2];
    double a = 1.0 - (b * b + c * c + d * d);
    if (a < 1.e-7) {
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
        java.nio.ShortBuffer s = b.asShortBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i);
        }
        break;
      }
      case UINT16: {
        java.nio.ShortBuffer s = b.asShortBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i) & 0xffff;
        }
        break;
      }
      case INT32: {
        java.nio.IntBuffer s = b.asIntBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = s.get(i);
        }
        break;
      }
      case FLOAT32:
        b.asFloatBuffer().get(out);
        break;
      case FLOAT64: {
        java.nio.DoubleBuffer s = b.asDoubleBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = (float) s.get(i);
        }
        break;
      }
      default:
        throw new IllegalStateException(h.dataType().toString());
    }
    double slope = h.sclSlope();
    double inter = Double.isFinite(h.sclInter()) ? h.sclInter() : 0;
    // slope 0 (or NaN) means "no scaling" in the NIfTI standard.
    if (slope != 0 && Double.isFinite(slope) && !(slope == 1 && inter == 0)) {
      float s = (float) slope;
      float t = (float) inter;
      for (int i = 0; i < n; i++) {
        out[i] = out[i] * s + t;
      }
    }
    return out;
  }

  private static void skipExtensions(InputStream in, long bytes) throws IOException {
    long left = bytes;
    byte[] skip = new byte[8192];
    while (left > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (n < 0) {
        throw new NiftiException(NiftiException.Kind.TRUNCATED, "truncated: the file ends before vox_offset");
      }
      left -= n;
    }
  }

  private static int readFully(InputStream in, byte[] buf) throws IOException {
    return readFully(in, buf, 0, buf.length);
  }

  private static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(buf, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
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
