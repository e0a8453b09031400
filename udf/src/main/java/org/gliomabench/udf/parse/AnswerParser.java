package org.gliomabench.udf.parse;

import org.gliomabench.udf.prompt.PromptKind;

/** Parses an answer the way its prompt asked for it. */
public final class AnswerParser {
  private AnswerParser() {}

  public static ParsedAnswer parse(PromptKind kind, String raw, int width, int height) {
    return kind == PromptKind.CLASSIFY ? ClassifyParser.parse(raw) : LocationParser.parse(kind, raw, width, height);
  }
}
