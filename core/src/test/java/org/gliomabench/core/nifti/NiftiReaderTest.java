package org.gliomabench.core.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on the real brats-mini files (facts from their README, read with nibabel) and on bytes built
 * here by hand, field by field, so that the reader is not only checked against our own writer.
 */
class NiftiReaderTest {
  private static final Path BRATS_MINI =
      Path.of(System.getProperty("gliomabench.shared.dir", "../shared"), "data", "brats-mini");
  private static final int[] BRATS_SHAPE = {240, 240, 155};

  @TempDir
  Path tmp;

  // ---- real files ---------------------------------------------------------------------------------

  private static Path real(String patient, String modality) {
    Path p = BRATS_MINI.resolve(patient).resolve(patient + "_" + modality + ".nii.gz");
    assumeTrue(Files.isRegularFile(p), "brats-mini not found at " + BRATS_MINI);
    return p;
  }

  @Test
  void readsTheRealInt16CasesWithTheBratsGeometry() throws IOException {
    double[][] bratsAffine = {{-1, 0, 0, 0}, {0, -1, 0, 239}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    for (String patient : new String[] {"TCGA-DU-7294", "TCGA-FG-6692"}) {
      for (String m : new String[] {"t1", "t1ce", "t2", "flair"}) {
        NiftiVolume v = NiftiReader.read(real(patient, m));
        assertArrayEquals(BRATS_SHAPE, v.shape(), patient + " " + m);
        assertEquals(NiftiDataType.INT16, v.header().dataType());
        assertEquals(1, v.header().version());
        assertEquals(ByteOrder.LITTLE_ENDIAN, v.header().byteOrder());
        assertArrayEquals(new double[] {1, 1, 1}, v.voxelSize());
        assertAffine(bratsAffine, v.affine(), 0);
        assertEquals(240 * 240 * 155, v.data().length);
      }
    }
  }

  @Test
  void realFlairRangeMatchesNibabel() throws IOException {
    float[] d = NiftiReader.read(real("TCGA-DU-7294", "flair")).data();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float f : d) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assertEquals(-54f, min);
    assertEquals(783f, max);
  }

  @Test
  void realSegmentationLabelCountsMatchTheReadme() throws IOException {
    assertEquals(Map.of(1L, 9_281L, 2L, 14_907L), labelCounts(NiftiReader.read(real("TCGA-DU-7294", "seg"))));
    assertEquals(Map.of(1L, 2_477L, 2L, 20_862L, 4L, 6_840L), labelCounts(NiftiReader.read(real("TCGA-FG-6692", "seg"))));
    NiftiVolume seg2013 = NiftiReader.read(real("brats_2013_pat0001_1", "seg"));
    assertEquals(NiftiDataType.FLOAT32, seg2013.header().dataType());
    assertEquals(Map.of(1L, 26_371L, 2L, 53_050L, 3L, 818L, 4L, 31_485L), labelCounts(seg2013));
  }

  @Test
  void readsTheRealFloat32CaseWithItsSform() throws IOException {
    NiftiVolume v = NiftiReader.read(real("brats_2013_pat0001_1", "flair"));
    assertArrayEquals(BRATS_SHAPE, v.shape());
    assertEquals(NiftiDataType.FLOAT32, v.header().dataType());
    assertEquals(0, v.header().qformCode());
    assertEquals(2, v.header().sformCode());
    assertAffine(new double[][] {{-1, 0, 0, 0}, {0, -1, 0, 239}, {0, 0, 1, 0}, {0, 0, 0, 1}}, v.affine(), 0);
    // z-scored: negative and positive values, not integers
    boolean negative = false;
    boolean fractional = false;
    for (float f : v.data()) {
      negative |= f < 0;
      fractional |= f != Math.rint(f);
    }
    assertTrue(negative && fractional);
  }

  @Test
  void streamAndPathAndHeaderAgreeOnARealFile() throws IOException {
    Path p = real("TCGA-FG-6692", "t1ce");
    NiftiVolume fromPath = NiftiReader.read(p);
    NiftiVolume fromStream;
    try (InputStream in = Files.newInputStream(p)) {
      fromStream = NiftiReader.read(in);
    }
    assertArrayEquals(fromPath.data(), fromStream.data());
    NiftiHeader h;
    try (InputStream in = Files.newInputStream(p)) {
      h = NiftiReader.readHeader(in);
    }
    assertArrayEquals(fromPath.shape(), h.shape());
    assertEquals(fromPath.header().qformCode(), h.qformCode());
    assertAffine(fromPath.affine(), h.affine(), 0);
  }

