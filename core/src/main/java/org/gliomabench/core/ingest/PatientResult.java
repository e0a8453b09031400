package org.gliomabench.core.ingest;

import java.io.Serializable;
import java.util.List;
import org.gliomabench.core.preprocess.SliceImage;
import org.gliomabench.core.seg.ReferenceMask;

/**
 * Everything ingest produced for one patient; {@code patient} (and {@code reference}, the segmentation in the
 * original voxels) is null when the patient was rejected.
 */
public record PatientResult(PatientRecord patient, VolumeRecord volume, ReferenceMask reference, List<SliceImage> slices,
    List<IngestIssue> issues) implements Serializable {

  public boolean accepted() {
    return patient != null;
  }

  public static PatientResult rejected(IngestIssue issue) {
    return new PatientResult(null, null, null, List.of(), List.of(issue));
  }
}
