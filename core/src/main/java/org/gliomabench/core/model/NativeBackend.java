package org.gliomabench.core.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses ND4J's CPU build before ND4J loads. Both nd4j-native builds are on the classpath (plain
 * {@code linux-x86_64} and {@code linux-x86_64-onednn-avx2}); JavaCPP's Loader picks among them by the
 * {@value #EXTENSION_PROPERTY} system property. Left unset it tries the preset's own extension list first
 * and so loads the oneDNN AVX2 build whenever that jar is present, even on a CPU without AVX2 (where it
 * would die of an illegal instruction). So we always set it: {@value #ONEDNN_AVX2} where the CPU has AVX2,
 * empty (the plain build) otherwise. An explicit {@code -D} setting wins.
 *
 * <p>Call {@link #configure()} first thing in every JVM that may use ND4J: {@code Main}, the Spark executor
 * plugin, and the test launcher listener.
 */
public final class NativeBackend {
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  public static final String ONEDNN_AVX2 = "-onednn-avx2";
  private static final String ONEDNN_LIBRARY =
      "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so";

  private static String decision;

  private NativeBackend() {}

  /** Sets the extension property unless already set; returns a one-line description of the choice. */
  public static synchronized String configure() {
    if (decision != null) {
      return decision;
    }
    String explicit = System.getProperty(EXTENSION_PROPERTY);
    if (explicit != null) {
      decision = "nd4j-native build chosen by -D" + EXTENSION_PROPERTY + "='" + explicit + "'";
      return decision;
    }
    boolean avx2 = cpuHasAvx2();
    boolean onednnPresent = NativeBackend.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null;
    String extension = avx2 && onednnPresent ? ONEDNN_AVX2 : "";
    System.setProperty(EXTENSION_PROPERTY, extension);
    decision = extension.isEmpty()
        ? "nd4j-native plain build (" + (avx2 ? "oneDNN AVX2 build not on the classpath" : "CPU without AVX2") + ")"
        : "nd4j-native oneDNN AVX2 build (CPU has AVX2)";
    return decision;
  }

  /** True when /proc/cpuinfo lists the avx2 flag; false where it cannot be read (the safe choice). */
  public static boolean cpuHasAvx2() {
    return cpuFlags().map(flags -> flags.contains("avx2")).orElse(false);
  }

  static Optional<List<String>> cpuFlags() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.toLowerCase(Locale.ROOT).startsWith("flags")) {
          int colon = line.indexOf(':');
          return Optional.of(List.of(line.substring(colon + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The native ND4J library this process has actually mapped (read from /proc/self/maps), e.g.
   * ".../linux-x86_64-onednn-avx2/libnd4jcpu.so"; empty before ND4J loaded or off Linux.
   */
  public static Optional<String> loadedLibrary() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
        int slash = line.indexOf('/');
        if (slash >= 0 && (line.endsWith("/libnd4jcpu.so") || line.endsWith("/libnd4jcuda.so"))) {
          return Optional.of(line.substring(slash));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** "onednn-avx2", "plain", "cuda" or "not loaded", from {@link #loadedLibrary()}. */
  public static String loadedBuild() {
    return loadedLibrary().map(p -> p.contains("cuda") ? "cuda"
        : p.contains("-onednn-avx2/") ? "onednn-avx2" : "plain").orElse("not loaded");
  }
}
