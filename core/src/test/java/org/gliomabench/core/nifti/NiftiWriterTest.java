package org.gliomabench.core.nifti;

import static org.gliomabench.core.nifti.NiftiReaderTest.assertAffine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer, through the reader and through the raw bytes it puts on disk. */
class NiftiWriterTest {
  private static final int[] SHAPE = {5, 4, 3};
  private static final double[][] AFFINE = {{-1.5, 0, 0, 90}, {0, -1.25, 0, 126}, {0, 0, 2, -72}, {0, 0, 0, 1}};

  @TempDir
  Path tmp;

  private static float[] values(NiftiDataType t) {
    float[] v = NiftiCrossCheck.sampleValues(t, 5);
    float[] out = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
    System.arraycopy(v, 0, out, 0, out.length - 1);
    out[out.length - 1] = v[v.length - 1]; // keep the type's maximum
    return out;
  }

  private static byte[] write(float[] data, double[][] affine, NiftiWriter.Options o) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NiftiWriter.write(out, SHAPE, data, affine, o);
    return out.toByteArray();
  }

  private static byte[] plain(byte[] file) throws IOException {
    if ((file[0] & 0xff) != 0x1f) {
      return file;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
      return in.readAllBytes();
    }
  }

  @Test
  void everyTypeOrderVersionAndCompressionRoundTrips() throws IOException {
    for (NiftiDataType t : NiftiDataType.values()) {
      float[] data = values(t);
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        for (int version = 1; version <= 2; version++) {
          for (boolean gzip : new boolean[] {false, true}) {
            String what = t + " " + order + " v" + version + (gzip ? " gz" : "");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NiftiWriter.write(out, SHAPE, data, AFFINE, t, order, version, gzip);
            byte[] file = out.toByteArray();
            assertEquals(gzip, (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b, what);
            byte[] raw = plain(file);
            assertEquals((version == 1 ? 352 : 544) + data.length * t.bytesPerVoxel(), raw.length, what);
            assertEquals(version == 1 ? 348 : 540, ByteBuffer.wrap(raw).order(order).getInt(0), what);

            NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(file));
            assertEquals(version, v.header().version(), what);
            assertEquals(order, v.header().byteOrder(), what);
            assertEquals(t, v.header().dataType(), what);
            assertEquals(version == 1 ? 352 : 544, v.header().voxOffset(), what);
            assertArrayEquals(SHAPE, v.shape(), what);
            assertArrayEquals(data, v.data(), what);
            assertArrayEquals(new double[] {1.5, 1.25, 2}, v.voxelSize(), 1e-6, what);
            assertAffine(AFFINE, v.affine(), 1e-5);
            assertEquals(1, v.header().qformCode());
            assertEquals(1, v.header().sformCode());
          }
        }
      }
    }
  }

  @Test
  void pathWriterGzipsExactlyWhenTheNameEndsInGz() throws IOException {
    float[] data = values(NiftiDataType.INT16);
    Path gz = tmp.resolve("a.nii.gz");
    Path nii = tmp.resolve("a.nii");
    NiftiWriter.write(gz, SHAPE, data, AFFINE, NiftiDataType.INT16);
    NiftiWriter.write(nii, SHAPE, data, AFFINE, NiftiDataType.INT16);
    byte[] g = Files.readAllBytes(gz);
    byte[] n = Files.readAllBytes(nii);
    assertTrue((g[0] & 0xff) == 0x1f && (g[1] & 0xff) == 0x8b);
    assertEquals(348, ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getInt(0)); // NIfTI-1, little endian
    assertArrayEquals(n, plain(g));
    assertArrayEquals(data, NiftiReader.read(gz).data());
  }

  @Test
  void sameInputGivesTheSameBytes() throws IOException {
    float[] data = values(NiftiDataType.FLOAT32);
    Path a = tmp.resolve("a.nii.gz");
    Path b = tmp.resolve("b.nii.gz");
    NiftiWriter.write(a, SHAPE, data, AFFINE, NiftiDataType.FLOAT32);
    NiftiWriter.write(b, SHAPE, data, AFFINE, NiftiDataType.FLOAT32);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void scalingStoresRawValuesAndTheReaderRestoresThem() throws IOException {
    float[] data = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
    for (int i = 0; i < data.length; i++) {
      data[i] = -3 + 0.5f * (i - 20); // exactly representable at slope 0.5, inter -3
    }
    byte[] file = write(data, AFFINE, NiftiWriter.Options.of(NiftiDataType.INT16).withScaling(0.5, -3).withGzip(false));
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0.5f, b.getFloat(112));
    assertEquals(-3f, b.getFloat(116));
    assertEquals(-20, b.getShort(352)); // stored (value - inter) / slope
    assertEquals(19, b.getShort(352 + 2 * 39));
    NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(file));
    assertTrue(v.header().hasScaling());
    assertArrayEquals(data, v.data());
  }

  @Test
  void integerTypesSaturateInsteadOfWrapping() throws IOException {
    float[] data = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
    data[0] = 40000;
    data[1] = -40000;
    data[2] = Float.NaN;
    data[3] = 2.5f; // rounds half up
    data[4] = -0.4f;
    float[] int16 = NiftiReader.read(new ByteArrayInputStream(write(data, AFFINE,
        NiftiWriter.Options.of(NiftiDataType.INT16)))).data();
    assertArrayEquals(new float[] {32767, -32768, 0, 3, 0}, java.util.Arrays.copyOf(int16, 5));
    float[] uint8 = NiftiReader.read(new ByteArrayInputStream(write(data, AFFINE,
        NiftiWriter.Options.of(NiftiDataType.UINT8)))).data();
    assertArrayEquals(new float[] {255, 0, 0, 3, 0}, java.util.Arrays.copyOf(uint8, 5));
  }

  @Test
  void anExtensionMovesVoxOffsetAndIsWellFormed() throws IOException {
    for (int version = 1; version <= 2; version++) {
      float[] data = values(NiftiDataType.UINT16);
      byte[] file = plain(write(data, AFFINE,
          NiftiWriter.Options.of(NiftiDataType.UINT16).withExtension(40).withVersion(version).withGzip(false)));
      int header = version == 1 ? 348 : 540;
      ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(1, file[header], "extender flag");
      int esize = b.getInt(header + 4);
      assertEquals(48, esize, "8 bytes of esize/ecode + 40 of payload, a multiple of 16");
      assertEquals(6, b.getInt(header + 8), "ecode: comment");
      long voxOffset = version == 1 ? (long) b.getFloat(108) : b.getLong(168);
      assertEquals(header + 4 + esize, voxOffset);
      NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(file));
      assertEquals(voxOffset, v.header().voxOffset());
      assertArrayEquals(data, v.data());
    }
  }

  @Test
  void qformOnlyCarriesAnObliqueFlippedAffine() throws IOException {
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    double[][] oblique = {{c * 2, -s * 3, 0, 10}, {s * 2, c * 3, 0, -20}, {0, 0, -4, 30}, {0, 0, 0, 1}};
    for (int version = 1; version <= 2; version++) {
      byte[] file = write(values(NiftiDataType.FLOAT32), oblique,
          NiftiWriter.Options.of(NiftiDataType.FLOAT32).qformOnly().withVersion(version));
      NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(file));
      assertEquals(0, v.header().sformCode());
      assertEquals(1, v.header().qformCode());
      assertAffine(oblique, v.affine(), version == 1 ? 1e-5 : 1e-12);
      assertArrayEquals(new double[] {2, 3, 4}, v.voxelSize(), 1e-6);
    }
  }

  @Test
  void theQformAloneReproducesTheBratsAffine() throws IOException {
    double[][] brats = {{-1, 0, 0, 0}, {0, -1, 0, 239}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    byte[] file = plain(write(values(NiftiDataType.INT16), brats, NiftiWriter.Options.of(NiftiDataType.INT16)));
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort(254, (short) 0); // drop the sform
    NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(file));
    assertEquals(0, v.header().sformCode());
    assertAffine(brats, v.affine(), 1e-6);
  }

  @Test
  void fourDimensionalImagesKeepTheirVolumes() throws IOException {
    int[] shape = {3, 2, 2, 4};
    float[] data = new float[48];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NiftiWriter.write(out, shape, data, AFFINE, NiftiDataType.INT32, ByteOrder.BIG_ENDIAN, 2, true);
    NiftiVolume v = NiftiReader.read(new ByteArrayInputStream(out.toByteArray()));
    assertArrayEquals(shape, v.shape());
    assertEquals(2 + 3 * (1 + 2 * (1 + 2 * 3)), v.get(2, 1, 1, 3));
    assertEquals(47f, v.get(2, 1, 1, 3));
  }

  @Test
  void refusesInconsistentArguments() {
    assertThrows(IllegalArgumentException.class, () -> write(new float[7], AFFINE, NiftiWriter.Options.of(NiftiDataType.UINT8)));
    assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(new ByteArrayOutputStream(), new int[] {40000, 1, 1},
        new float[40000], AFFINE, NiftiDataType.UINT8, ByteOrder.LITTLE_ENDIAN, 1, false));
    assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(new ByteArrayOutputStream(), SHAPE,
        new float[60], AFFINE, NiftiDataType.UINT8, ByteOrder.LITTLE_ENDIAN, 3, false));
  }
}
