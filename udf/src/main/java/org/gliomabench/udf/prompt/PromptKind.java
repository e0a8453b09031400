package org.gliomabench.udf.prompt;

/** What a prompt asks for, which decides how its answer is parsed. */
public enum PromptKind {
  /** LGG (0), HGG (1) or no glioma (2). */
  CLASSIFY,
  /** One point: the tumour's centre. */
  LOCATE_CENTRE,
  /** An axis-aligned box around the tumour. */
  LOCATE_BOX,
  /** A polygon around the tumour. */
  LOCATE_POLYGON;

  public boolean isLocate() {
    return this != CLASSIFY;
  }
}
