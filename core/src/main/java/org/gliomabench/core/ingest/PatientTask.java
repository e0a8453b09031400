package org.gliomabench.core.ingest;

import java.io.Serializable;
import org.gliomabench.core.brats.PatientFiles;

/** A discovered patient, shipped to an executor: its files, the grade as written, and a fingerprint. */
public record PatientTask(PatientFiles files, String grade, String fingerprint) implements Serializable {
  public String patientId() {
    return files.patientId();
  }
}
