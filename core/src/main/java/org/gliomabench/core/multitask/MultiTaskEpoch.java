package org.gliomabench.core.multitask;

import java.util.Locale;
import org.gliomabench.core.train.BestEpochCriterion;
import org.gliomabench.core.train.Epoch;

/**
 * One epoch of one fold of the multi-task U-Net: what multitask_history holds. {@code valLoss} is the joint loss on
 * the fold's validation patients (their mean segmentation loss plus the grade's weight x the cross-entropy of their
 * P(HGG)); accuracy (at 0.5) and AUC are the grade's, Dice per region the segmentation's on the volume grid.
 */
public record MultiTaskEpoch(int fold, int epoch, double fitLoss, double valLoss, double valSegLoss,
    double valGradeLoss, double valAccuracy, double valAuc, double valDiceWt, double valDiceTc, double valDiceEt,
    double seconds, double examplesPerSecond, long trainExamples) implements Epoch {

  private static final int FIELDS = 14;

  /** Which epoch a fold keeps: the lowest joint validation loss, the highest grade AUC or whole-tumour Dice. */
  public enum Criterion {
    VAL_LOSS, VAL_AUC, VAL_DICE_WT;

    public static Criterion parse(String s) {
      for (Criterion c : values()) {
        if (c.code().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return c;
        }
      }
      throw new IllegalArgumentException("the multi-task arm keeps its epoch by val_loss, val_auc or val_dice_wt, got '"
          + s + "'");
    }

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** True when {@code candidate} beats {@code best} (null: always); ties go to the lower joint loss, then the earlier. */
    public boolean improves(MultiTaskEpoch candidate, MultiTaskEpoch best) {
      return best == null || BestEpochCriterion.beats(value(candidate), value(best), this == VAL_LOSS,
          candidate.valLoss(), best.valLoss());
    }

    private double value(MultiTaskEpoch e) {
      switch (this) {
        case VAL_AUC: return e.valAuc();
        case VAL_DICE_WT: return e.valDiceWt();
        default: return e.valLoss();
      }
    }
  }

  @Override
  public String toLine() {
    return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d", fold, epoch, fitLoss, valLoss,
        valSegLoss, valGradeLoss, valAccuracy, valAuc, valDiceWt, valDiceTc, valDiceEt, seconds, examplesPerSecond,
        trainExamples);
  }

  public static MultiTaskEpoch fromLine(String line) {
    String[] p = line.trim().split(",");
    if (p.length != FIELDS) {
      throw new IllegalArgumentException("not a multi-task epoch record (" + FIELDS + " fields expected): " + line);
    }
    double[] d = new double[FIELDS];
    for (int i = 2; i < FIELDS - 1; i++) {
      d[i] = Double.parseDouble(p[i]);
    }
    return new MultiTaskEpoch(Integer.parseInt(p[0]), Integer.parseInt(p[1]), d[2], d[3], d[4], d[5], d[6], d[7], d[8],
        d[9], d[10], d[11], d[12], Long.parseLong(p[13]));
  }
}
