package org.gliomabench.udf.client;

import java.net.URI;

/** Endpoint URLs as they may be shown: without user info, query or fragment (where keys sometimes hide). */
public final class Urls {
  private Urls() {}

  public static String redact(String url) {
    try {
      URI u = URI.create(url.trim());
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (Exception e) {
      return "<unparseable endpoint URL>";
    }
  }

  /** {@code base + "/chat/completions"}, for an OpenAI-style base URL such as http://host:8000/v1. */
  public static URI chatCompletions(String base) {
    String b = base.trim();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(b + "/chat/completions");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint " + redact(base) + " is not a URL");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint " + redact(base) + " must be an http(s) URL such as http://127.0.0.1:8000/v1");
    }
    return uri;
  }
}
