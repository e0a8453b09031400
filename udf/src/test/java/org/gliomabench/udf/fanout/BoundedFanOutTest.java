package org.gliomabench.udf.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.LlmClient;
import org.gliomabench.udf.client.RetryPolicy;
import org.gliomabench.udf.sim.SimulatedBehaviour;
import org.gliomabench.udf.sim.SimulatedLlmServer;
import org.gliomabench.udf.testing.TestImages;
import org.junit.jupiter.api.Test;

class BoundedFanOutTest {
  private static final DecodingParams DECODING = new DecodingParams(0.6, 64, 1L, false, 0, DecodingParams.NONE);

  private static List<SliceCall> calls(int n) {
    List<SliceCall> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new SliceCall("key-" + i, "a", "P" + i, 1, "cv", 0, "axial", i, 0, TestImages.png(16, 16, i), 16, 16));
    }
    return out;
  }

  private static List<CallRecord> run(ArmCaller caller, List<SliceCall> calls) {
    List<CallRecord> out = new ArrayList<>();
    BoundedFanOut.of(calls.iterator(), c -> caller.client().permits(), caller::call, caller::failed)
        .forEachRemaining(out::add);
    return out;
  }

  @Test
  void keepsTheConfiguredNumberOfCallsInFlightAndReturnsEveryResult() {
    try (SimulatedLlmServer server = SimulatedLlmServer.start(SimulatedBehaviour.defaults().withLatency(80, 0))) {
      ClientConfig config = new ClientConfig(server.baseUrl(), null, 2000, 5000, 4, 0, new RetryPolicy(2, 10, 20, 5000, 1000));
      try (LlmClient client = new LlmClient(config, null)) {
        ArmCaller caller = new ArmCaller(new ArmSpec("a", true, "m", "classify-v1", DECODING, config), client);
        long t0 = System.nanoTime();
        List<CallRecord> out = run(caller, calls(24));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(24, out.size());
        Set<String> keys = new HashSet<>();
        out.forEach(r -> keys.add(r.callKey()));
        assertEquals(24, keys.size(), "every call exactly once");
        assertTrue(out.stream().allMatch(r -> r.status().equals(LlmCalls.STATUS_OK) || r.status().equals(LlmCalls.STATUS_PARSE_ERROR)));
        assertEquals(4, server.maxConcurrent(), "the bound is reached and never passed");
        assertTrue(seconds < 24 * 0.08 * 0.75, "concurrent, not one by one: " + seconds + " s");
        assertEquals(4, client.permits().availablePermits(), "every permit given back");
      }
    }
  }

  @Test
  void aRateLimitSpacesRequests() {
    try (SimulatedLlmServer server = SimulatedLlmServer.start(SimulatedBehaviour.defaults().withLatency(1, 0))) {
      ClientConfig config = new ClientConfig(server.baseUrl(), null, 2000, 5000, 8, 20, new RetryPolicy(2, 10, 20, 5000, 1000));
      try (LlmClient client = new LlmClient(config, null)) {
        ArmCaller caller = new ArmCaller(new ArmSpec("a", true, "m", "classify-v1", DECODING, config), client);
        assertEquals(12, run(caller, calls(12)).size());
        List<Long> t = server.arrivals();
        double span = (t.get(t.size() - 1) - t.get(0)) / 1e9;
        assertTrue(span >= 11 / 20.0 * 0.9, "12 requests at 20/s span at least 0.55 s, got " + span);
      }
    }
  }
}
