package org.gliomabench.core.train;

/** What a fold's checkpoint store needs of the fold's training state (the CNN's and the U-Net's). */
public interface CheckpointState {
  int epochsDone();

  /** The epoch whose model is kept as the fold's best so far (0: none yet). */
  int bestEpoch();

  /** The state as text (parsed back by the state's own {@code parse}). */
  String serialize();
}
