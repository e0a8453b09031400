package org.gliomabench.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.seg.MaskCodec;
import org.gliomabench.core.seg.ReferenceMask;

/**
 * The reference_masks table's rows as {@link ReferenceMask}s: written by ingest, read by every stage that
 * scores or draws a mask in the original space (shared here, as stage packages do not import each other).
 */
public final class ReferenceMaskRows {
  private ReferenceMaskRows() {}

  /** A row in the order of {@link TableSchemas#REFERENCE_MASKS}. */
  public static Row toRow(String runId, ReferenceMask m) {
    List<Object> shape = new ArrayList<>();
    for (int v : m.shape()) {
      shape.add(v);
    }
    List<Object> spacing = new ArrayList<>();
    for (double v : m.spacing()) {
      spacing.add(v);
    }
    return RowFactory.create(runId, m.patientId(), seq(shape), seq(spacing), m.axisCodes(), m.reference(),
        MaskCodec.FORMAT, m.mask());
  }

  /** A row of the table (read by column name, whatever the column order). */
  public static ReferenceMask fromRow(Row r) {
    String id = r.getAs(Tables.PATIENT_ID);
    String encoding = r.getAs(ReferenceMasks.MASK_ENCODING);
    if (!MaskCodec.FORMAT.equals(encoding)) {
      throw new IllegalArgumentException("reference mask of " + id + " is encoded as '" + encoding + "'; this version reads "
          + MaskCodec.FORMAT + " (re-run ingest)");
    }
    List<Integer> shape = r.getList(r.fieldIndex(ReferenceMasks.SHAPE));
    List<Double> spacing = r.getList(r.fieldIndex(ReferenceMasks.SPACING));
    return new ReferenceMask(id, shape.stream().mapToInt(Integer::intValue).toArray(),
        spacing.stream().mapToDouble(Double::doubleValue).toArray(), r.getAs(ReferenceMasks.ORIENTATION),
        r.getAs(ReferenceMasks.REFERENCE), r.getAs(ReferenceMasks.MASK));
  }

  /** The patient's reference mask, or null when the warehouse has none for it (no table, or not ingested). */
  public static ReferenceMask read(Warehouse warehouse, String patientId) {
    if (!warehouse.exists(ReferenceMasks.NAME)) {
      return null;
    }
    List<Row> rows = warehouse.read(ReferenceMasks.NAME).where(col(Tables.PATIENT_ID).equalTo(patientId)).limit(1)
        .collectAsList();
    return rows.isEmpty() ? null : fromRow(rows.get(0));
  }

  private static scala.collection.Seq<Object> seq(List<Object> l) {
    return scala.collection.JavaConverters.asScalaBuffer(l).toSeq();
  }
}
