package org.gliomabench.jobs.train;

import java.util.concurrent.atomic.AtomicInteger;

/** The epochs one invocation may still train ({@code --epoch-budget}), shared by the folds it trains at once. */
final class EpochBudget {
  private final AtomicInteger left;

  private EpochBudget(int epochs) {
    this.left = new AtomicInteger(epochs);
  }

  /** {@code epochs} epochs; Integer.MAX_VALUE: no limit. */
  static EpochBudget of(int epochs) {
    return new EpochBudget(epochs);
  }

  /** Takes one epoch; false when none is left. */
  boolean take() {
    return left.getAndUpdate(n -> n == Integer.MAX_VALUE || n <= 0 ? n : n - 1) > 0;
  }
}
