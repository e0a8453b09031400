package org.gliomabench.udf.client;

import java.io.Serializable;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * When and how long to wait before trying a call again: 429, 408, 5xx, timeouts, dropped connections and
 * unreadable answers are retried with exponential backoff and jitter (half fixed, half random), or after
 * the server's Retry-After; other 4xx never. A call stops after {@code maxAttempts} attempts or when the
 * next attempt would start later than {@code budgetMs} after its first.
 */
public record RetryPolicy(int maxAttempts, long baseMs, long maxBackoffMs, long budgetMs, long retryAfterMaxMs)
    implements Serializable {

  public RetryPolicy {
    if (maxAttempts < 1 || baseMs < 0 || maxBackoffMs < baseMs || budgetMs < 0 || retryAfterMaxMs < 0) {
      throw new IllegalArgumentException("retry policy needs attempts >= 1 and 0 <= base <= max backoff");
    }
  }

  public static boolean isRetryableStatus(int status) {
    return status == 429 || status == 408 || (status >= 500 && status <= 599);
  }

  /** The wait after failed attempt number {@code attempt} (1-based), without Retry-After. */
  public long backoffMs(int attempt, Random random) {
    double exp = baseMs * Math.pow(2, Math.min(attempt - 1, 30));
    long cap = (long) Math.min(maxBackoffMs, exp);
    return cap / 2 + (cap / 2 > 0 ? (long) (random.nextDouble() * (cap - cap / 2)) : 0);
  }

  /** Retry-After in milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
  public static Long parseRetryAfter(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    try {
      return Math.max(0, (long) (Double.parseDouble(h) * 1000));
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - nowMillis);
      } catch (RuntimeException e2) {
        return null;
      }
    }
  }
}
