package org.gliomabench.udf.client;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an OpenAI-compatible server does with the optional parts of a chat request, per implementation
 * ({@code llm.server}): whether it returns token logprobs (P(HGG)), which constrained decoding it accepts and in
 * which request field, whether it honours a seed, and how it matches the model name of a request. The README's
 * table of server kinds is this enum in prose; change both together.
 */
public enum ServerKind {
  /** vLLM's OpenAI server (0.10.x serves Llama 3.2 Vision). */
  VLLM("vllm", "vLLM", true, Set.of(DecodingParams.GUIDED_REGEX, DecodingParams.JSON_SCHEMA), true, ModelMatch.EXACT),
  /** Ollama's /v1 endpoint (logprobs since Ollama 0.12.11, though some releases drop them on /v1). */
  OLLAMA("ollama", "Ollama", true, Set.of(DecodingParams.JSON_SCHEMA), true, ModelMatch.TAG),
  /** llama.cpp's llama-server: regex-like constraints as a GBNF grammar, one model whatever the name. */
  LLAMACPP("llamacpp", "llama.cpp llama-server", true, Set.of(DecodingParams.GUIDED_REGEX, DecodingParams.JSON_SCHEMA), true,
      ModelMatch.ANY),
  /** {@code transformers serve} (transformers 5.x): ignores logprobs and response_format, answers 422 to guided_regex. */
  TRANSFORMERS("transformers", "transformers serve", false, Set.of(), true, ModelMatch.EXACT),
  /** The OpenAI API itself, or a server whose kind is not known: the OpenAI schema, nothing more. */
  OPENAI("openai", "OpenAI API", true, Set.of(DecodingParams.JSON_SCHEMA), true, ModelMatch.EXACT);

  /** How a server matches the model name of a request against what it serves. */
  public enum ModelMatch {
    /** the exact served name (vLLM --served-model-name, the path transformers serve was given) */
    EXACT,
    /** name or name:tag, ":latest" implied (Ollama) */
    TAG,
    /** any name: the server has one model (llama-server) */
    ANY
  }

  private final String id;
  private final String display;
  private final boolean logprobs;
  private final Set<String> constrained;
  private final boolean seed;
  private final ModelMatch modelMatch;

  ServerKind(String id, String display, boolean logprobs, Set<String> constrained, boolean seed, ModelMatch modelMatch) {
    this.id = id;
    this.display = display;
    this.logprobs = logprobs;
    this.constrained = constrained;
    this.seed = seed;
    this.modelMatch = modelMatch;
  }

  public String id() {
    return id;
  }

  public String display() {
    return display;
  }

  /** Whether the server returns token logprobs when asked. */
  public boolean logprobs() {
    return logprobs;
  }

  public boolean supportsConstrained(String mode) {
    return DecodingParams.NONE.equals(mode) || constrained.contains(mode);
  }

  public boolean seed() {
    return seed;
  }

  public ModelMatch modelMatch() {
    return modelMatch;
  }

  /** The kinds that accept a constrained-decoding mode, for error messages. */
  public static List<String> supporting(String mode) {
    return Arrays.stream(values()).filter(k -> k.constrained.contains(mode)).map(ServerKind::id).toList();
  }

  public static ServerKind byId(String id) {
    String v = id.trim().toLowerCase(Locale.ROOT).replace("-", "").replace(".", "");
    for (ServerKind k : values()) {
      if (k.id.equals(v)) {
        return k;
      }
    }
    if (v.equals("llamaserver")) {
      return LLAMACPP;
    }
    throw new IllegalArgumentException("unknown server kind '" + id + "' (auto, vllm, ollama, llamacpp, transformers, openai)");
  }

  /**
   * The kind told by a GET /v1/models answer: the {@code owned_by} of its models (vLLM "vllm", llama-server
   * "llamacpp", Ollama "library" or the user's namespace with ":tag" names, OpenAI "openai"/"system"), or null.
   */
  public static ServerKind fromOwnedBy(List<String> ownedBy, List<String> ids) {
    for (String o : ownedBy) {
      String v = o == null ? "" : o.toLowerCase(Locale.ROOT);
      if (v.equals("vllm")) {
        return VLLM;
      }
      if (v.equals("llamacpp")) {
        return LLAMACPP;
      }
      if (v.equals("library") || v.equals("ollama")) {
        return OLLAMA;
      }
      if (v.equals("openai") || v.equals("system") || v.startsWith("openai-")) {
        return OPENAI;
      }
      if (v.equals("huggingface") || v.equals("transformers")) {
        return TRANSFORMERS;
      }
    }
    if (!ids.isEmpty() && ids.stream().allMatch(i -> i.contains(":"))) {
      return OLLAMA; // Ollama's names carry a tag; owned_by is the namespace
    }
    return null;
  }

  /** Whether a server of this kind that lists {@code served} answers a request for {@code model}. */
  public boolean serves(List<String> served, String model) {
    switch (modelMatch) {
      case ANY:
        return true;
      case TAG:
        String want = model.contains(":") ? model : model + ":latest";
        return served.stream().anyMatch(s -> s.equals(model) || s.equals(want) || (s.contains(":") ? s : s + ":latest").equals(want));
      default:
        return served.contains(model);
    }
  }
}
