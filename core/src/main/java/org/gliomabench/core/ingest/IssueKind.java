package org.gliomabench.core.ingest;

import java.util.Locale;

/** Why an input was rejected (or, for {@link #CNN_UNUSABLE}, kept with a restriction). */
public enum IssueKind {
  MISSING_MODALITY,
  MISSING_SEGMENTATION,
  EMPTY_SEGMENTATION,
  INVALID_SEGMENTATION_LABELS,
  SHAPE_MISMATCH,
  TRUNCATED_FILE,
  NOT_NIFTI,
  UNSUPPORTED_DATATYPE,
  BAD_HEADER,
  NON_FINITE_VOXELS,
  MISSING_GRADE,
  INVALID_GRADE,
  DUPLICATE_PATIENT_ID,
  UNREADABLE_FOLDER,
  READ_ERROR,
  /** Kept: a non-standard file name was resolved (e.g. BraTS20_Training_355's segmentation). */
  FILE_NAME_QUIRK,
  /** Kept for the slice-level (LLM) arm, not usable by the four-modality CNN. */
  CNN_UNUSABLE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
