package org.gliomabench.jobs.cnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which GPUs the CUDA build can run. nd4j-cuda-11.6 1.0.0-M2.1's native library carries machine code (cubins) for
 * compute capabilities 3.7 to 8.6 and no PTX that the driver could compile for newer GPUs. A cubin runs on GPUs of
 * its major version with an equal or higher minor one, so Ampere and Ada (8.0-8.9) run it; Hopper (9.0) and
 * Blackwell (10.x, 12.x) have no code to run and fail at their first kernel. The executor plugin checks the GPUs
 * Spark gave it before ND4J starts, from {@code nvidia-smi}.
 */
public final class CudaCompatibility {
  /** Oldest and newest compute capability with machine code in the build, as major * 10 + minor. */
  static final int OLDEST = 37;
  static final int NEWEST_MAJOR = 8;

  /** A class only the CUDA build of ND4J has. */
  static final String CUDA_ENVIRONMENT = "org.nd4j.jita.conf.CudaEnvironment";

  private CudaCompatibility() {}

  /** Whether this JVM has ND4J's CUDA build (the jar was packaged with -Pcuda). */
  static boolean cudaBuild() {
    try {
      Class.forName(CUDA_ENVIRONMENT, false, CudaCompatibility.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** One GPU as nvidia-smi reports it. */
  public record Gpu(String index, String name, int major, int minor) {
    String capability() {
      return major + "." + minor;
    }
  }

  /** Null when the build runs on {@code gpu}, else why not and what to use instead. */
  public static String refusal(Gpu gpu) {
    int cc = gpu.major() * 10 + gpu.minor();
    if (cc >= OLDEST && gpu.major() <= NEWEST_MAJOR) {
      return null;
    }
    return "GPU " + gpu.index() + " (" + gpu.name() + ", compute capability " + gpu.capability() + ") cannot run "
        + "ND4J's CUDA build (nd4j-cuda-11.6 1.0.0-M2.1): its native code covers compute capabilities 3.7 to 8.x only "
        + "(Kepler K80 to Ampere and Ada) and has no PTX for " + (cc < OLDEST ? "older" : "newer") + " GPUs, so "
        + "its first kernel would fail. Use CPU executors (GLIOMA_BENCH_PROFILE=cpu with the jar built without "
        + "-Pcuda) or nodes with an Ampere or Ada GPU (A100, A10, A40, L4, L40, RTX 30xx/40xx).";
  }

  /** Parses {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader}. */
  public static List<Gpu> parse(List<String> lines) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split(",");
      if (f.length < 3) {
        continue;
      }
      String cap = f[f.length - 1].trim();
      String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, f.length - 1)).trim();
      int dot = cap.indexOf('.');
      try {
        gpus.add(new Gpu(f[0].trim(), name, Integer.parseInt(cap.substring(0, dot)),
            Integer.parseInt(cap.substring(dot + 1))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot read nvidia-smi's line '" + line + "'", e);
      }
    }
    return gpus;
  }

  /** This node's GPUs from nvidia-smi; empty when it is missing or fails (then nothing can be checked). */
  static List<Gpu> query() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      }
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return List.of();
      }
      return parse(lines);
    } catch (IOException | RuntimeException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}
