package org.gliomabench.core.nifti;

import java.io.IOException;

/** A file that cannot be read as a supported NIfTI image, with the kind of problem. */
public final class NiftiException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the file. */
  public enum Kind { NOT_NIFTI, TRUNCATED, UNSUPPORTED_DATATYPE, BAD_HEADER }

  private final Kind kind;

  public NiftiException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
