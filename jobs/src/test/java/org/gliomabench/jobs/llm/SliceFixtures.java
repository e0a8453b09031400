package org.gliomabench.jobs.llm;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.TableSchemas;

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
          rows.add(RowFactory.create("ingest-fixture", id, label, cohort, fold, plane, 10 + i, tumour, true, w, h,
              png(w, h, p * 1000 + plane.hashCode() % 97 + i), tumour ? png(w, h, -1 - i) : null,
              tumour ? (long) (20 + 3 * i - (i - 2) * (i - 2)) : 0L, tumour ? 5 : null, tumour ? 4 : null,
              tumour ? 12 : null, tumour ? 11 : null));
        }
      }
    }
    spark.createDataFrame(rows, TableSchemas.SLICES).write().mode("overwrite").parquet(warehouse + "/slices");
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
