package org.gliomabench.core.ingest;

import java.io.Serializable;
import org.gliomabench.core.brats.PatientFiles;

/**
 * A discovered patient, shipped to an executor: its files, the grade as written, a fingerprint, and what its
 * segmentation is (Tables.Segmentation.REFERENCE_PHANTOM when the folder lies in a synth output, else
 * REFERENCE_CONSENSUS).
 */
public record PatientTask(PatientFiles files, String grade, String fingerprint, String reference) implements Serializable {
  public String patientId() {
    return files.patientId();
  }
}
