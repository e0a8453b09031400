package org.gliomabench.udf.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import org.gliomabench.udf.prompt.PromptKind;

/**
 * The OpenAI chat-completions request: one user message of parts, text and PNGs as data URLs (the study's arms:
 * the slice, then the prompt; few-shot arms: captions and example images, then the slice and the question).
 */
public final class ChatRequestBody {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** vLLM guided_regex for the study's format. */
  public static final String CLASSIFY_REGEX = "Choice: [012] Reasoning: [^\\n]{1,400}";
  /** The same format as a llama.cpp GBNF grammar (llama-server's grammar field). */
  public static final String CLASSIFY_GBNF = "root ::= \"Choice: \" [012] \" Reasoning: \" [^\\n]{1,400}";

  private ChatRequestBody() {}

  /** One part of the user message: a text, or a PNG image. */
  public record Part(String text, byte[] png) {
    public static Part text(String text) {
      return new Part(text, null);
    }

    public static Part image(byte[] png) {
      return new Part(null, png);
    }

    public boolean isImage() {
      return png != null;
    }
  }

  public static byte[] build(String model, String prompt, byte[] png, DecodingParams d, int sample, PromptKind kind) {
    return build(model, prompt, png, d, sample, kind, ServerKind.VLLM);
  }

  /** The image, then the prompt, for a server of the given kind. */
  public static byte[] build(String model, String prompt, byte[] png, DecodingParams d, int sample, PromptKind kind,
      ServerKind server) {
    return build(model, List.of(Part.image(png), Part.text(prompt)), d, sample, kind, server);
  }

  /** The body for a server of the given kind: constrained decoding goes in the field that kind reads. */
  public static byte[] build(String model, List<Part> parts, DecodingParams d, int sample, PromptKind kind,
      ServerKind server) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ObjectNode message = root.putArray("messages").addObject();
    message.put("role", "user");
    ArrayNode content = message.putArray("content");
    for (Part part : parts) {
      if (part.isImage()) {
        content.addObject().put("type", "image_url").putObject("image_url")
            .put("url", "data:image/png;base64," + Base64.getEncoder().encodeToString(part.png()));
      } else {
        content.addObject().put("type", "text").put("text", part.text());
      }
    }
    root.put("temperature", d.temperature());
    root.put("max_tokens", d.maxTokens());
    Long seed = d.seedFor(sample);
    if (seed != null) {
      root.put("seed", seed);
    }
    if (d.logprobs()) {
      root.put("logprobs", true);
      if (d.topLogprobs() > 0) {
        root.put("top_logprobs", d.topLogprobs());
      }
    }
    if (kind == PromptKind.CLASSIFY && d.constrained().equals(DecodingParams.GUIDED_REGEX)) {
      if (server == ServerKind.LLAMACPP) {
        root.put("grammar", CLASSIFY_GBNF);
      } else {
        root.put("guided_regex", CLASSIFY_REGEX);
      }
    } else if (kind == PromptKind.CLASSIFY && d.constrained().equals(DecodingParams.JSON_SCHEMA)) {
      ObjectNode schema = root.putObject("response_format").put("type", "json_schema").putObject("json_schema");
      schema.put("name", "glioma_classification");
      ObjectNode s = schema.putObject("schema").put("type", "object");
      ObjectNode props = s.putObject("properties");
      props.putObject("choice").put("type", "integer").putArray("enum").add(0).add(1).add(2);
      props.putObject("reasoning").put("type", "string");
      s.putArray("required").add("choice").add("reasoning");
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the request JSON", e);
    }
  }
}
