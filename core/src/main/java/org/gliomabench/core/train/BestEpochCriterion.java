package org.gliomabench.core.train;

import java.util.Locale;

/** How the kept ("best") epoch of a fold is chosen: lowest validation loss or highest validation AUC. */
public enum BestEpochCriterion {
  VAL_LOSS, VAL_AUC;

  public static BestEpochCriterion parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "val_loss": case "loss":
        return VAL_LOSS;
      case "val_auc": case "auc":
        return VAL_AUC;
      default:
        throw new IllegalArgumentException("best-epoch criterion must be val_loss or val_auc, got '" + s + "'");
    }
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public double value(CnnEpoch r) {
    return this == VAL_LOSS ? r.valLoss() : r.valAuc();
  }

  /** True when {@code candidate} beats {@code best} (null best: always); ties keep the earlier epoch. */
  public boolean improves(CnnEpoch candidate, CnnEpoch best) {
    return best == null || beats(value(candidate), value(best), this == VAL_LOSS, candidate.valLoss(), best.valLoss());
  }

  /**
   * Whether an epoch's figure beats the kept one's: NaN never wins and loses to any number; a loss wins when lower,
   * any other figure when higher, or equal with the lower validation loss (AUC and Dice saturate on small
   * validation parts). Ties keep the earlier epoch.
   */
  public static boolean beats(double candidate, double best, boolean lowerWins, double candidateLoss, double bestLoss) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    if (lowerWins) {
      return candidate < best;
    }
    return candidate > best || (candidate == best && candidateLoss < bestLoss);
  }
}
