package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.seg.MaskCodec;
import org.gliomabench.core.seg.ReferenceMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference_masks table's rows as {@link ReferenceMask}s: written by ingest, read by every stage that
 * scores or draws a mask in the original space (shared here, as stage packages do not import each other).
 */
public final class ReferenceMaskRows {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceMaskRows.class);

  private ReferenceMaskRows() {}

  /** The mask as a row of {@link ReferenceMasks#TABLE}. */
  public static Row toRow(String runId, ReferenceMask m) {
    return SparkTables.row(ReferenceMasks.TABLE)
        .set(Tables.RUN_ID, runId)
        .set(Tables.PATIENT_ID, m.patientId())
        .set(ReferenceMasks.SHAPE, m.shape())
        .set(ReferenceMasks.SPACING, m.spacing())
        .set(ReferenceMasks.ORIENTATION, m.axisCodes())
        .set(ReferenceMasks.REFERENCE, m.reference())
        .set(ReferenceMasks.MASK_ENCODING, MaskCodec.FORMAT)
        .set(ReferenceMasks.MASK, m.mask())
        .build();
  }

  /** A row of the table (read by column name, whatever the column order). */
  public static ReferenceMask fromRow(Row r) {
    String id = SparkTables.string(r, Tables.PATIENT_ID);
    String encoding = SparkTables.string(r, ReferenceMasks.MASK_ENCODING);
    if (!MaskCodec.FORMAT.equals(encoding)) {
      throw new IllegalArgumentException("reference mask of " + id + " is encoded as '" + encoding + "'; this version reads "
          + MaskCodec.FORMAT + " (re-run ingest)");
    }
    List<Double> spacing = SparkTables.list(r, ReferenceMasks.SPACING);
    return new ReferenceMask(id, SparkTables.ints(r, ReferenceMasks.SHAPE),
        spacing.stream().mapToDouble(Double::doubleValue).toArray(), SparkTables.string(r, ReferenceMasks.ORIENTATION),
        SparkTables.string(r, ReferenceMasks.REFERENCE), SparkTables.bytes(r, ReferenceMasks.MASK));
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

  /**
   * Every patient's reference mask, for scoring in the original space; empty (with a warning naming {@code stage})
   * when the warehouse was ingested before the table existed.
   */
  public static Map<String, ReferenceMask> all(Warehouse warehouse, String stage) {
    Map<String, ReferenceMask> refs = new HashMap<>();
    if (warehouse.exists(ReferenceMasks.NAME)) {
      for (Row r : warehouse.read(ReferenceMasks.NAME).collectAsList()) {
        ReferenceMask m = fromRow(r);
        refs.put(m.patientId(), m);
      }
    } else {
      LOG.warn("{}: no reference_masks table at {} (ingested by an earlier version): predictions cannot be "
          + "scored in the original space until ingest is rerun", stage, warehouse.path(ReferenceMasks.NAME));
    }
    return refs;
  }
}
