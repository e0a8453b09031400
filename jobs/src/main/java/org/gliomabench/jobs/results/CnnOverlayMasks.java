package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.OriginalSpaceScorer;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The U-Net's whole-tumour mask on an axial slice image: the run's seg_masks row of the patient (the lowest
 * fold that scored it) mapped back to the original volume, whose shape and orientation come from the
 * patient's reference_masks row (ingest wrote it; no NIfTI file is read), then read the way ingest rendered
 * the slice (SliceRenderer: column c, row r of canonical axial slice s is RAS voxel (nx-1-c, ny-1-r, s)).
 */
final class CnnOverlayMasks implements SegmentationSection.CnnSliceMasks {
  private static final Logger LOG = LoggerFactory.getLogger(CnnOverlayMasks.class);

  private final Warehouse warehouse;
  private final String runId;

  CnnOverlayMasks(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
  }

  @Override
  public boolean[] mask(String patientId, String plane, int sliceIndex, int width, int height) {
    if (!"axial".equals(plane) || !warehouse.exists(SegMasks.NAME)) {
      return null;
    }
    List<Row> rows = warehouse.read(SegMasks.NAME)
        .where(col(Tables.RUN_ID).equalTo(runId).and(col(Tables.PATIENT_ID).equalTo(patientId)))
        .orderBy(Tables.FOLD).select(SegMasks.SHAPE, SegMasks.MASK, SegMasks.CROP_ORIGIN, SegMasks.CROP_EXTENT)
        .limit(1).collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    Row m = rows.get(0);
    try {
      ReferenceMask reference = ReferenceMaskRows.read(warehouse, patientId);
      if (reference == null) {
        LOG.warn("report: no {} row for {} (ingested by an older version? re-run ingest); no CNN overlay",
            Tables.ReferenceMasks.NAME, patientId);
        return null;
      }
      int[] canonical = reference.orientation().canonicalShape(reference.shape());
      if (canonical[0] != width || canonical[1] != height) {
        LOG.warn("report: {} axial slice is {} x {} but the original volume's is {} x {}; no CNN overlay", patientId,
            width, height, canonical[0], canonical[1]);
        return null;
      }
      return OriginalSpaceScorer.axialWholeTumour(reference, SparkTables.bytes(m, SegMasks.MASK),
          SparkTables.ints(m, SegMasks.SHAPE), SparkTables.ints(m, SegMasks.CROP_ORIGIN),
          SparkTables.ints(m, SegMasks.CROP_EXTENT), sliceIndex);
    } catch (RuntimeException e) {
      LOG.warn("report: no CNN overlay for {}: {}", patientId, e.toString());
      return null;
    }
  }
}
