package org.gliomabench.udf.prompt;

import java.util.Locale;

/**
 * What a prompt shows beside its text. An LLM arm is a prompt plus what is shown; the call plan fetches the
 * images (the FLAIR slice, its montage, labelled examples, the CNN's outline) and the request lays them out.
 */
public enum Shown {
  /** The FLAIR slice (the study's arms). */
  SLICE,
  /** One image of four labelled tiles: T1, T1CE, T2, FLAIR of the slice (ingest renders it). */
  MONTAGE,
  /** Labelled example slices, each its own image, then the slice asked about. */
  FEW_SHOT,
  /** Labelled example slices and the slice asked about as tiles of one image (servers that take one image). */
  FEW_SHOT_GRID,
  /** The slice with the U-Net's predicted outline drawn on it, and the CNN's P(HGG) stated in the text. */
  CNN_INFORMED;

  /** The name written to tables: 'slice', 'montage', 'few_shot', 'cnn_informed' (both few-shot layouts: 'few_shot'). */
  public String code() {
    return this == FEW_SHOT_GRID ? "few_shot" : name().toLowerCase(Locale.ROOT);
  }

  public boolean fewShot() {
    return this == FEW_SHOT || this == FEW_SHOT_GRID;
  }
}
