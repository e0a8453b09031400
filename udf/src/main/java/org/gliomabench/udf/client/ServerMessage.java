package org.gliomabench.udf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The human part of an error body, as the common servers spell it: FastAPI's {"detail": "..."} (transformers
 * serve; a list of {"msg"} for validation errors), OpenAI's and vLLM's {"error": {"message": ...}}, Ollama's
 * {"error": "..."}, {"message": ...}.
 */
final class ServerMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerMessage() {}

  /** The message, or null when the body is not JSON or has none of these fields. */
  static String of(byte[] body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (Exception e) {
      return null;
    }
    if (n == null || !n.isObject()) {
      return null;
    }
    JsonNode detail = n.get("detail");
    if (detail != null) {
      if (detail.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : detail) {
          sb.append(sb.length() == 0 ? "" : "; ").append(d.path("msg").asText(d.toString()));
          if (d.has("loc")) {
            sb.append(" at ").append(d.get("loc"));
          }
        }
        return sb.toString();
      }
      return detail.isTextual() ? detail.asText() : detail.toString();
    }
    JsonNode error = n.get("error");
    if (error != null) {
      if (error.isTextual()) {
        return error.asText();
      }
      if (error.has("message")) {
        return error.get("message").asText();
      }
    }
    JsonNode message = n.get("message");
    return message != null && message.isTextual() ? message.asText() : null;
  }
}
