package org.gliomabench.udf.parse;

/**
 * What an answer said. {@code ok} false means a parse error ({@code error} says why; the raw text is kept
 * by the caller). For classify prompts {@code choice} is 0, 1 or 2 and {@code choiceOffset} is where its
 * digit sits in the raw text (used to find its logprobs; -1 when the choice was spelled out). For locate
 * prompts {@code location} holds x,y pairs in pixels.
 */
public record ParsedAnswer(boolean ok, Integer choice, boolean strictFormat, int choiceOffset,
    String locationKind, double[] location, String error) {

  public static ParsedAnswer choice(int choice, boolean strict, int offset) {
    return new ParsedAnswer(true, choice, strict, offset, null, null, null);
  }

  public static ParsedAnswer location(String kind, double[] points, boolean strict) {
    return new ParsedAnswer(true, null, strict, -1, kind, points, null);
  }

  public static ParsedAnswer error(String why) {
    return new ParsedAnswer(false, null, false, -1, null, null, why);
  }
}