  @Test
  void gzipIsToldByItsMagicBytesNotByTheName() throws IOException {
    Path p = real("TCGA-DU-7294", "seg");
    Path misnamed = tmp.resolve("looks_plain.nii");
    Files.copy(p, misnamed);
    assertEquals(labelCounts(NiftiReader.read(p)), labelCounts(NiftiReader.read(misnamed)));
  }

  // ---- hand-built headers -------------------------------------------------------------------------

  /** A NIfTI-1 header built field by field (offsets from nifti1.h), pixdim 1..3 = 2, 3, 4. */
  private static ByteBuffer header1(ByteOrder order, int[] shape, int datatype, int bitpix, float voxOffset) {
    ByteBuffer h = ByteBuffer.allocate(348).order(order);
    h.putInt(0, 348);
    h.putShort(40, (short) shape.length);
    for (int i = 0; i < 7; i++) {
      h.putShort(42 + 2 * i, (short) (i < shape.length ? shape[i] : 1));
    }
    h.putShort(70, (short) datatype);
    h.putShort(72, (short) bitpix);
    h.putFloat(76, 1f);
    h.putFloat(80, 2f);
    h.putFloat(84, 3f);
    h.putFloat(88, 4f);
    h.putFloat(108, voxOffset);
    h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    return h;
  }

  /** A NIfTI-2 header built field by field (offsets from nifti2.h), pixdim 1..3 = 2, 3, 4. */
  private static ByteBuffer header2(ByteOrder order, int[] shape, int datatype, int bitpix, long voxOffset) {
    ByteBuffer h = ByteBuffer.allocate(540).order(order);
    h.putInt(0, 540);
    byte[] magic = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
    for (int i = 0; i < 8; i++) {
      h.put(4 + i, magic[i]);
    }
    h.putShort(12, (short) datatype);
    h.putShort(14, (short) bitpix);
    h.putLong(16, shape.length);
    for (int i = 0; i < 7; i++) {
      h.putLong(24 + 8 * i, i < shape.length ? shape[i] : 1);
    }
    h.putDouble(104, 1);
    h.putDouble(112, 2);
    h.putDouble(120, 3);
    h.putDouble(128, 4);
    h.putLong(168, voxOffset);
    return h;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static NiftiVolume read(byte[] bytes) throws IOException {
    return NiftiReader.read(new ByteArrayInputStream(bytes));
  }

  private static NiftiException failure(byte[] bytes) {
    return assertThrows(NiftiException.class, () -> read(bytes));
  }

  private static byte[] int16(ByteOrder order, int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(order);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  @Test
  void handBuiltBigEndianInt16WithoutOrientationUsesPixdimAndFileOrder() throws IOException {
    int[] shape = {3, 2, 2};
    int[] values = {-7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 32767};
    byte[] file = concat(header1(ByteOrder.BIG_ENDIAN, shape, 4, 16, 352).array(), new byte[4],
        int16(ByteOrder.BIG_ENDIAN, values));
    for (byte[] bytes : new byte[][] {file, gzip(file)}) {
      NiftiVolume v = read(bytes);
      assertEquals(ByteOrder.BIG_ENDIAN, v.header().byteOrder());
      assertArrayEquals(shape, v.shape());
      assertEquals(-7f, v.get(0, 0, 0));
      assertEquals(1f, v.get(1, 0, 0));
      assertEquals(3f, v.get(0, 1, 0)); // x fastest, then y
      assertEquals(6f, v.get(0, 0, 1)); // then z
      assertEquals(32767f, v.get(2, 1, 1));
      assertArrayEquals(new double[] {2, 3, 4}, v.voxelSize());
      // neither qform nor sform: method 1, voxel sizes only
      assertAffine(new double[][] {{2, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}}, v.affine(), 0);
    }
  }

  @Test
  void qformQuaternionWithNegativeQfacBecomesTheRotatedFlippedMatrix() throws IOException {
    ByteBuffer h = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2, 2, 2}, 2, 8, 352);
    h.putFloat(76, -1f); // qfac: the third axis flipped
    h.putShort(252, (short) 1); // qform_code scanner, sform_code 0
    // 90 degrees about z: a = cos 45, (b, c, d) = (0, 0, sin 45)
    h.putFloat(256, 0f).putFloat(260, 0f).putFloat(264, (float) Math.sqrt(0.5));
    h.putFloat(268, 10f).putFloat(272, -20f).putFloat(276, 30f);
    NiftiVolume v = read(concat(h.array(), new byte[4], new byte[8]));
    // R = [[0,-1,0],[1,0,0],[0,0,1]], columns scaled by 2, 3 and -4 (qfac)
    assertAffine(new double[][] {{0, -3, 0, 10}, {2, 0, 0, -20}, {0, 0, -4, 30}, {0, 0, 0, 1}}, v.affine(), 1e-6);
    assertEquals(1, v.header().qformCode());
    assertEquals(0, v.header().sformCode());
  }

