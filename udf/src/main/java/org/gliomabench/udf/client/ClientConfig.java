package org.gliomabench.udf.client;

import java.io.Serializable;

/**
 * How to reach one endpoint: no secrets, only the name of the environment variable that holds the key
 * (read where the client is built, on the executor). {@code concurrency} bounds the calls in flight per
 * JVM; {@code ratePerSecond} is this JVM's share of the endpoint's request rate (0: unlimited).
 */
public record ClientConfig(String endpoint, String apiKeyEnv, long connectTimeoutMs, long responseTimeoutMs,
    int concurrency, double ratePerSecond, RetryPolicy retry) implements Serializable {

  public ClientConfig {
    Urls.chatCompletions(endpoint); // fails early on a bad URL
    if (concurrency < 1 || connectTimeoutMs <= 0 || responseTimeoutMs <= 0 || ratePerSecond < 0) {
      throw new IllegalArgumentException("concurrency and timeouts must be positive, the rate not negative");
    }
  }

  public ClientConfig withRate(double perSecond) {
    return new ClientConfig(endpoint, apiKeyEnv, connectTimeoutMs, responseTimeoutMs, concurrency, perSecond, retry);
  }

  public ClientConfig withConcurrency(int c) {
    return new ClientConfig(endpoint, apiKeyEnv, connectTimeoutMs, responseTimeoutMs, c, ratePerSecond, retry);
  }

  @Override
  public String toString() {
    return "ClientConfig[" + Urls.redact(endpoint) + ", concurrency " + concurrency + ", rate " + ratePerSecond + "/s]";
  }
}
