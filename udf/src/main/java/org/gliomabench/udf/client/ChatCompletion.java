package org.gliomabench.udf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gliomabench.udf.parse.ChoiceProbability;

/** The parts of an OpenAI chat-completions answer we keep: text, the server's model name, token logprobs. */
public record ChatCompletion(String text, String serverModel, List<ChoiceProbability.Token> tokens) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a response body; an IOException when it is not a chat completion. */
  public static ChatCompletion parse(byte[] body) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException("answer is not JSON");
    }
    JsonNode choice = root == null ? null : root.path("choices").path(0);
    if (choice == null || choice.isMissingNode() || !choice.has("message")) {
      throw new IOException("answer has no choices[0].message");
    }
    JsonNode content = choice.path("message").path("content");
    String text;
    if (content.isArray()) { // some servers answer with content parts
      StringBuilder sb = new StringBuilder();
      content.forEach(p -> sb.append(p.path("text").asText("")));
      text = sb.toString();
    } else {
      text = content.isNull() || content.isMissingNode() ? "" : content.asText();
    }
    List<ChoiceProbability.Token> tokens = new ArrayList<>();
    int offset = 0;
    for (JsonNode t : choice.path("logprobs").path("content")) {
      String tok = t.path("token").asText("");
      List<ChoiceProbability.Alternative> top = new ArrayList<>();
      for (JsonNode a : t.path("top_logprobs")) {
        top.add(new ChoiceProbability.Alternative(a.path("token").asText(""), a.path("logprob").asDouble(Double.NEGATIVE_INFINITY)));
      }
      if (top.isEmpty() && t.has("logprob")) {
        top.add(new ChoiceProbability.Alternative(tok, t.path("logprob").asDouble()));
      }
      tokens.add(new ChoiceProbability.Token(tok, offset, top));
      offset += tok.length();
    }
    return new ChatCompletion(text, root.path("model").asText(null), tokens);
  }
}
