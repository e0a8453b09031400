package org.gliomabench.udf.client;

/**
 * An API key read from an environment variable. It is only ever written into the Authorization header:
 * {@link #toString()} masks it, and {@link #redact(String)} scrubs it from any text we record (servers
 * such as OpenAI echo part of a wrong key in their 401 message).
 */
public final class ApiKey {
  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** The key in {@code variable}; an error that names the variable (never a value) when it is unset. */
  public static ApiKey fromEnv(String variable) {
    String v = System.getenv(variable);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("the API key environment variable " + variable + " is not set (on this executor)");
    }
    return new ApiKey(v.trim());
  }

  /** For tests and embedding; production code reads keys with {@link #fromEnv}. */
  public static ApiKey of(String value) {
    return new ApiKey(value);
  }

  String bearer() {
    return "Bearer " + value;
  }

  /** The text with the key, and any 8+ character piece of it, replaced by ****. */
  public String redact(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    String out = text.replace(value, "****");
    // Partial echoes ("sk-abc...xyz"): scrub every 8-character window of the key.
    for (int i = 0; i + 8 <= value.length(); i++) {
      String piece = value.substring(i, i + 8);
      if (out.contains(piece)) {
        out = out.replace(piece, "****");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "ApiKey(****)";
  }
}
