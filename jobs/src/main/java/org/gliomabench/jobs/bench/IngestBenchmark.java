package org.gliomabench.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gliomabench.core.Tables;
import org.gliomabench.core.brats.Modality;
import org.gliomabench.core.brats.PatientFiles;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.ingest.IngestOptions;
import org.gliomabench.core.ingest.PatientProcessor;
import org.gliomabench.core.ingest.PatientResult;
import org.gliomabench.core.ingest.PatientTask;
import org.gliomabench.core.nifti.NiftiReader;
import org.gliomabench.jobs.cli.JobContext;

/**
 * {@code bench ingest}: seconds per patient on real cases, measured side by side in one run:
 * the gunzip floor (the gzip tool and in-JVM zlib on the same files), our read + crop + resize, our full
 * per-patient ingest (plus every slice rendered to PNG), and nibabel + numpy doing the same read, crop and
 * resize. Medians of {@code --set bench.ingest.repeat=N} runs after one warm-up.
 */
public final class IngestBenchmark implements BenchCommand.Benchmark {
  private static final String DEFAULT_DATA = "../shared/data/brats-mini";

  @Override
  public String summary() {
    return "ingest s/patient vs the gunzip floor and vs nibabel+numpy (real cases; --data DIR)";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    Path data = Path.of(s.get(ConfigKeys.DATA_DIR, DEFAULT_DATA));
    if (!Files.isDirectory(data)) {
      throw new ConfigException("bench ingest needs real cases: --set data.dir=DIR (default " + DEFAULT_DATA + ")");
    }
    int repeat = s.getInt(ConfigKeys.BENCH_INGEST_REPEAT);
    IngestOptions full = IngestOptions.from(s);
    IngestOptions tensorOnly = new IngestOptions(full.cropExtentXyz(), full.volumeShapeDhw(), List.of(),
        full.sliceScope(), full.windowLowPercentile(), full.windowHighPercentile(), false);

    List<PatientFiles> patients = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(data)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
          names = files.map(p -> p.getFileName().toString()).toList();
        }
        PatientFiles f = PatientFiles.resolve(dir.getFileName().toString(), dir.toString(), names);
        if (f.has(Modality.SEG) && f.missingImages().isEmpty()) {
          patients.add(f);
        }
      }
    }
    if (patients.isEmpty()) {
      throw new ConfigException("no four-modality patient under " + data);
    }
    System.out.printf("bench ingest: %d four-modality patients under %s, shape %s, extent %s, median of %d%n",
        patients.size(), data, Arrays.toString(full.volumeShapeDhw()), Arrays.toString(full.cropExtentXyz()), repeat);

    double gzipTool = 0;
    double zlib = 0;
    double ours = 0;
    double oursFull = 0;
    for (PatientFiles f : patients) {
      List<Path> files = new ArrayList<>();
      for (Modality m : Modality.values()) {
        files.add(Path.of(f.path(m)));
      }
      PatientTask task = new PatientTask(f, "HGG", "bench", Tables.Segmentation.REFERENCE_CONSENSUS);
      PatientProcessor tensor = new PatientProcessor(tensorOnly, p -> NiftiReader.read(Path.of(p)));
      PatientProcessor everything = new PatientProcessor(full, p -> NiftiReader.read(Path.of(p)));
      gzipTool += median(repeat, () -> gunzipTool(files));
      zlib += median(repeat, () -> inflate(files));
      ours += median(repeat, () -> check(tensor.process(task)));
      oursFull += median(repeat, () -> check(everything.process(task)));
    }
    int n = patients.size();
    gzipTool /= n;
    zlib /= n;
    ours /= n;
    oursFull /= n;
    Double nibabel = nibabel(patients, full, repeat);

    System.out.println();
    System.out.printf("%-52s %10s %12s%n", "s/patient (4 modalities + seg)", "seconds", "vs gunzip");
    row("gunzip -c > /dev/null (floor)", gzipTool, gzipTool);
    row("in-JVM zlib inflate (same files)", zlib, gzipTool);
    row("glioma-bench read + crop + resize (CNN tensor)", ours, gzipTool);
    row("glioma-bench full ingest (+ " + full.planes().size() + " planes of PNG slices)", oursFull, gzipTool);
    if (nibabel != null) {
      row("nibabel + numpy read + crop + resize", nibabel, gzipTool);
      System.out.println();
      System.out.printf("ours / gunzip floor   = %.2f   (target <= 1.5)%n", ours / gzipTool);
      System.out.printf("ours / nibabel+numpy  = %.2f   (target < 1.0)%n", ours / nibabel);
    } else {
      System.out.printf("%nours / gunzip floor   = %.2f   (target <= 1.5); nibabel not measured (see above)%n", ours / gzipTool);
    }
    return 0;
  }

  private static void row(String what, double secs, double floor) {
    System.out.printf("%-52s %10.3f %11.2fx%n", what, secs, secs / floor);
  }

  private static Object check(PatientResult r) {
    if (!r.accepted()) {
      throw new IllegalStateException("bench patient rejected: " + r.issues());
    }
    return r;
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static double median(int repeat, Work w) throws Exception {
    w.run();
    double[] t = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      w.run();
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t[repeat / 2];
  }

  private static Object gunzipTool(List<Path> files) throws Exception {
    for (Path f : files) {
      if (!f.toString().endsWith(".gz")) {
        continue;
      }
      Process p = new ProcessBuilder("gzip", "-dc", f.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor() != 0) {
        throw new IOException("gzip -dc " + f + " failed");
      }
    }
    return null;
  }

  private static Object inflate(List<Path> files) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (Path f : files) {
      try (InputStream in = f.toString().endsWith(".gz")
          ? new GZIPInputStream(Files.newInputStream(f), 1 << 16) : Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
        }
      }
    }
    return total;
  }

  /** Runs scripts/bench_ingest_nibabel.py; null (and says why) when Python or nibabel is missing. */
  private static Double nibabel(List<PatientFiles> patients, IngestOptions o, int repeat) throws InterruptedException {
    Path script = Path.of("scripts/bench_ingest_nibabel.py");
    if (!Files.exists(script)) {
      System.out.println("nibabel: scripts/bench_ingest_nibabel.py not found (run from the project root)");
      return null;
    }
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--repeat", String.valueOf(repeat),
        "--extent", join(o.cropExtentXyz()), "--shape", join(o.volumeShapeDhw())));
    patients.forEach(p -> cmd.add(p.folder()));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        System.out.println("nibabel: the script failed (pip install nibabel numpy)");
        return null;
      }
      JsonNode json = new ObjectMapper().readTree(out);
      double sum = 0;
      for (JsonNode v : json.get("seconds_per_patient")) {
        sum += v.asDouble();
      }
      System.out.println("nibabel " + json.get("nibabel").asText() + ", numpy " + json.get("numpy").asText());
      return sum / json.get("seconds_per_patient").size();
    } catch (IOException e) {
      System.out.println("nibabel: cannot run python3 (" + e.getMessage() + ")");
      return null;
    }
  }

  private static String join(int[] a) {
    return String.join(",", Arrays.stream(a).mapToObj(String::valueOf).toList());
  }
}
