package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.SegMasks;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.seg.GridMapping;
import org.gliomabench.jobs.Warehouse;
import org.gliomabench.jobs.seg.OriginalSpaceScoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The U-Net's whole-tumour mask on an axial slice image: the run's seg_masks row of the patient (the lowest
 * fold that scored it) mapped back to the original volume, then read the way ingest rendered the slice
 * (SliceRenderer: column c, row r of canonical axial slice s is RAS voxel (nx-1-c, ny-1-r, s)).
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
    List<Row> source = warehouse.read(Patients.NAME).where(col(Tables.PATIENT_ID).equalTo(patientId))
        .select(Patients.SOURCE).collectAsList();
    if (rows.isEmpty() || source.isEmpty()) {
      return null;
    }
    Row m = rows.get(0);
    try {
      OriginalSpaceScoring.Geometry g = OriginalSpaceScoring.geometry(warehouse.fileSystem(), source.get(0).getString(0),
          patientId);
      Orientation.Indexer ix = g.indexer();
      if (ix.nx() != width || ix.ny() != height) {
        LOG.warn("report: {} axial slice is {} x {} but the original volume's is {} x {}; no CNN overlay", patientId,
            width, height, ix.nx(), ix.ny());
        return null;
      }
      byte[] file = GridMapping.toFile(m.getAs(1), ints(m.getList(0)), ints(m.getList(2)), ints(m.getList(3)), ix);
      int s = -1;
      for (int k = 0; k < ix.nz(); k++) {
        if (g.orientation().arrayIndex(2, k, g.shape()) == sliceIndex) {
          s = k;
        }
      }
      boolean[] out = new boolean[width * height];
      for (int r = 0; r < height && s >= 0; r++) {
        for (int c = 0; c < width; c++) {
          out[r * width + c] = (file[ix.index(width - 1 - c, height - 1 - r, s)] & 1) != 0; // bit 0: whole tumour
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      LOG.warn("report: no CNN overlay for {}: {}", patientId, e.toString());
      return null;
    }
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
