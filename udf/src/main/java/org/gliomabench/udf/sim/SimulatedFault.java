package org.gliomabench.udf.sim;

/** What the SIMULATED server can do instead of answering. */
public enum SimulatedFault {
  /** 429 Too Many Requests with a Retry-After header. */
  RATE_LIMITED,
  /** 500 Internal Server Error. */
  SERVER_ERROR,
  /** Reads the request and never answers (until the client gives up and closes). */
  HANG,
  /** Reads the request and drops the connection (TCP reset) without a response. */
  DROP,
  /** 200 with a body that is not a chat completion. */
  GARBAGE,
  /** 400 Bad Request (not retryable). */
  BAD_REQUEST
}
