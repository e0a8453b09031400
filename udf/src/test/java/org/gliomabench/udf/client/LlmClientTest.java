package org.gliomabench.udf.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.udf.fanout.ArmCaller;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.fanout.CallRecord;
import org.gliomabench.udf.fanout.SliceCall;
import org.gliomabench.udf.sim.SimulatedBehaviour;
import org.gliomabench.udf.sim.SimulatedFault;
import org.gliomabench.udf.sim.SimulatedLlmServer;
import org.gliomabench.udf.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure mode of the issue, against the SIMULATED server over real loopback sockets. */
class LlmClientTest {
  private static final String KEY = "sk-test-7f3a9c2e4b1d8e6f0a5c";
  private static final SimulatedBehaviour FAST = SimulatedBehaviour.defaults().withLatency(5, 0).withMalformed(0);
  private static final DecodingParams DECODING = new DecodingParams(0.6, 64, 7L, true, 5, DecodingParams.NONE);
  private static SimulatedLlmServer server;

  private LlmClient client;

  @BeforeAll
  static void startServer() {
    server = SimulatedLlmServer.start(FAST);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void fresh() {
    server.behaviour(FAST);
    server.failFirstAttempts(0, null);
    server.resetStats();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private static ClientConfig config(String endpoint, int attempts, long responseTimeoutMs) {
    return new ClientConfig(endpoint, null, 2000, responseTimeoutMs, 4, 0,
        new RetryPolicy(attempts, 10, 50, 20_000, 5_000));
  }

  private ArmCaller caller(ClientConfig config, ApiKey key) {
    client = new LlmClient(config, key);
    return new ArmCaller(new ArmSpec("test", true, "simulated-llama", "classify-v1", DECODING, config), client);
  }

  private static CallRecord call(ArmCaller caller, String key) throws Exception {
    SliceCall c = new SliceCall(key, "test", "P1", 1, "cv", 0, "axial", 3, 0, TestImages.png(24, 20, key.hashCode()), 24, 20);
    return caller.call(c).get(30, TimeUnit.SECONDS);
  }

  @Test
  void answersAreParsedWithTheirProbabilityAndServerModel() throws Exception {
    CallRecord r = call(caller(config(server.baseUrl(), 3, 2000), null), "k-ok");
    assertEquals(LlmCalls.STATUS_OK, r.status(), r.error());
    assertEquals(1, r.attempts());
    assertEquals(200, r.httpStatus());
    assertTrue(r.serverModel().startsWith("simulated-"));
    assertNotNull(r.choice());
    assertTrue(r.strictFormat());
    assertNotNull(r.pHgg(), "the simulated server returns logprobs");
    assertTrue(r.pHgg() > 0.5 && r.pHgg() < 1, "biased towards HGG: " + r.pHgg());
    assertEquals(1, server.answersById().get("k-ok"));
  }

  @Test
  void rateLimitedCallsWaitForRetryAfter() throws Exception {
    server.behaviour(FAST.withRetryAfter(1));
    server.script(SimulatedFault.RATE_LIMITED);
    CallRecord r = call(caller(config(server.baseUrl(), 3, 2000), null), "k-429");
    assertEquals(LlmCalls.STATUS_OK, r.status());
    assertEquals(2, r.attempts());
    // the policy's own backoff is at most 50 ms, so only Retry-After explains a second's wait
    assertTrue(r.latencyMs() >= 950, "waited " + r.latencyMs() + " ms");
  }

  @Test
  void aRetryAfterBeyondTheLimitEndsTheCallWithoutWaiting() throws Exception {
    server.behaviour(FAST.withRetryAfter(30));
    server.script(SimulatedFault.RATE_LIMITED);
    CallRecord r = call(caller(config(server.baseUrl(), 3, 2000), null), "k-429-long");
    assertEquals(LlmCalls.STATUS_HTTP_ERROR, r.status());
    assertEquals(429, r.httpStatus());
    assertTrue(r.error().contains("Retry-After"), r.error());
    assertTrue(r.latencyMs() < 5000);
  }

  @Test
  void serverErrorsAreRetriedUntilTheAttemptsRunOut() throws Exception {
    server.script(SimulatedFault.SERVER_ERROR, SimulatedFault.SERVER_ERROR);
    ArmCaller caller = caller(config(server.baseUrl(), 3, 2000), null);
    CallRecord r = call(caller, "k-500");
    assertEquals(LlmCalls.STATUS_OK, r.status());
    assertEquals(3, r.attempts());
    server.failFirstAttempts(10, SimulatedFault.SERVER_ERROR);
    CallRecord gaveUp = call(caller, "k-500-always");
    assertEquals(LlmCalls.STATUS_HTTP_ERROR, gaveUp.status());
    assertEquals(500, gaveUp.httpStatus());
    assertEquals(3, gaveUp.attempts());
    assertTrue(gaveUp.error().contains("gave up after 3 attempts"), gaveUp.error());
    assertNull(gaveUp.choice());
  }

  @Test
  void hangsEndInATimeoutAndARetry() throws Exception {
    server.script(SimulatedFault.HANG);
    ArmCaller caller = caller(config(server.baseUrl(), 2, 300), null);
    CallRecord r = call(caller, "k-hang");
    assertEquals(LlmCalls.STATUS_OK, r.status());
    assertEquals(2, r.attempts());
    assertTrue(r.latencyMs() >= 290, "waited for the deadline: " + r.latencyMs());
    server.failFirstAttempts(10, SimulatedFault.HANG);
    CallRecord timedOut = call(caller, "k-hang-always");
    assertEquals(LlmCalls.STATUS_TIMEOUT, timedOut.status());
    assertEquals(2, timedOut.attempts());
  }

  @Test
  void droppedConnectionsAreRetried() throws Exception {
    server.script(SimulatedFault.DROP, SimulatedFault.DROP);
    ArmCaller caller = caller(config(server.baseUrl(), 3, 2000), null);
    CallRecord r = call(caller, "k-drop");
    assertEquals(LlmCalls.STATUS_OK, r.status(), r.error());
    assertEquals(3, r.attempts());
    server.failFirstAttempts(10, SimulatedFault.DROP);
    CallRecord dropped = call(caller, "k-drop-always");
    assertEquals(LlmCalls.STATUS_CONNECTION_ERROR, dropped.status());
    assertEquals(3, dropped.attempts());
  }

  @Test
  void unreadableAnswersAreRetriedAndThenRecorded() throws Exception {
    server.script(SimulatedFault.GARBAGE);
    ArmCaller caller = caller(config(server.baseUrl(), 3, 2000), null);
    assertEquals(LlmCalls.STATUS_OK, call(caller, "k-garbage").status());
    server.failFirstAttempts(10, SimulatedFault.GARBAGE);
    CallRecord r = call(caller, "k-garbage-always");
    assertEquals(LlmCalls.STATUS_BAD_RESPONSE, r.status());
    assertTrue(r.error().contains("not JSON"), r.error());
  }

  @Test
  void otherClientErrorsAreNotRetried() throws Exception {
    server.script(SimulatedFault.BAD_REQUEST);
    CallRecord r = call(caller(config(server.baseUrl(), 5, 2000), null), "k-400");
    assertEquals(LlmCalls.STATUS_HTTP_ERROR, r.status());
    assertEquals(400, r.httpStatus());
    assertEquals(1, r.attempts());
    assertEquals(1, server.requests());
  }

  @Test
  void malformedAnswersAreParseErrorsWithTheRawTextKept() throws Exception {
    server.behaviour(FAST.withMalformed(1.0));
    ArmCaller caller = caller(config(server.baseUrl(), 3, 2000), null);
    int parseErrors = 0;
    int lenient = 0;
    for (int i = 0; i < 16; i++) {
      CallRecord r = call(caller, "k-malformed-" + i);
      assertEquals(1, r.attempts(), "a malformed answer is an answer: not retried");
      assertNotNull(r.rawText());
      if (r.status().equals(LlmCalls.STATUS_PARSE_ERROR)) {
        parseErrors++;
        assertNull(r.choice());
      } else {
        assertFalse(r.strictFormat(), r.rawText());
        lenient++;
      }
    }
    assertTrue(parseErrors > 0 && lenient > 0, parseErrors + " parse errors, " + lenient + " lenient");
  }

  @Test
  void theApiKeyIsSentButNeverRecorded() throws Exception {
    server.behaviour(FAST.withApiKey(KEY));
    CallRecord ok = call(caller(config(server.baseUrl(), 3, 2000), ApiKey.of(KEY)), "k-auth");
    assertEquals(LlmCalls.STATUS_OK, ok.status(), ok.error());
    client.close();
    String wrong = "sk-wrong-0123456789abcdef";
    CallRecord denied = call(caller(config(server.baseUrl(), 3, 2000), ApiKey.of(wrong)), "k-auth-wrong");
    assertEquals(LlmCalls.STATUS_HTTP_ERROR, denied.status());
    assertEquals(401, denied.httpStatus());
    assertEquals(1, denied.attempts(), "401 is not retried");
    assertTrue(denied.error().contains("Incorrect API key provided"), denied.error());
    assertFalse(denied.error().contains(wrong), "the server echoed the key; we must not record it: " + denied.error());
    assertFalse(denied.error().contains("0123456789"), denied.error());
    assertFalse(ApiKey.of(KEY).toString().contains("sk-"));
    assertFalse(String.valueOf(denied).contains(wrong));
  }

  @Test
  void constrainedJsonAnswersAreStrict() throws Exception {
    client = new LlmClient(config(server.baseUrl(), 3, 2000), null);
    DecodingParams json = new DecodingParams(0, 64, null, false, 0, DecodingParams.JSON_SCHEMA);
    ArmCaller caller = new ArmCaller(new ArmSpec("json", true, "m", "classify-v1", json, client.config()), client);
    server.behaviour(FAST.withMalformed(1.0)); // constrained decoding wins over the bias to break format
    CallRecord r = call(caller, "k-json");
    assertEquals(LlmCalls.STATUS_OK, r.status(), r.rawText());
    assertTrue(r.rawText().startsWith("{\"choice\""), r.rawText());
    assertTrue(r.strictFormat());
    assertNull(r.pHgg(), "no logprobs asked for");
  }

  @Test
  void aRefusedConnectionIsAConnectionError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CallRecord r = call(caller(config("http://127.0.0.1:" + port + "/v1", 2, 1000), null), "k-refused");
    assertEquals(LlmCalls.STATUS_CONNECTION_ERROR, r.status(), r.error());
    assertEquals(2, r.attempts());
  }

  @Test
  void theRetryBudgetBoundsACall() throws Exception {
    server.failFirstAttempts(100, SimulatedFault.SERVER_ERROR);
    ClientConfig tight = new ClientConfig(server.baseUrl(), null, 2000, 2000, 4, 0, new RetryPolicy(100, 100, 100, 300, 1000));
    CallRecord r = call(caller(tight, null), "k-budget");
    assertEquals(LlmCalls.STATUS_HTTP_ERROR, r.status());
    assertTrue(r.error().contains("retry budget"), r.error());
    assertTrue(r.attempts() >= 2 && r.attempts() <= 5, "attempts " + r.attempts());
  }
}
