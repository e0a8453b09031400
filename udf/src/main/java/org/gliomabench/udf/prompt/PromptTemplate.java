package org.gliomabench.udf.prompt;

import java.io.Serializable;

/**
 * A versioned prompt. The text may hold {@code {width}} and {@code {height}} (the image size in pixels),
 * which locate prompts need to ask for pixel coordinates. A template never changes once published: a new
 * wording is a new id, because the id is part of every call key.
 */
public record PromptTemplate(String id, PromptKind kind, String text) implements Serializable {

  public String render(int width, int height) {
    return text.replace("{width}", Integer.toString(width)).replace("{height}", Integer.toString(height));
  }
}
