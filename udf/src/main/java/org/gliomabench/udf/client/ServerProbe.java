package org.gliomabench.udf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One look at a server before the calls (on the driver): GET {base}/models for the names it serves and who
 * owns them, and GET {root}/health, which {@code transformers serve} answers with {"status":"ok"}. Never
 * throws: an unreachable or odd server gives a probe that knows nothing, and the calls find out the rest.
 */
public record ServerProbe(ServerKind detected, List<String> served, String note) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the probe read a model list (an empty list means the server listed none). */
  public boolean listed() {
    return served != null;
  }

  public static ServerProbe of(String endpoint, ApiKey key, long timeoutMs) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
    String base = endpoint.trim().replaceAll("/+$", "");
    List<String> ids = null;
    List<String> owners = new ArrayList<>();
    String note = null;
    try {
      HttpResponse<String> r = http.send(request(base + "/models", key, timeoutMs), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode data = JSON.readTree(r.body()).path("data");
        ids = new ArrayList<>();
        for (JsonNode m : data) {
          ids.add(m.path("id").asText());
          owners.add(m.path("owned_by").asText(null));
        }
      } else {
        note = "GET /models answered HTTP " + r.statusCode();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ServerProbe(null, null, "interrupted");
    } catch (Exception e) {
      note = "GET /models failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
    ServerKind kind = ids == null ? null : ServerKind.fromOwnedBy(owners, ids);
    if (kind == null) {
      String root = base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
      try {
        HttpResponse<String> h = http.send(request(root + "/health", key, timeoutMs), HttpResponse.BodyHandlers.ofString());
        JsonNode body = h.statusCode() == 200 && h.body().startsWith("{") ? JSON.readTree(h.body()) : null;
        if (body != null && "ok".equals(body.path("status").asText())) {
          kind = ServerKind.TRANSFORMERS;
          ids = null; // its /models lists the local Hugging Face cache, not what it serves
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // no /health: not transformers serve
      }
    }
    return new ServerProbe(kind, ids, note);
  }

  private static HttpRequest request(String url, ApiKey key, long timeoutMs) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs)).GET();
    if (key != null) {
      b.header("Authorization", key.bearer());
    }
    return b.build();
  }
}
