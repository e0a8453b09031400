package org.gliomabench.jobs.ingest;

import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.IngestErrors;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.brats.Modality;
import org.gliomabench.core.ingest.IngestIssue;
import org.gliomabench.core.ingest.IngestOptions;
import org.gliomabench.core.ingest.PatientRecord;
import org.gliomabench.core.ingest.VolumeRecord;
import org.gliomabench.core.preprocess.SliceImage;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.gliomabench.jobs.warehouse.SparkTables;

/** Ingest records as rows of the ingest tables ({@link Tables}). */
final class IngestRows {
  private static final List<String> MODALITIES = Modality.IMAGES.stream().map(Modality::code).toList();

  private IngestRows() {}

  static Row patient(String runId, PatientRecord p, Assignment a, String preprocessKey, String splitKey) {
    int[] b = p.bbox();
    return SparkTables.row(Patients.TABLE).set(Tables.RUN_ID, runId).set(Tables.PATIENT_ID, p.patientId())
        .set(Patients.GRADE, p.grade()).set(Tables.LABEL, p.label()).set(Tables.COHORT, a.cohort())
        .set(Tables.FOLD, a.fold()).set(Patients.SOURCE, p.source()).set(Patients.MODALITIES, p.modalities())
        .set(Patients.CNN_USABLE, p.cnnUsable()).set(Patients.CNN_UNUSABLE_REASON, p.cnnUnusableReason())
        .set(Patients.SHAPE, p.shape()).set(Patients.VOXEL_SIZE, p.voxelSize()).set(Patients.ORIENTATION, p.orientation())
        .set(Patients.BBOX_I0, b[0]).set(Patients.BBOX_I1, b[1]).set(Patients.BBOX_J0, b[2]).set(Patients.BBOX_J1, b[3])
        .set(Patients.BBOX_K0, b[4]).set(Patients.BBOX_K1, b[5])
        .set(Patients.AXIAL_FIRST, p.axialFirst()).set(Patients.AXIAL_LAST, p.axialLast())
        .set(Patients.CORONAL_FIRST, p.coronalFirst()).set(Patients.CORONAL_LAST, p.coronalLast())
        .set(Patients.SAGITTAL_FIRST, p.sagittalFirst()).set(Patients.SAGITTAL_LAST, p.sagittalLast())
        .set(Patients.TUMOUR_VOXELS, p.tumourVoxels()).set(Patients.VOXELS_NCR, p.voxelsNcr())
        .set(Patients.VOXELS_ED, p.voxelsEd()).set(Patients.VOXELS_ET, p.voxelsEt())
        .set(Patients.LABEL_CONVENTION, p.labelConvention()).set(Patients.FINGERPRINT, p.fingerprint())
        .set(Patients.PREPROCESS_KEY, preprocessKey).set(Patients.SPLIT_KEY, splitKey).build();
  }

  static Row volume(String runId, VolumeRecord v, Assignment a) {
    return SparkTables.row(Volumes.TABLE).set(Tables.RUN_ID, runId).set(Tables.PATIENT_ID, v.patientId())
        .set(Tables.LABEL, v.label()).set(Tables.COHORT, a.cohort()).set(Tables.FOLD, a.fold())
        .set(Volumes.SHAPE, v.shape()).set(Volumes.TENSOR, v.tensor()).set(Volumes.MASK, v.mask())
        .set(Volumes.MODALITIES, MODALITIES).set(Volumes.CROP_ORIGIN, v.cropOrigin())
        .set(Volumes.CROP_EXTENT, v.cropExtent()).set(Volumes.NORMALISATION, IngestOptions.NORMALISATION).build();
  }

  static Row slice(String runId, String patientId, int label, Assignment a, SliceImage s) {
    boolean t = s.inTumour();
    return SparkTables.row(Slices.TABLE).set(Tables.RUN_ID, runId).set(Tables.PATIENT_ID, patientId)
        .set(Tables.LABEL, label).set(Tables.COHORT, a.cohort()).set(Tables.FOLD, a.fold())
        .set(Tables.PLANE, s.plane().code()).set(Tables.SLICE_INDEX, s.sliceIndex()).set(Slices.IN_TUMOUR, t)
        .set(Slices.IN_BRAIN, s.inBrain()).set(Slices.WIDTH, s.width()).set(Slices.HEIGHT, s.height())
        .set(Slices.FLAIR_PNG, s.flairPng()).set(Slices.MASK_PNG, s.maskPng()).set(Slices.TUMOUR_PIXELS, s.tumourPixels())
        .set(Slices.MASK_X0, t ? s.maskX0() : null).set(Slices.MASK_Y0, t ? s.maskY0() : null)
        .set(Slices.MASK_X1, t ? s.maskX1() : null).set(Slices.MASK_Y1, t ? s.maskY1() : null)
        .set(Slices.MONTAGE_PNG, s.montagePng()).build();
  }

  static Row issue(String runId, IngestIssue i) {
    return SparkTables.row(IngestErrors.TABLE).set(Tables.RUN_ID, runId).set(IngestErrors.SOURCE, i.source())
        .set(Tables.PATIENT_ID, i.patientId()).set(IngestErrors.KIND, i.kind().code())
        .set(IngestErrors.MESSAGE, i.message()).set(IngestErrors.REJECTED, i.rejected()).build();
  }
}
