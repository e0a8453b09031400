package org.gliomabench.jobs.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in (for unit tests) for {@code transformers serve MODEL} as CI's real-server check meets it: answers
 * pinned to one model name (any other: 400 "Server is pinned to ..."), no logprobs whatever is asked, 422 for
 * fields it does not know (guided_regex), /health {"status":"ok"}, /v1/models failing (it scans a cache). Or, with
 * {@code listed}, a vLLM-like /v1/models. Real sockets on loopback; it records every chat request body.
 */
final class TransformersServeStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String pinned;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  TransformersServeStandIn(String pinned, String vllmListed) throws IOException {
    this.pinned = pinned;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"ok\"}"));
    server.createContext("/v1/models", ex -> {
      if (vllmListed == null) {
        reply(ex, 500, "Internal Server Error");
      } else {
        reply(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + vllmListed + "\",\"owned_by\":\"vllm\"}]}");
      }
    });
    server.createContext("/v1/chat/completions", this::chat);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "transformers-stand-in");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void chat(HttpExchange ex) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
    requests.add(body);
    if (body.has("guided_regex")) {
      reply(ex, 422, "{\"detail\":\"Unexpected fields in the request: {'guided_regex'}\"}");
    } else if (!pinned.equals(body.path("model").asText())) {
      reply(ex, 400, "{\"detail\":\"Server is pinned to '" + pinned + "'; requested '" + body.path("model").asText() + "'.\"}");
    } else {
      reply(ex, 200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"" + pinned + "@main\",\"choices\":[{\"index\":0,"
          + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Choice: 1 Reasoning: FLAIR, bright\"}}]}");
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
