package org.gliomabench.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The launcher listener has configured the backend before any test class loaded ND4J. */
class NativeBackendTest {
  @Test
  void theBuildThatLoadedMatchesTheCpu() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux only");
    Nd4j.create(2, 2).addi(1);
    String property = System.getProperty(NativeBackend.EXTENSION_PROPERTY);
    assertNotNull(property, "configure() always sets the property");
    String expected = property.equals(NativeBackend.ONEDNN_AVX2) ? "onednn-avx2" : "plain";
    assertEquals(expected, NativeBackend.loadedBuild(), NativeBackend.loadedLibrary().orElse("?"));
    if (System.getProperty("gliomabench.test.explicitBackend") == null) {
      assertEquals(NativeBackend.cpuHasAvx2() ? "onednn-avx2" : "plain", NativeBackend.loadedBuild());
    }
  }
}
