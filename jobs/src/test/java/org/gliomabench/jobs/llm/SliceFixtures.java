package org.gliomabench.jobs.llm;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.jobs.warehouse.SparkTables;

/** A small slices table with exactly ingest's schema: small PNGs, a few patients of both grades. */
public final class SliceFixtures {
  private SliceFixtures() {}

  /**
   * Writes {@code patients} patients (index % 3 == 1 LGG, the others HGG; the first one in the test cohort, the others in fold index % 5) with
   * {@code tumourSlices} tumour slices and 2 tumour-free slices in each of axial and coronal.
   */
  public static void writeSlices(SparkSession spark, String warehouse, int patients, int tumourSlices) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < patients; p++) {
      String id = String.format("P%03d", p);
      int label = p % 3 == 1 ? 0 : 1;
      String cohort = p == 0 ? "test" : "cv";
      Integer fold = p == 0 ? null : p % 5;
      for (String plane : new String[] {"axial", "coronal"}) {
        for (int i = 0; i < tumourSlices + 2; i++) {
          boolean tumour = i >= 1 && i <= tumourSlices;
          int w = 24;
          int h = 20;
          rows.add(SparkTables.row(Slices.TABLE).set(Tables.RUN_ID, "ingest-fixture").set(Tables.PATIENT_ID, id)
              .set(Tables.LABEL, label).set(Tables.COHORT, cohort).set(Tables.FOLD, fold).set(Tables.PLANE, plane)
              .set(Tables.SLICE_INDEX, 10 + i).set(Slices.IN_TUMOUR, tumour).set(Slices.IN_BRAIN, true)
              .set(Slices.WIDTH, w).set(Slices.HEIGHT, h).set(Slices.FLAIR_PNG, png(w, h, p * 1000 + plane.hashCode() % 97 + i))
              .set(Slices.MASK_PNG, tumour ? png(w, h, -1 - i) : null)
              .set(Slices.TUMOUR_PIXELS, tumour ? (long) (20 + 3 * i - (i - 2) * (i - 2)) : 0L)
              .set(Slices.MASK_X0, tumour ? 5 : null).set(Slices.MASK_Y0, tumour ? 4 : null)
              .set(Slices.MASK_X1, tumour ? 12 : null).set(Slices.MASK_Y1, tumour ? 11 : null).build());
        }
      }
    }
    SparkTables.frame(spark, Slices.TABLE, rows).write().mode("overwrite").parquet(warehouse + "/" + Slices.NAME);
  }

  /**
   * cnn_embeddings rows of {@code runId} as train-cnn writes them, for the patients {@link #writeSlices} made: every
   * fold model (0-4) embeds every patient in 8 seeded dimensions, the first one leaning on the grade.
   */
  public static void writeEmbeddings(SparkSession spark, String warehouse, String runId, int patients) {
    List<Row> rows = new ArrayList<>();
    java.util.Random rng = new java.util.Random(5);
    for (int fold = 0; fold < 5; fold++) {
      for (int p = 0; p < patients; p++) {
        int label = p % 3 == 1 ? 0 : 1;
        Integer own = p == 0 ? null : p % 5;
        double[] e = new double[8];
        for (int i = 0; i < e.length; i++) {
          e[i] = Math.max(0, rng.nextGaussian() + (i == 0 ? 2 * label : 0));
        }
        rows.add(SparkTables.row(Tables.CnnEmbeddings.TABLE).set(Tables.RUN_ID, runId).set(Tables.FOLD, fold)
            .set(Tables.PATIENT_ID, String.format("P%03d", p)).set(Tables.LABEL, label).set(Tables.COHORT, p == 0 ? "test" : "cv")
            .set(Tables.CnnEmbeddings.PATIENT_FOLD, own).set(Tables.CnnEmbeddings.TRAINED_ON, own != null && own != fold)
            .set(Tables.CnnEmbeddings.EMBEDDING, e).build());
      }
    }
    SparkTables.frame(spark, Tables.CnnEmbeddings.TABLE, rows).write().mode("overwrite").partitionBy("run_id", "fold")
        .parquet(warehouse + "/" + Tables.CnnEmbeddings.NAME);
  }

  static byte[] png(int w, int h, int seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, Math.floorMod(x * 5 + y * 11 + seed * 37, 256));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
