package org.gliomabench.core.nifti;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Java side of {@code scripts/nifti_crosscheck.py}, which compares this reader with nibabel:
 * <pre>
 *   java -cp core/target/classes org.gliomabench.core.nifti.NiftiCrossCheck --write-samples DIR
 *   java -cp core/target/classes org.gliomabench.core.nifti.NiftiCrossCheck FILE...
 * </pre>
 * The first writes one file per writer variant (every data type, both byte orders, NIfTI-1 and -2, gzip
 * or not, scaling, an extension, qform only) and prints their paths; the second prints one JSON line of
 * facts per file (header, affine, sums after scaling, probe voxels, value histogram for label images).
 * Needs nothing but this package on the class path.
 */
public final class NiftiCrossCheck {
  /** Integer-valued images with at most this many distinct values get a histogram (label maps). */
  static final int MAX_HISTOGRAM_VALUES = 32;
  static final int[] SAMPLE_SHAPE = {13, 11, 7};

  private NiftiCrossCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0 || args[0].equals("--help")) {
      System.err.println("usage: NiftiCrossCheck --write-samples DIR | FILE...");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args[0].equals("--write-samples")) {
      for (Path p : writeSamples(Path.of(args[1]))) {
        out.println(p);
      }
      return;
    }
    for (String f : args) {
      out.println(stats(Path.of(f)));
    }
  }

  /** One file per writer variant, with values that exercise sign, scaling and range of each type. */
  public static List<Path> writeSamples(Path dir) throws IOException {
    Files.createDirectories(dir);
    double[][] affine = {{-1.5, 0, 0, 90}, {0, -1.25, 0, 126}, {0, 0, 2, -72}, {0, 0, 0, 1}};
    // A rotated, oblique affine: the qform must carry the rotation and qfac.
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    double[][] oblique = {{c, -s, 0, 10}, {s, c, 0, -20}, {0, 0, -2, 30}, {0, 0, 0, 1}};
    List<Path> written = new ArrayList<>();
    for (NiftiDataType t : NiftiDataType.values()) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        for (int version = 1; version <= 2; version++) {
          boolean gzip = version == 1 ^ order == ByteOrder.BIG_ENDIAN;
          String name = String.format(Locale.ROOT, "%s_%s_v%d.nii%s", t.name().toLowerCase(Locale.ROOT),
              order == ByteOrder.BIG_ENDIAN ? "be" : "le", version, gzip ? ".gz" : "");
          written.add(write(dir.resolve(name), sampleValues(t, 0), affine,
              NiftiWriter.Options.of(t).withOrder(order).withVersion(version).withGzip(gzip)));
        }
      }
    }
    written.add(write(dir.resolve("int16_scaled_ext.nii.gz"), sampleValues(NiftiDataType.FLOAT32, 1), affine,
        NiftiWriter.Options.of(NiftiDataType.INT16).withScaling(0.5, -3).withExtension(40)));
    written.add(write(dir.resolve("uint8_scaled_v2_ext_be.nii"), sampleValues(NiftiDataType.UINT8, 2), affine,
        NiftiWriter.Options.of(NiftiDataType.UINT8).withScaling(2, 10).withExtension(100).withVersion(2)
            .withOrder(ByteOrder.BIG_ENDIAN).withGzip(false)));
    written.add(write(dir.resolve("float32_qform_only_oblique.nii.gz"), sampleValues(NiftiDataType.FLOAT32, 3),
        oblique, NiftiWriter.Options.of(NiftiDataType.FLOAT32).qformOnly()));
    written.add(write(dir.resolve("int16_qform_only_v2_be.nii.gz"), sampleValues(NiftiDataType.INT16, 4),
        oblique, NiftiWriter.Options.of(NiftiDataType.INT16).qformOnly().withVersion(2).withOrder(ByteOrder.BIG_ENDIAN)));
    return written;
  }

  private static Path write(Path file, float[] data, double[][] affine, NiftiWriter.Options o) throws IOException {
    NiftiWriter.write(file, SAMPLE_SHAPE, data, affine, o);
    return file;
  }

  /** Deterministic values inside the type's range, reaching its extremes, with a seed to vary them. */
  static float[] sampleValues(NiftiDataType t, int seed) {
    int n = SAMPLE_SHAPE[0] * SAMPLE_SHAPE[1] * SAMPLE_SHAPE[2];
    double[] range;
    switch (t) {
      case UINT8: range = new double[] {0, 255}; break;
      case INT8: range = new double[] {-128, 127}; break;
      case INT16: range = new double[] {-32768, 32767}; break;
      case UINT16: range = new double[] {0, 65535}; break;
      case INT32: range = new double[] {-1_000_000, 1_000_000}; break; // exact in float32
      default: range = new double[] {-1000.5, 2000.25}; break;
    }
    boolean integral = t != NiftiDataType.FLOAT32 && t != NiftiDataType.FLOAT64;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double u = ((i * 7919L + seed * 104729L) % 1000) / 999.0;
      double x = range[0] + u * (range[1] - range[0]);
      v[i] = (float) (integral ? Math.rint(x) : x);
    }
    v[0] = (float) range[0];
    v[n - 1] = (float) range[1];
    return v;
  }

  /** The facts nibabel is compared on, as one JSON object (or the error kind and message). */
  public static String stats(Path file) {
    StringBuilder j = new StringBuilder("{\"file\":").append(quote(file.toString()));
    NiftiVolume v;
    try {
      v = NiftiReader.read(file);
    } catch (NiftiException e) {
      return j.append(",\"error_kind\":").append(quote(e.kind().name())).append(",\"error\":")
          .append(quote(e.getMessage())).append('}').toString();
    } catch (IOException e) {
      return j.append(",\"error_kind\":\"IO\",\"error\":").append(quote(e.toString())).append('}').toString();
    }
    NiftiHeader h = v.header();
    float[] d = v.data();
    double sum = 0;
    double absSum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long nonzero = 0;
    long nonFinite = 0;
    boolean integral = true;
    Map<Long, Long> histogram = new TreeMap<>();
    int argmax = -1;
    for (int i = 0; i < d.length; i++) {
      float f = d[i];
      if (!Float.isFinite(f)) {
        nonFinite++;
        continue;
      }
      sum += f;
      absSum += Math.abs(f);
      min = Math.min(min, f);
      if (f > max) {
        max = f;
        argmax = i;
      }
      if (f != 0) {
        nonzero++;
      }
      if (integral && f == Math.rint(f)) {
        if (histogram.size() <= MAX_HISTOGRAM_VALUES) {
          histogram.merge((long) f, 1L, Long::sum);
        }
      } else {
        integral = false;
      }
    }
    j.append(",\"version\":").append(h.version())
        .append(",\"byte_order\":").append(quote(h.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little"))
        .append(",\"dtype\":").append(quote(h.dataType().name()))
        .append(",\"shape\":").append(array(h.shape()))
        .append(",\"voxel_size\":").append(array(h.voxelSize()))
        .append(",\"vox_offset\":").append(h.voxOffset())
        .append(",\"qform_code\":").append(h.qformCode())
        .append(",\"sform_code\":").append(h.sformCode())
        .append(",\"affine\":[");
    double[][] a = h.affine();
    for (int r = 0; r < 4; r++) {
      j.append(r > 0 ? "," : "").append(array(a[r]));
    }
    j.append("],\"voxels\":").append(d.length)
        .append(",\"non_finite\":").append(nonFinite)
        .append(",\"nonzero\":").append(nonzero)
        .append(",\"sum\":").append(number(sum))
        .append(",\"abs_sum\":").append(number(absSum))
        .append(",\"min\":").append(number(min))
        .append(",\"max\":").append(number(max));
    // Probe voxels by (x, y, z) index, so that the scan order is checked, not only order-free sums.
    int[][] probes = {{0, 0, 0}, {v.nx() - 1, 0, 0}, {0, v.ny() - 1, 0}, {0, 0, v.nz() - 1},
        {v.nx() / 2, v.ny() / 3, v.nz() / 2}, {v.nx() / 3, v.ny() / 2, 2 * v.nz() / 3},
        {v.nx() - 1, v.ny() - 1, v.nz() - 1}, argmax < 0 ? new int[] {0, 0, 0} : new int[] {argmax % v.nx(),
        (argmax / v.nx()) % v.ny(), argmax / (v.nx() * v.ny()) % v.nz()}};
    j.append(",\"probes\":[");
    for (int i = 0; i < probes.length; i++) {
      int[] p = probes[i];
      j.append(i > 0 ? "," : "").append("{\"ijk\":").append(array(p)).append(",\"value\":")
          .append(number(v.get(p[0], p[1], p[2]))).append('}');
    }
    j.append(']');
    if (integral && histogram.size() <= MAX_HISTOGRAM_VALUES) {
      j.append(",\"histogram\":{");
      boolean first = true;
      for (Map.Entry<Long, Long> e : histogram.entrySet()) {
        j.append(first ? "" : ",").append(quote(Long.toString(e.getKey()))).append(':').append(e.getValue());
        first = false;
      }
      j.append('}');
    }
    return j.append('}').toString();
  }

  private static String array(int[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i > 0 ? "," : "").append(a[i]);
    }
    return sb.append(']').toString();
  }

  private static String array(double[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i > 0 ? "," : "").append(number(a[i]));
    }
    return sb.append(']').toString();
  }

  private static String number(double x) {
    return Double.isFinite(x) ? Double.toString(x) : quote(Double.toString(x));
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        sb.append('\\').append(ch);
      } else if (ch < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.append('"').toString();
  }
}
