package org.gliomabench.core.preprocess;

import java.util.Locale;

/** Anatomical planes and the RAS axis each one cuts across (axial: S-I, coronal: A-P, sagittal: R-L). */
public enum Plane {
  AXIAL(2),
  CORONAL(1),
  SAGITTAL(0);

  private final int rasAxis;

  Plane(int rasAxis) {
    this.rasAxis = rasAxis;
  }

  /** The RAS axis (0 = x, 1 = y, 2 = z) along which slices of this plane are stacked. */
  public int rasAxis() {
    return rasAxis;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Plane parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown plane '" + text + "' (axial, coronal or sagittal)");
    }
  }
}
