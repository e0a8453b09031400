package org.gliomabench.core.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java half of scripts/nifti_crosscheck.py: the samples it writes and the facts it prints. */
class NiftiCrossCheckTest {

  @TempDir
  Path tmp;

  @Test
  void samplesCoverEveryTypeOrderAndVersionAndReadBack() throws IOException {
    List<Path> files = NiftiCrossCheck.writeSamples(tmp);
    assertEquals(NiftiDataType.values().length * 4 + 4, files.size());
    for (Path f : files) {
      NiftiVolume v = NiftiReader.read(f);
      assertEquals(f.getFileName().toString().endsWith(".gz"), (Files.readAllBytes(f)[0] & 0xff) == 0x1f, f.toString());
      assertEquals(f.getFileName().toString().contains("_be"), v.header().byteOrder() == java.nio.ByteOrder.BIG_ENDIAN);
    }
  }

  @Test
  void statsReportSumsProbesAndLabelHistogram() throws IOException {
    Path f = tmp.resolve("labels.nii.gz");
    float[] labels = new float[4 * 3 * 2];
    labels[5] = 2;
    labels[6] = 2;
    labels[23] = 4;
    NiftiWriter.write(f, new int[] {4, 3, 2}, labels, NiftiReaderTest.identity(), NiftiDataType.UINT8);
    String json = NiftiCrossCheck.stats(f);
    assertTrue(json.contains("\"dtype\":\"UINT8\""), json);
    assertTrue(json.contains("\"shape\":[4,3,2]"), json);
    assertTrue(json.contains("\"sum\":8.0"), json);
    assertTrue(json.contains("\"nonzero\":3"), json);
    assertTrue(json.contains("\"histogram\":{\"0\":21,\"2\":2,\"4\":1}"), json);
    assertTrue(json.contains("{\"ijk\":[3,2,1],\"value\":4.0}"), "the argmax probe: " + json);
  }

  @Test
  void statsReportTheErrorKindOfABadFile() throws IOException {
    Path f = tmp.resolve("bad.nii");
    Files.writeString(f, "not an image");
    String json = NiftiCrossCheck.stats(f);
    assertTrue(json.contains("\"error_kind\":\"NOT_NIFTI\""), json);
  }
}
