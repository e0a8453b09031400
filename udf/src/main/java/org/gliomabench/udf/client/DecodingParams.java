package org.gliomabench.udf.client;

import java.io.Serializable;
import java.util.Locale;

/**
 * Decoding parameters sent with every call. {@code seed} null sends none; sample s of a call sends
 * {@code seed + s}, so repeated samples differ yet stay reproducible on servers that honour seeds.
 * {@code constrained}: none, guided-regex (vLLM's guided_regex) or json-schema (response_format).
 */
public record DecodingParams(double temperature, int maxTokens, Long seed, boolean logprobs, int topLogprobs,
    String constrained) implements Serializable {

  public static final String NONE = "none";
  public static final String GUIDED_REGEX = "guided-regex";
  public static final String JSON_SCHEMA = "json-schema";

  public DecodingParams {
    if (!constrained.equals(NONE) && !constrained.equals(GUIDED_REGEX) && !constrained.equals(JSON_SCHEMA)) {
      throw new IllegalArgumentException("constrained decoding must be none, guided-regex or json-schema, got '" + constrained + "'");
    }
    if (maxTokens <= 0 || topLogprobs < 0 || temperature < 0) {
      throw new IllegalArgumentException("max tokens must be positive, top logprobs and temperature not negative");
    }
  }

  public Long seedFor(int sample) {
    return seed == null ? null : seed + sample;
  }

  /** A stable spelling, part of the call key. */
  public String canonical() {
    return String.format(Locale.ROOT, "t=%s;max=%d;seed=%s;lp=%s;top=%d;c=%s", Double.toString(temperature), maxTokens,
        seed, logprobs, topLogprobs, constrained);
  }
}
