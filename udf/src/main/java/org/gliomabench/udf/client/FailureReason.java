package org.gliomabench.udf.client;

import java.util.regex.Pattern;
import org.gliomabench.core.Tables.LlmCalls;

/**
 * Why calls failed, in a form a person can act on: the status, the HTTP status and the server's message
 * (without our retry bookkeeping, shortened), whether a rerun can help ({@link #permanent()}: a client error
 * other than 408 and 429, which the client never retries), and what to change.
 */
public record FailureReason(String status, Integer httpStatus, String message, boolean permanent) {
  /** Longest message kept: enough for "Server is pinned to '...'; requested '...'" with long paths. */
  public static final int MAX_MESSAGE = 180;
  private static final Pattern BOOKKEEPING = Pattern.compile(
      " \\((gave up after \\d+ attempts|retry budget of \\d+ ms spent after \\d+ attempts|Retry-After \\d+ s exceeds the \\d+ s limit)\\)$");
  private static final Pattern HTTP_PREFIX = Pattern.compile("^HTTP \\d{3}: ");

  /** The reason of one failed call row (status not ok / parse_error). */
  public static FailureReason of(String status, Integer httpStatus, String error) {
    String m = error == null ? "" : error.strip();
    m = BOOKKEEPING.matcher(m).replaceAll("");
    m = HTTP_PREFIX.matcher(m).replaceAll("");
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE - 3) + "...";
    }
    boolean permanent = LlmCalls.STATUS_HTTP_ERROR.equals(status) && httpStatus != null && httpStatus >= 400
        && httpStatus < 500 && !RetryPolicy.isRetryableStatus(httpStatus);
    return new FailureReason(status, httpStatus, m, permanent);
  }

  /** "HTTP 400: Server is pinned to ..." or "timeout: no complete answer within ...". */
  public String label() {
    String head = httpStatus != null ? "HTTP " + httpStatus : status;
    return message.isEmpty() ? head : head + ": " + message;
  }

  /** What to change, for an arm that asked {@code model} at {@code endpoint}. */
  public String advice(String model, String endpoint) {
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (httpStatus != null) {
      switch (httpStatus) {
        case 400:
          if (lower.contains("model")) {
            return "the server does not serve a model named '" + model + "': pass --model (or llm.arm.<arm>.model) the name it"
                + " serves (the one it was started with; vLLM: --served-model-name)";
          }
          return "the server rejected the request: check llm.server (the server's kind decides which optional fields are"
              + " sent), llm.constrained, llm.logprobs and llm.max.tokens";
        case 401:
          return "the server wants an API key or rejected the one sent: put a valid key in an environment variable on every"
              + " executor and pass --api-key-env VAR";
        case 403:
          return "the API key has no access to model '" + model + "' or to this endpoint: use a key or model with access";
        case 404:
          return "nothing answers at " + endpoint + "/chat/completions for model '" + model + "': the endpoint must be the"
              + " OpenAI base URL (ending in /v1) and --model a name the server lists at /v1/models";
        case 413:
          return "the request (the slice image) is larger than the server accepts: raise the server's request size limit";
        case 422:
          return "the server rejected a field of the request (named above): set llm.server to this server's kind, or"
              + " llm.constrained=none / llm.logprobs=false";
        case 429:
          return "rate limited: lower llm.rate.limit or llm.concurrency, then rerun with the same --run-id to retry these calls";
        default:
          if (httpStatus >= 500) {
            return "server errors: see the server's log (out of memory, a crash); rerun with the same --run-id to retry these calls";
          }
          if (permanent) {
            return "a client error that a rerun does not fix: see the server's message";
          }
      }
    }
    switch (status) {
      case LlmCalls.STATUS_TIMEOUT:
        return "no answer in time: raise llm.timeout.response.ms or lower llm.concurrency (the server is overloaded);"
            + " rerun with the same --run-id to retry these calls";
      case LlmCalls.STATUS_CONNECTION_ERROR:
        return "cannot reach " + endpoint + ": is the server up, and reachable from every executor? Then rerun with the same"
            + " --run-id to retry these calls";
      case LlmCalls.STATUS_BAD_RESPONSE:
        return "answers that are not OpenAI chat completions: is " + endpoint + " an OpenAI-compatible base URL (ending in"
            + " /v1)? Then rerun with the same --run-id to retry these calls";
      default:
        return "rerun with the same --run-id to retry these calls";
    }
  }
}