  @Test
  void sformWinsOverQform() throws IOException {
    ByteBuffer h = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2, 2, 2}, 2, 8, 352);
    h.putShort(252, (short) 1);
    h.putFloat(264, 1f); // a 180-degree qform...
    h.putShort(254, (short) 2); // ...loses to this sform
    float[] srow = {0.5f, 0, 0, -1, 0, 0.25f, 0, -2, 0.1f, 0, 3, -3};
    for (int i = 0; i < 12; i++) {
      h.putFloat(280 + 4 * i, srow[i]);
    }
    NiftiVolume v = read(concat(h.array(), new byte[4], new byte[8]));
    assertAffine(new double[][] {{0.5, 0, 0, -1}, {0, 0.25, 0, -2}, {0.1, 0, 3, -3}, {0, 0, 0, 1}}, v.affine(), 1e-7);
  }

  @Test
  void appliesSlopeAndInterceptButNotSlopeZeroOrNaN() throws IOException {
    int[] shape = {4, 1, 1};
    byte[] data = int16(ByteOrder.LITTLE_ENDIAN, 0, 1, -2, 100);
    ByteBuffer scaled = header1(ByteOrder.LITTLE_ENDIAN, shape, 4, 16, 352);
    scaled.putFloat(112, 0.5f).putFloat(116, -10f);
    assertArrayEquals(new float[] {-10, -9.5f, -11, 40}, read(concat(scaled.array(), new byte[4], data)).data());
    for (float slope : new float[] {0f, Float.NaN}) {
      ByteBuffer h = header1(ByteOrder.LITTLE_ENDIAN, shape, 4, 16, 352);
      h.putFloat(112, slope).putFloat(116, 5f);
      NiftiVolume v = read(concat(h.array(), new byte[4], data));
      assertArrayEquals(new float[] {0, 1, -2, 100}, v.data(), "slope " + slope + " means unscaled");
      assertTrue(!v.header().hasScaling());
    }
  }

  @Test
  void honoursVoxOffsetAfterAnExtensionAndVoxOffsetZero() throws IOException {
    int[] shape = {2, 1, 1};
    byte[] data = int16(ByteOrder.LITTLE_ENDIAN, 11, -12);
    ByteBuffer ext = ByteBuffer.allocate(4 + 32).order(ByteOrder.LITTLE_ENDIAN);
    ext.put(0, (byte) 1).putInt(4, 32).putInt(8, 6); // one 32-byte comment extension
    for (int i = 12; i < 36; i++) {
      ext.put(i, (byte) 0x7f); // garbage the reader must skip, not decode
    }
    byte[] withExt = concat(header1(ByteOrder.LITTLE_ENDIAN, shape, 4, 16, 348 + 36).array(), ext.array(), data);
    NiftiVolume v = read(gzip(withExt));
    assertEquals(384, v.header().voxOffset());
    assertArrayEquals(new float[] {11, -12}, v.data());
    byte[] zeroOffset = concat(header1(ByteOrder.LITTLE_ENDIAN, shape, 4, 16, 0).array(), new byte[4], data);
    assertArrayEquals(new float[] {11, -12}, read(zeroOffset).data());
  }

  @Test
  void handBuiltNifti2BothByteOrdersEveryType() throws IOException {
    int[] shape = {2, 2, 1, 2};
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (NiftiDataType t : NiftiDataType.values()) {
        ByteBuffer data = ByteBuffer.allocate(8 * t.bytesPerVoxel()).order(order);
        double[] expected = {0, 1, 2, 3, 100, 5, 6, 7};
        for (double e : expected) {
          switch (t) {
            case UINT8: case INT8: data.put((byte) e); break;
            case INT16: case UINT16: data.putShort((short) e); break;
            case INT32: data.putInt((int) e); break;
            case FLOAT32: data.putFloat((float) e); break;
            default: data.putDouble(e); break;
          }
        }
        ByteBuffer h = header2(order, shape, t.code(), 8 * t.bytesPerVoxel(), 544);
        h.putInt(348, 1); // sform_code
        h.putDouble(400, 2).putDouble(432 + 8, 3).putDouble(464 + 16, 4).putDouble(464 + 24, -5);
        NiftiVolume v = read(concat(h.array(), new byte[4], data.array()));
        assertEquals(2, v.header().version(), t + " " + order);
        assertEquals(order, v.header().byteOrder());
        assertEquals(t, v.header().dataType());
        assertArrayEquals(shape, v.shape());
        assertEquals(100f, v.get(0, 0, 0, 1), t + " " + order);
        assertEquals(7f, v.get(1, 1, 0, 1));
        assertAffine(new double[][] {{2, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, -5}, {0, 0, 0, 1}}, v.affine(), 0);
      }
    }
  }

  @Test
  void unsignedAndSignedBytesAndShortsKeepTheirSign() throws IOException {
    byte[] raw = {(byte) 0xff, (byte) 0x80, 0x7f, 0x00};
    assertArrayEquals(new float[] {255, 128, 127, 0},
        read(concat(header1(ByteOrder.LITTLE_ENDIAN, new int[] {4}, 2, 8, 352).array(), new byte[4], raw)).data());
    assertArrayEquals(new float[] {-1, -128, 127, 0},
        read(concat(header1(ByteOrder.LITTLE_ENDIAN, new int[] {4}, 256, 8, 352).array(), new byte[4], raw)).data());
    // big endian: ff 80 = 65408 unsigned (-128 signed), 7f 00 = 32512
    assertArrayEquals(new float[] {65408, 32512},
        read(concat(header1(ByteOrder.BIG_ENDIAN, new int[] {2}, 512, 16, 352).array(), new byte[4], raw)).data());
    assertArrayEquals(new float[] {-128, 32512},
        read(concat(header1(ByteOrder.BIG_ENDIAN, new int[] {2}, 4, 16, 352).array(), new byte[4], raw)).data());
  }

  // ---- bad input ----------------------------------------------------------------------------------

  @Test
  void unsupportedDataTypesAreNamedByCode() {
    for (int code : new int[] {128, 32, 1792, 2304, 1024}) { // RGB24, complex64, complex128, RGBA32, int64
      NiftiException e = failure(concat(header1(ByteOrder.LITTLE_ENDIAN, new int[] {2, 2, 2}, code, 8, 352).array(),
          new byte[4 + 64]));
      assertEquals(NiftiException.Kind.UNSUPPORTED_DATATYPE, e.kind());
      assertTrue(e.getMessage().contains(Integer.toString(code)), e.getMessage());
    }
  }

  @Test
  void truncatedDataSaysHowManyBytesWereExpectedAndThere() {
    byte[] file = concat(header1(ByteOrder.LITTLE_ENDIAN, new int[] {10, 10, 10}, 4, 16, 352).array(), new byte[4],
        new byte[1500]);
    NiftiException e = failure(file);
    assertEquals(NiftiException.Kind.TRUNCATED, e.kind());
    assertTrue(e.getMessage().contains("2000") && e.getMessage().contains("1500"), e.getMessage());
  }

  @Test
  void truncatedGzipIsTruncatedWithCounts(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("cut.nii.gz");
    float[] data = new float[30 * 30 * 30];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.sin(i) * 1000; // incompressible enough that half the file is half the data
    }
    NiftiWriter.write(f, new int[] {30, 30, 30}, data, identity(), NiftiDataType.INT16);
    byte[] full = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(full, full.length / 2));
    NiftiException e = assertThrows(NiftiException.class, () -> NiftiReader.read(f));
    assertEquals(NiftiException.Kind.TRUNCATED, e.kind());
    assertTrue(e.getMessage().contains("cut.nii.gz"), "names the file: " + e.getMessage());
    assertTrue(e.getMessage().contains("54000"), "names the expected byte count: " + e.getMessage());
    // cut inside the 8-byte gzip trailer: all voxels are there, yet the file is incomplete
    assertEquals(NiftiException.Kind.TRUNCATED, failure(Arrays.copyOf(full, full.length - 3)).kind());
    // cut inside the gzip header itself
    assertEquals(NiftiException.Kind.TRUNCATED, failure(Arrays.copyOf(full, 5)).kind());
    // cut inside the NIfTI header
    assertEquals(NiftiException.Kind.TRUNCATED, failure(Arrays.copyOf(gunzip(full), 200)).kind());
  }

  @Test
  void corruptGzipIsReportedNotThrownAsSomethingElse() throws IOException {
    byte[] file = gzip(concat(header1(ByteOrder.LITTLE_ENDIAN, new int[] {64, 64, 4}, 4, 16, 352).array(),
        new byte[4], new byte[64 * 64 * 4 * 2]));
    byte[] corrupt = file.clone();
    for (int i = 20; i < corrupt.length - 8; i += 3) {
      corrupt[i] ^= 0x5a;
    }
    NiftiException e = failure(corrupt);
    assertTrue(e.kind() == NiftiException.Kind.TRUNCATED || e.kind() == NiftiException.Kind.NOT_NIFTI, e.toString());
    byte[] badCrc = file.clone();
    badCrc[badCrc.length - 6] ^= 1; // CRC32 in the trailer
    assertEquals(NiftiException.Kind.TRUNCATED, failure(badCrc).kind());
  }

  @Test
  void notNiftiBytesAreNotNifti() throws IOException {
    byte[] text = "this is a text file, not a NIfTI image\n".repeat(20).getBytes(StandardCharsets.US_ASCII);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    for (byte[] bytes : new byte[][] {text, gzip(text), png, new byte[0], {1, 2}}) {
      assertEquals(NiftiException.Kind.NOT_NIFTI, failure(bytes).kind());
    }
    ByteBuffer analyze = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2}, 2, 8, 0);
    analyze.put(344, (byte) 0).put(345, (byte) 0).put(346, (byte) 0);
    assertEquals(NiftiException.Kind.NOT_NIFTI, failure(concat(analyze.array(), new byte[8])).kind());
    ByteBuffer pair = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2}, 2, 8, 0);
    pair.put(345, (byte) 'i'); // "ni1": the .hdr of a two-file pair
    NiftiException e = failure(concat(pair.array(), new byte[8]));
    assertEquals(NiftiException.Kind.NOT_NIFTI, e.kind());
    assertTrue(e.getMessage().contains("two-file"), e.getMessage());
  }

  @Test
  void nonsenseDimensionsAreABadHeader() {
    for (int[] dims : new int[][] {{0}, {9, 1, 1}}) {
      ByteBuffer h = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2, 2}, 2, 8, 352);
      h.putShort(40, (short) dims[0]);
      assertEquals(NiftiException.Kind.BAD_HEADER, failure(concat(h.array(), new byte[12])).kind());
    }
    ByteBuffer negative = header1(ByteOrder.LITTLE_ENDIAN, new int[] {2, -3}, 2, 8, 352);
    assertEquals(NiftiException.Kind.BAD_HEADER, failure(concat(negative.array(), new byte[12])).kind());
    ByteBuffer huge = header2(ByteOrder.LITTLE_ENDIAN, new int[] {1 << 30, 1 << 30, 1 << 30}, 2, 8, 544);
    assertEquals(NiftiException.Kind.BAD_HEADER, failure(concat(huge.array(), new byte[12])).kind());
  }

  // ---- helpers ------------------------------------------------------------------------------------

  static double[][] identity() {
    return new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static Map<Long, Long> labelCounts(NiftiVolume v) {
    Map<Long, Long> counts = new TreeMap<>();
    for (float f : v.data()) {
      if (f != 0) {
        counts.merge((long) f, 1L, Long::sum);
      }
    }
    return counts;
  }

  static void assertAffine(double[][] expected, double[][] actual, double tolerance) {
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(expected[r][c], actual[r][c], tolerance, "affine[" + r + "][" + c + "] of " + Arrays.deepToString(actual));
      }
    }
  }
}
