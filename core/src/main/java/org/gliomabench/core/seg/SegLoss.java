package org.gliomabench.core.seg;

import java.util.Locale;

/** The U-Net's training loss: soft Dice, or soft Dice plus mean binary cross-entropy. */
public enum SegLoss {
  DICE("dice", 0.0), DICE_BCE("dice_bce", 1.0);

  private final String code;
  private final double bceWeight;

  SegLoss(String code, double bceWeight) {
    this.code = code;
    this.bceWeight = bceWeight;
  }

  public String code() {
    return code;
  }

  public double bceWeight() {
    return bceWeight;
  }

  public static SegLoss parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    for (SegLoss l : values()) {
      if (l.code.equals(v)) {
        return l;
      }
    }
    throw new IllegalArgumentException("segmentation loss must be dice or dice_bce, got '" + s + "'");
  }

  public SoftDiceLoss function() {
    return new SoftDiceLoss(SegSpec.REGIONS, bceWeight, SoftDiceLoss.DEFAULT_SMOOTH);
  }
}
