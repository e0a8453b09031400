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
    if (best == null) {
      return true;
    }
    double c = value(candidate);
    double b = value(best);
    if (Double.isNaN(c)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    if (this == VAL_LOSS) {
      return c < b;
    }
    // AUC saturates at 1 on small validation parts; the lower loss breaks the tie.
    return c > b || (c == b && candidate.valLoss() < best.valLoss());
  }
}
