package org.gliomabench.core.synth;

import java.io.IOException;

/** The synthetic cohort cannot be written where asked (a folder synth must not touch, a bad parameter). */
public final class SyntheticCohortException extends IOException {
  private static final long serialVersionUID = 1L;

  public SyntheticCohortException(String message) {
    super(message);
  }
}
