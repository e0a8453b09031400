package org.gliomabench.udf.client;

/**
 * Spaces requests evenly at a rate (per second): {@link #reserveMs()} books the next free slot and says
 * how long to wait for it, so callers schedule instead of blocking a thread.
 */
public final class RateLimiter {
  private final long intervalNanos;
  private long next;

  public RateLimiter(double perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, got " + perSecond);
    }
    this.intervalNanos = (long) (1e9 / perSecond);
    this.next = System.nanoTime();
  }

  public synchronized long reserveMs() {
    long now = System.nanoTime();
    long slot = Math.max(now, next);
    next = slot + intervalNanos;
    return (slot - now + 999_999) / 1_000_000;
  }
}
