package org.gliomabench.core.ingest;

import java.io.Serializable;

/** A row of ingest_errors: the source (file or folder), the patient if known, the kind and the reason. */
public record IngestIssue(String source, String patientId, IssueKind kind, String message, boolean rejected)
    implements Serializable {

  public static IngestIssue rejection(String source, String patientId, IssueKind kind, String message) {
    return new IngestIssue(source, patientId, kind, message, true);
  }

  @Override
  public String toString() {
    return (rejected ? "rejected " : "kept ") + (patientId == null ? "" : patientId + " ") + "[" + kind.code() + "] "
        + message + " (" + source + ")";
  }
}
