package org.gliomabench.udf.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gliomabench.udf.prompt.PromptKind;
import org.junit.jupiter.api.Test;

class ServerKindTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void kindsAreToldByWhoOwnsTheirModels() {
    assertEquals(ServerKind.VLLM, ServerKind.fromOwnedBy(List.of("vllm"), List.of("meta-llama/x")));
    assertEquals(ServerKind.LLAMACPP, ServerKind.fromOwnedBy(List.of("llamacpp"), List.of("model.gguf")));
    assertEquals(ServerKind.OLLAMA, ServerKind.fromOwnedBy(List.of("library"), List.of("llama3.2-vision:latest")));
    assertEquals(ServerKind.OPENAI, ServerKind.fromOwnedBy(List.of("system"), List.of("gpt-4o")));
    assertNull(ServerKind.fromOwnedBy(List.of("someone"), List.of("x")));
    assertEquals(ServerKind.LLAMACPP, ServerKind.byId("llama.cpp"));
    assertThrows(IllegalArgumentException.class, () -> ServerKind.byId("tgi"));
  }

  @Test
  void modelNamesAreMatchedAsEachServerMatchesThem() {
    assertTrue(ServerKind.OLLAMA.serves(List.of("llama3.2-vision:latest"), "llama3.2-vision"));
    assertFalse(ServerKind.OLLAMA.serves(List.of("llama3.2-vision:latest"), "llama3.2-vision:90b"));
    assertFalse(ServerKind.VLLM.serves(List.of("meta-llama/Llama-3.2-11B-Vision-Instruct"), "llama"));
    assertTrue(ServerKind.LLAMACPP.serves(List.of("whatever.gguf"), "anything"));
  }

  @Test
  void constrainedDecodingGoesInTheFieldTheServerReads() throws Exception {
    DecodingParams regex = new DecodingParams(0, 32, null, false, 0, DecodingParams.GUIDED_REGEX);
    JsonNode vllm = JSON.readTree(ChatRequestBody.build("m", "p", new byte[] {1}, regex, 0, PromptKind.CLASSIFY, ServerKind.VLLM));
    JsonNode cpp = JSON.readTree(ChatRequestBody.build("m", "p", new byte[] {1}, regex, 0, PromptKind.CLASSIFY, ServerKind.LLAMACPP));
    assertTrue(vllm.has("guided_regex") && !vllm.has("grammar"));
    assertTrue(cpp.has("grammar") && !cpp.has("guided_regex"));
    assertTrue(cpp.get("grammar").asText().startsWith("root ::= \"Choice: \" [012]"));
    assertFalse(ServerKind.TRANSFORMERS.supportsConstrained(DecodingParams.GUIDED_REGEX));
    assertFalse(ServerKind.TRANSFORMERS.supportsConstrained(DecodingParams.JSON_SCHEMA));
    assertFalse(ServerKind.TRANSFORMERS.logprobs());
    assertEquals(List.of("vllm", "llamacpp"), ServerKind.supporting(DecodingParams.GUIDED_REGEX));
  }

  @Test
  void aProbeReadsTheModelListOrRecognisesTransformersServeByItsHealthAnswer() throws Exception {
    HttpServer vllm = server("/v1/models", 200, "{\"object\":\"list\",\"data\":[{\"id\":\"served-name\",\"owned_by\":\"vllm\"}]}");
    HttpServer tf = server("/v1/models", 500, "Internal Server Error");
    tf.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"ok\"}"));
    try {
      ServerProbe p = ServerProbe.of("http://127.0.0.1:" + vllm.getAddress().getPort() + "/v1", null, 2000);
      assertEquals(ServerKind.VLLM, p.detected());
      assertEquals(List.of("served-name"), p.served());
      ServerProbe t = ServerProbe.of("http://127.0.0.1:" + tf.getAddress().getPort() + "/v1/", null, 2000);
      assertEquals(ServerKind.TRANSFORMERS, t.detected());
      assertFalse(t.listed(), "its /v1/models lists the local cache, not what it serves");
      ServerProbe none = ServerProbe.of("http://127.0.0.1:1/v1", null, 500);
      assertNull(none.detected());
    } finally {
      vllm.stop(0);
      tf.stop(0);
    }
  }

  @Test
  void theServersOwnMessageIsReadFromTheUsualErrorShapes() {
    assertEquals("Server is pinned to 'a'; requested 'b'.",
        ServerMessage.of("{\"detail\":\"Server is pinned to 'a'; requested 'b'.\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("The model `x` does not exist.", ServerMessage.of(
        "{\"object\":\"error\",\"error\":{\"message\":\"The model `x` does not exist.\",\"code\":404}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("model \"x\" not found", ServerMessage.of("{\"error\":\"model \\\"x\\\" not found\"}".getBytes(StandardCharsets.UTF_8)));
    assertNull(ServerMessage.of("<html>502</html>".getBytes(StandardCharsets.UTF_8)));
  }

  static HttpServer server(String path, int status, String body) throws java.io.IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(path, ex -> reply(ex, status, body));
    s.start();
    return s;
  }

  static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }
}
