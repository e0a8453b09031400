package org.gliomabench.core.seg;

import java.util.Locale;

/**
 * One epoch of one fold of U-Net training: what seg_history holds. {@code fitLoss} is the mean minibatch
 * loss the workers reported; validation loss and per-region Dice (mean over the fold's validation
 * patients, on the volume grid, threshold 0.5) are measured after the epoch.
 */
public record SegEpoch(int fold, int epoch, double fitLoss, double valLoss, double valDiceWt, double valDiceTc,
    double valDiceEt, double seconds, double examplesPerSecond, long trainExamples)
    implements org.gliomabench.core.train.Epoch {

  @Override
  public String toLine() {
    return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%d", fold, epoch, fitLoss, valLoss, valDiceWt,
        valDiceTc, valDiceEt, seconds, examplesPerSecond, trainExamples);
  }

  public static SegEpoch fromLine(String line) {
    String[] p = line.trim().split(",");
    if (p.length != 10) {
      throw new IllegalArgumentException("not a segmentation epoch record (10 fields expected): " + line);
    }
    return new SegEpoch(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Double.parseDouble(p[2]),
        Double.parseDouble(p[3]), Double.parseDouble(p[4]), Double.parseDouble(p[5]), Double.parseDouble(p[6]),
        Double.parseDouble(p[7]), Double.parseDouble(p[8]), Long.parseLong(p[9]));
  }

  /** True when this epoch beats {@code best} (null: always) on validation WT Dice; ties keep the earlier. */
  public boolean improvesOn(SegEpoch best) {
    if (Double.isNaN(valDiceWt)) {
      return best == null;
    }
    return best == null || Double.isNaN(best.valDiceWt) || valDiceWt > best.valDiceWt;
  }
}
