package org.gliomabench.core.train;

import java.io.Serializable;

/**
 * One epoch of one fold, as a training arm records it (the CNN's {@link CnnEpoch}, the U-Net's
 * {@code SegEpoch}): what the fold loop needs of every arm's history row.
 */
public interface Epoch extends Serializable {
  int fold();

  int epoch();

  double seconds();

  double examplesPerSecond();

  long trainExamples();

  /** A single line (comma-separated, NaN allowed) for the checkpoint state file; the arm's parser reads it back. */
  String toLine();
}
