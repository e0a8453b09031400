package org.gliomabench.udf.parse;

import java.util.List;

/**
 * P(HGG) from the top logprobs of the token that carries the choice digit: the probability mass on "1"
 * divided by the mass on "0", "1" and "2" among the top alternatives (tokens compared after trimming).
 */
public final class ChoiceProbability {
  /** One generated token, where it starts in the answer text, and its top alternatives. */
  public record Token(String text, int offset, List<Alternative> top) {}

  public record Alternative(String token, double logprob) {}

  private ChoiceProbability() {}

  /** Null when there are no logprobs, the choice has no digit, or no alternative is a choice digit. */
  public static Double pHgg(List<Token> tokens, int choiceOffset) {
    if (tokens == null || tokens.isEmpty() || choiceOffset < 0) {
      return null;
    }
    for (Token t : tokens) {
      if (choiceOffset >= t.offset() && choiceOffset < t.offset() + t.text().length()) {
        double[] mass = new double[3];
        for (Alternative a : t.top()) {
          String s = a.token().trim();
          if (s.length() == 1 && s.charAt(0) >= '0' && s.charAt(0) <= '2') {
            mass[s.charAt(0) - '0'] += Math.exp(a.logprob());
          }
        }
        double sum = mass[0] + mass[1] + mass[2];
        return sum > 0 ? mass[1] / sum : null;
      }
    }
    return null;
  }
}
