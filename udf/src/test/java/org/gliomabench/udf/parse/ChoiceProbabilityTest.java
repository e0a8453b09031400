package org.gliomabench.udf.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.gliomabench.udf.parse.ChoiceProbability.Alternative;
import org.gliomabench.udf.parse.ChoiceProbability.Token;
import org.junit.jupiter.api.Test;

class ChoiceProbabilityTest {

  @Test
  void massOnOneOverMassOnTheChoices() {
    List<Token> tokens = List.of(
        new Token("Choice", 0, List.of(new Alternative("Choice", 0))),
        new Token(":", 6, List.of(new Alternative(":", 0))),
        new Token(" 1", 7, List.of(new Alternative(" 1", Math.log(0.6)), new Alternative(" 0", Math.log(0.3)),
            new Alternative(" The", Math.log(0.05)), new Alternative("2", Math.log(0.1)))));
    assertEquals(0.6, ChoiceProbability.pHgg(tokens, 8), 1e-9);
    assertNull(ChoiceProbability.pHgg(tokens, -1));
    assertNull(ChoiceProbability.pHgg(List.of(), 8));
  }
}
