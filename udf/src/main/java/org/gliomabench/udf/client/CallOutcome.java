package org.gliomabench.udf.client;

import org.gliomabench.core.Tables.LlmCalls;

/**
 * How a call ended after all its attempts: {@code status} is ok (an answer arrived; its text may still fail
 * to parse) or the last failure's kind (http_error, timeout, connection_error, bad_response, error).
 */
public record CallOutcome(String status, int attempts, Integer httpStatus, long latencyMs, ChatCompletion completion,
    String error) {

  public boolean answered() {
    return LlmCalls.STATUS_OK.equals(status);
  }
}
