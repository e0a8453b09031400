package org.gliomabench.core.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import org.gliomabench.core.brats.Grade;
import org.gliomabench.core.nifti.NiftiDataType;
import org.gliomabench.core.nifti.NiftiWriter;

/**
 * A synthetic glioma cohort in the BraTS 2020 layout, written as real NIfTI files:
 * {@code <dir>/<ID>/<ID>_{t1,t1ce,t2,flair,seg}.nii.gz} (int16, 1 mm voxels, the BraTS affine) and
 * {@code <dir>/name_mapping.csv} with the BraTS 2020 header. It stands in for BraTS where the real data
 * is not at hand (demo, tests, {@code study} without {@code --data}); it is SIMULATED data, and results
 * on it say nothing about gliomas. Exactly {@code round(lggFraction * N)} patients are LGG, at positions
 * shuffled by the seed; the same arguments give the same bytes.
 */
public final class SyntheticCohort {
  /** Image modalities in file-suffix spelling; the segmentation is {@code seg}. */
  public static final List<String> IMAGE_MODALITIES = List.of("t1", "t1ce", "t2", "flair");
  public static final String NAME_MAPPING = "name_mapping.csv";
  public static final String NAME_MAPPING_HEADER = "Grade,BraTS_2017_subject_ID,BraTS_2018_subject_ID,"
      + "TCGA_TCIA_subject_ID,BraTS_2019_subject_ID,BraTS_2020_subject_ID";
  /** Smallest extent per axis that leaves room for a brain with a tumour inside. */
  public static final int MIN_EXTENT = 16;
  /** The marker file synth leaves in its output folder (a patient folder's parent); tells phantoms from real data. */
  public static final String MARKER_FILE = SynthOutputDir.MARKER;
  /** Bumped whenever the generator changes its output for the same arguments. */
  static final int GENERATOR_VERSION = 1;
  private static final String PATIENT_PREFIX = "patient.";
  private static final String BYTES = "bytes";
  /** int16 NIfTI-1, little endian, sform + qform; deflate level 1: the files are written often, read once. */
  private static final NiftiWriter.Options FILE_OPTIONS = NiftiWriter.Options.of(NiftiDataType.INT16)
      .withGzipLevel(Deflater.BEST_SPEED);

  /**
   * What was written; {@code reused} when the folder already held this very cohort, complete and intact,
   * and nothing was rewritten (so file times stay and a resumed ingest sees unchanged input).
   */
  public record Summary(Path dir, int[] shape, long seed, List<SyntheticPatient> patients, boolean reused) {
    public long count(Grade grade) {
      return patients.stream().filter(p -> p.grade() == grade).count();
    }

    /** The files written: five per patient plus name_mapping.csv. */
    public int files() {
      return patients.size() * (IMAGE_MODALITIES.size() + 1) + 1;
    }
  }

  private SyntheticCohort() {}

  public static Summary write(Path dir, int patients, double lggFraction, int[] shapeXYZ, long seed) throws IOException {
    return write(dir, patients, lggFraction, shapeXYZ, seed, p -> { });
  }

