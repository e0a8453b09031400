package org.gliomabench.udf.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureReasonTest {
  @Test
  void clientErrorsArePermanentAndTheirAdviceNamesWhatToFixNotARerun() {
    for (int code : new int[] {400, 401, 403, 404, 413, 422}) {
      FailureReason r = FailureReason.of("http_error", code, "HTTP " + code + ": nope");
      assertTrue(r.permanent(), "HTTP " + code);
      assertFalse(r.advice("m", "http://h/v1").contains("retry these calls"), "HTTP " + code + ": " + r.advice("m", "http://h/v1"));
    }
    FailureReason pinned = FailureReason.of("http_error", 400,
        "HTTP 400: Server is pinned to '/models/tiny'; requested 'llama'. (gave up after 1 attempts)");
    assertEquals("HTTP 400: Server is pinned to '/models/tiny'; requested 'llama'.", pinned.label());
    assertTrue(pinned.advice("llama", "http://h/v1").contains("pass --model"));
    assertTrue(FailureReason.of("http_error", 401, "HTTP 401: bad key").advice("m", "e").contains("--api-key-env"));
    assertTrue(FailureReason.of("http_error", 422, "HTTP 422: Unexpected fields in the request: {'guided_regex'}")
        .advice("m", "e").contains("llm.server"));
  }

  @Test
  void rateLimitsServerErrorsTimeoutsAndResetsAreRetriedAndARerunRetriesThem() {
    FailureReason[] transient_ = {FailureReason.of("http_error", 429, "HTTP 429: slow down (gave up after 6 attempts)"),
        FailureReason.of("http_error", 503, "HTTP 503: overloaded (retry budget of 1000 ms spent after 3 attempts)"),
        FailureReason.of("http_error", 408, "HTTP 408: request timeout"),
        FailureReason.of("timeout", null, "no complete answer within 100 ms (gave up after 6 attempts)"),
        FailureReason.of("connection_error", null, "ConnectException: Connection refused")};
    for (FailureReason r : transient_) {
      assertFalse(r.permanent(), r.label());
      assertTrue(r.advice("m", "http://h/v1").contains("rerun with the same --run-id"), r.label());
      assertFalse(r.label().contains("gave up") || r.label().contains("retry budget"), r.label());
    }
  }

  @Test
  void theSameReasonFromCallsThatGaveUpAfterDifferentAttemptsIsOneReason() {
    assertEquals(FailureReason.of("http_error", 503, "HTTP 503: x (gave up after 2 attempts)"),
        FailureReason.of("http_error", 503, "HTTP 503: x (gave up after 6 attempts)"));
  }

  @Test
  void longMessagesAreShortened() {
    FailureReason r = FailureReason.of("http_error", 400, "HTTP 400: " + "x".repeat(1000));
    assertEquals(FailureReason.MAX_MESSAGE, r.message().length());
    assertTrue(r.message().endsWith("..."));
  }
}
