package org.gliomabench.udf.sim;

import java.io.Serializable;

/**
 * How the SIMULATED server behaves. Latency: {@code latencyMs} plus or minus up to {@code jitterMs}
 * (uniform). Answers: HGG with probability {@code pHgg} (the majority-class bias the study saw), no glioma
 * with {@code pNoGlioma}, LGG otherwise, varied a little per image; {@code malformed} of them in one of
 * the study's broken formats. {@code faults}: the fraction of requests answered with a fault drawn evenly
 * from 429 (Retry-After {@code retryAfterSeconds}), 500, hang, dropped connection and garbage.
 * {@code requiredApiKey}, when set, makes every request without {@code Bearer <key>} a 401.
 */
public record SimulatedBehaviour(long latencyMs, long jitterMs, double pHgg, double pNoGlioma, double malformed,
    double faults, int retryAfterSeconds, long seed, String requiredApiKey) implements Serializable {

  public static SimulatedBehaviour defaults() {
    return new SimulatedBehaviour(40, 20, 0.9, 0.02, 0.08, 0, 1, 11, null);
  }

  public SimulatedBehaviour withLatency(long ms, long jitter) {
    return new SimulatedBehaviour(ms, jitter, pHgg, pNoGlioma, malformed, faults, retryAfterSeconds, seed, requiredApiKey);
  }

  public SimulatedBehaviour withFaults(double f) {
    return new SimulatedBehaviour(latencyMs, jitterMs, pHgg, pNoGlioma, malformed, f, retryAfterSeconds, seed, requiredApiKey);
  }

  public SimulatedBehaviour withMalformed(double m) {
    return new SimulatedBehaviour(latencyMs, jitterMs, pHgg, pNoGlioma, m, faults, retryAfterSeconds, seed, requiredApiKey);
  }

  public SimulatedBehaviour withAnswers(double hgg, double noGlioma) {
    return new SimulatedBehaviour(latencyMs, jitterMs, hgg, noGlioma, malformed, faults, retryAfterSeconds, seed, requiredApiKey);
  }

  public SimulatedBehaviour withRetryAfter(int seconds) {
    return new SimulatedBehaviour(latencyMs, jitterMs, pHgg, pNoGlioma, malformed, faults, seconds, seed, requiredApiKey);
  }

  public SimulatedBehaviour withApiKey(String key) {
    return new SimulatedBehaviour(latencyMs, jitterMs, pHgg, pNoGlioma, malformed, faults, retryAfterSeconds, seed, key);
  }

  @Override
  public String toString() {
    return String.format("SimulatedBehaviour[latency %d+-%d ms, p(HGG) %.2f, p(no glioma) %.2f, malformed %.2f, faults %.2f]",
        latencyMs, jitterMs, pHgg, pNoGlioma, malformed, faults);
  }
}