  /**
   * Writes the cohort into {@code dir}, which must be new, empty, or a previous synth output (then it is
   * overwritten, unless it already is this cohort, intact); {@code progress} hears of each patient once its
   * files are on disk.
   */
  public static Summary write(Path dir, int patients, double lggFraction, int[] shapeXYZ, long seed,
      Consumer<SyntheticPatient> progress) throws IOException {
    validate(patients, lggFraction, shapeXYZ);
    int[] shape = shapeXYZ.clone();
    List<Grade> grades = grades(patients, lggFraction, seed);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("generator.version", Integer.toString(GENERATOR_VERSION));
    parameters.put("patients", Integer.toString(patients));
    parameters.put("lgg.fraction", Double.toString(lggFraction));
    parameters.put("shape", shape[0] + "," + shape[1] + "," + shape[2]);
    parameters.put("seed", Long.toString(seed));
    List<SyntheticPatient> previous = intactPrevious(dir, parameters, patients);
    if (previous != null) {
      return new Summary(dir, shape, seed, previous, true);
    }
    SynthOutputDir.prepare(dir);
    SynthOutputDir.mark(dir, parameters, false);

    PhantomGenerator generator = new PhantomGenerator(shape);
    double[][] affine = affine(shape);
    // Patients are independent (one seeded stream each), so they are made in parallel and the bytes
    // do not depend on the thread count; progress is still reported in patient order.
    int threads = Math.max(1, Math.min(patients, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "synth-writer");
      t.setDaemon(true);
      return t;
    });
    List<SyntheticPatient> written = new ArrayList<>();
    try {
      List<Future<SyntheticPatient>> futures = new ArrayList<>();
      for (int i = 0; i < patients; i++) {
        int index = i;
        futures.add(pool.submit(() -> writePatient(dir, generator, affine, shape, patientId(index + 1, patients),
            grades.get(index), patientSeed(seed, index))));
      }
      for (Future<SyntheticPatient> f : futures) {
        SyntheticPatient p = get(f);
        written.add(p);
        progress.accept(p);
      }
    } finally {
      pool.shutdownNow();
    }
    Files.writeString(dir.resolve(NAME_MAPPING), nameMapping(written), StandardCharsets.UTF_8);
    Map<String, String> record = new LinkedHashMap<>(parameters);
    for (SyntheticPatient p : written) {
      record.put(PATIENT_PREFIX + p.id(), p.grade().name() + "," + p.label1Voxels() + "," + p.label2Voxels() + ","
          + p.label4Voxels());
    }
    record.put(BYTES, Long.toString(bytes(dir, written)));
    SynthOutputDir.mark(dir, record, true);
    return new Summary(dir, shape, seed, Collections.unmodifiableList(written), false);
  }

  /**
   * The patients of a complete earlier output written with the same parameters whose files are all still
   * there with the recorded total size; null when anything differs (then the cohort is written anew).
   */
  private static List<SyntheticPatient> intactPrevious(Path dir, Map<String, String> parameters, int patients)
      throws IOException {
    Map<String, String> marker = SynthOutputDir.readMarker(dir);
    if (!"complete".equals(marker.get("status"))) {
      return null;
    }
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (!e.getValue().equals(marker.get(e.getKey()))) {
        return null;
      }
    }
    List<SyntheticPatient> out = new ArrayList<>();
    for (int i = 1; i <= patients; i++) {
      String id = patientId(i, patients);
      String[] f = marker.getOrDefault(PATIENT_PREFIX + id, "").split(",");
      if (f.length != 4) {
        return null;
      }
      try {
        out.add(new SyntheticPatient(id, Grade.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
            Integer.parseInt(f[3])));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    try {
      return Long.toString(bytes(dir, out)).equals(marker.get(BYTES)) ? Collections.unmodifiableList(out) : null;
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  /** Total size of the cohort's files (throws NoSuchFileException when one is missing). */
  private static long bytes(Path dir, List<SyntheticPatient> patients) throws IOException {
    long total = Files.size(dir.resolve(NAME_MAPPING));
    for (SyntheticPatient p : patients) {
      for (String m : IMAGE_MODALITIES) {
        total += Files.size(dir.resolve(p.id()).resolve(p.id() + "_" + m + ".nii.gz"));
      }
      total += Files.size(dir.resolve(p.id()).resolve(p.id() + "_seg.nii.gz"));
    }
    return total;
  }

  private static SyntheticPatient writePatient(Path dir, PhantomGenerator generator, double[][] affine, int[] shape,
      String id, Grade grade, long seed) throws IOException {
    PhantomGenerator.Phantom ph = generator.generate(grade, new Random(seed));
    Path pdir = Files.createDirectories(dir.resolve(id));
    for (int m = 0; m < IMAGE_MODALITIES.size(); m++) {
      NiftiWriter.write(pdir.resolve(id + "_" + IMAGE_MODALITIES.get(m) + ".nii.gz"), shape, ph.images()[m], affine,
          FILE_OPTIONS);
    }
    NiftiWriter.write(pdir.resolve(id + "_seg.nii.gz"), shape, ph.seg(), affine, FILE_OPTIONS);
    return new SyntheticPatient(id, grade, ph.label1(), ph.label2(), ph.label4());
  }

  private static SyntheticPatient get(Future<SyntheticPatient> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the synthetic cohort", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IOException(cause);
    }
  }

  /** Whether {@code dir} holds a complete synth output (its marker says so). */
  public static boolean isCompleteOutput(Path dir) throws IOException {
    return "complete".equals(SynthOutputDir.readMarker(dir).get("status"));
  }

  /** Whether {@code dir} holds a synth output, complete or not (so synth may overwrite it). */
  public static boolean isSynthOutput(Path dir) throws IOException {
    return !SynthOutputDir.readMarker(dir).isEmpty();
  }

  /** Exactly round(lggFraction * n) LGG, shuffled by the seed. */
  static List<Grade> grades(int n, double lggFraction, long seed) {
    int lgg = (int) Math.round(lggFraction * n);
    List<Grade> grades = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      grades.add(i < lgg ? Grade.LGG : Grade.HGG);
    }
    Collections.shuffle(grades, new Random(seed));
    return grades;
  }

  /** {@code Synth_001}: three digits, more when the cohort needs them (so names sort in order). */
  public static String patientId(int number, int patients) {
    int digits = Math.max(3, Integer.toString(patients).length());
    return String.format(Locale.ROOT, "Synth_%0" + digits + "d", number);
  }

  /** As in BraTS: x and y flipped (LPS storage to RAS world), 1 mm, y offset to the last row. */
  public static double[][] affine(int[] shape) {
    return new double[][] {{-1, 0, 0, 0}, {0, -1, 0, shape[1] - 1}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  }

  static String nameMapping(List<SyntheticPatient> patients) {
    StringBuilder sb = new StringBuilder(NAME_MAPPING_HEADER).append('\n');
    for (SyntheticPatient p : patients) {
      sb.append(p.grade().name()).append(",NA,NA,NA,NA,").append(p.id()).append('\n');
    }
    return sb.toString();
  }

  private static long patientSeed(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1); // splitmix64 finaliser: well-spread seeds per patient
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void validate(int patients, double lggFraction, int[] shape) {
    if (patients < 1) {
      throw new IllegalArgumentException("the synthetic cohort needs at least 1 patient, got " + patients);
    }
    if (!(lggFraction >= 0 && lggFraction <= 1)) {
      throw new IllegalArgumentException("the LGG fraction must be in 0..1, got " + lggFraction);
    }
    if (shape == null || shape.length != 3) {
      throw new IllegalArgumentException("the synthetic shape must be x,y,z, got " + Arrays.toString(shape));
    }
    for (int s : shape) {
      if (s < MIN_EXTENT || s > Short.MAX_VALUE) {
        throw new IllegalArgumentException("the synthetic shape " + Arrays.toString(shape) + " needs every extent in "
            + MIN_EXTENT + ".." + Short.MAX_VALUE);
      }
    }
  }
}
