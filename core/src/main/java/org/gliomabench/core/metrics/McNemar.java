package org.gliomabench.core.metrics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * McNemar's exact test for two classifiers judged on the same patients. Only the discordant patients
 * count: under the null hypothesis each is equally likely to favour either classifier, so the smaller
 * discordant count is Binomial(b + c, 1/2) and the two-sided p-value is
 * min(1, 2 P(X <= min(b, c))), computed exactly with big integers.
 *
 * @param bothCorrect patients both classifiers got right
 * @param onlyFirstCorrect b: first right, second wrong
 * @param onlySecondCorrect c: first wrong, second right
 * @param bothWrong patients both got wrong
 * @param pValue exact two-sided p-value; 1 when there is no discordant patient
 */
public record McNemar(int bothCorrect, int onlyFirstCorrect, int onlySecondCorrect, int bothWrong, double pValue) {

  public static McNemar test(int[] labels, int[] firstPredictions, int[] secondPredictions) {
    Checks.binary(labels, "labels");
    Checks.binary(firstPredictions, "first predictions");
    Checks.binary(secondPredictions, "second predictions");
    Checks.sameLength(labels.length, firstPredictions.length, "first predictions");
    Checks.sameLength(labels.length, secondPredictions.length, "second predictions");
    int[] cells = new int[4];
    for (int i = 0; i < labels.length; i++) {
      boolean first = firstPredictions[i] == labels[i];
      boolean second = secondPredictions[i] == labels[i];
      cells[(first ? 0 : 2) + (second ? 0 : 1)]++;
    }
    return new McNemar(cells[0], cells[1], cells[2], cells[3], exactPValue(cells[1], cells[2]));
  }

  /** Two-sided exact p-value for b and c discordant patients. */
  public static double exactPValue(int b, int c) {
    if (b < 0 || c < 0) {
      throw new IllegalArgumentException("discordant counts must be >= 0: b=" + b + " c=" + c);
    }
    int n = b + c;
    int k = Math.min(b, c);
    BigInteger binomial = BigInteger.ONE;
    BigInteger tail = BigInteger.ONE;
    for (int i = 1; i <= k; i++) {
      binomial = binomial.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
      tail = tail.add(binomial);
    }
    BigDecimal p = new BigDecimal(tail.shiftLeft(1))
        .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64);
    return Math.min(1, p.doubleValue());
  }
}
