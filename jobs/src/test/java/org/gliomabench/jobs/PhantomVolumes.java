package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Volumes;

/**
 * A learnable synthetic volumes table with ingest's exact schema (SIMULATED data for tests): noisy
 * brain-like ellipsoids with a tumour blob in T2/FLAIR; HGG tumours also carry an enhancing ring in
 * T1ce (channel 1), as enhancing rims mark high grade on real scans. Split like ingest: a stratified
 * test cohort and 5 folds.
 */
public final class PhantomVolumes {
  private PhantomVolumes() {}

  public record Patient(String id, int label, String cohort, Integer fold) {}

  public static List<Patient> cohort(int n, double lggFraction) {
    List<Patient> out = new ArrayList<>();
    int lgg = (int) Math.round(n * lggFraction);
    int[] perGrade = {0, 0};
    for (int i = 0; i < n; i++) {
      int label = i < lgg ? 0 : 1;
      int k = perGrade[label]++;
      boolean test = k % 7 == 3; // about 15 % of each grade
      out.add(new Patient(String.format("phantom-%03d-%s", i, label == 1 ? "hgg" : "lgg"), label,
          test ? "test" : "cv", test ? null : k % 5));
    }
    return out;
  }

  public static float[] volume(int[] shape, int label, long seed) {
    int c = shape[0], d = shape[1], h = shape[2], w = shape[3];
    Random r = new Random(seed);
    float[] v = new float[c * d * h * w];
    double cz = d / 2.0 + (r.nextDouble() - 0.5) * d * 0.2;
    double cy = h / 2.0 + (r.nextDouble() - 0.5) * h * 0.3;
    double cx = w / 2.0 + (r.nextDouble() - 0.5) * w * 0.3;
    double radius = Math.min(d, Math.min(h, w)) * (0.22 + 0.1 * r.nextDouble());
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double bz = (z - d / 2.0) / (d / 2.0), by = (y - h / 2.0) / (h / 2.0), bx = (x - w / 2.0) / (w / 2.0);
          if (bz * bz + by * by + bx * bx > 1.0) {
            continue; // background stays 0, as ingest's normalisation leaves it
          }
          double dist = Math.sqrt((z - cz) * (z - cz) + (y - cy) * (y - cy) + (x - cx) * (x - cx));
          for (int ch = 0; ch < c; ch++) {
            double val = r.nextGaussian() * 0.4;
            if (ch >= 2 && dist <= radius + 1) {
              val += 1.0; // oedema / tumour in T2 and FLAIR for both grades
            }
            if (ch == 1 && label == 1 && dist <= radius && dist >= radius - 1.2) {
              val += 1.5; // enhancing ring: HGG only
            }
            v[((ch * d + z) * h + y) * w + x] = (float) val;
          }
        }
      }
    }
    return v;
  }

  public static void write(SparkSession spark, String warehouseDir, String runId, int[] shape, List<Patient> patients) {
    List<Row> rows = new ArrayList<>();
    for (Patient p : patients) {
      rows.add(row(runId, p, shape, bytes(volume(shape, p.label(), p.id().hashCode()))));
    }
    new Warehouse(spark, warehouseDir).replace(Volumes.NAME, SparkTables.frame(spark, Volumes.TABLE, rows));
  }

  /** As the volumes table stores a tensor: float32 little-endian. */
  public static byte[] bytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  public static Row row(String runId, Patient p, int[] shape, byte[] tensor) {
    return SparkTables.row(Volumes.TABLE).set(Tables.RUN_ID, runId).set(Tables.PATIENT_ID, p.id())
        .set(Tables.LABEL, p.label()).set(Tables.COHORT, p.cohort()).set(Tables.FOLD, p.fold()).set(Volumes.SHAPE, shape)
        .set(Volumes.TENSOR, tensor).set(Volumes.MASK, new byte[shape[1] * shape[2] * shape[3]])
        .set(Volumes.MODALITIES, List.of("t1", "t1ce", "t2", "flair")).set(Volumes.CROP_ORIGIN, List.of(0, 0, 0))
        .set(Volumes.CROP_EXTENT, List.of(shape[1], shape[2], shape[3])).set(Volumes.NORMALISATION, "simulated phantom")
        .build();
  }
}
