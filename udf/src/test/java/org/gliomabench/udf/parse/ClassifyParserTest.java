package org.gliomabench.udf.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassifyParserTest {

  private static ParsedAnswer ok(String raw, int choice, boolean strict) {
    ParsedAnswer a = ClassifyParser.parse(raw);
    assertTrue(a.ok(), raw + " -> " + a.error());
    assertEquals(choice, a.choice(), raw);
    assertEquals(strict, a.strictFormat(), raw);
    return a;
  }

  private static void bad(String raw, String why) {
    ParsedAnswer a = ClassifyParser.parse(raw);
    assertFalse(a.ok(), raw + " parsed as " + a.choice());
    assertTrue(a.error().contains(why), a.error());
  }

  @Test
  void theStudysFormatIsStrict() {
    ParsedAnswer a = ok("Choice: 1 Reasoning: hyperintense, oedema, mass effect, heterogeneous, necrosis", 1, true);
    assertEquals("Choice: ".length(), a.choiceOffset());
    ok("  Choice: 0 Reasoning: well-circumscribed, homogeneous\n", 0, true);
    ok("Choice:2\nReasoning: normal", 2, true);
  }

  @Test
  void theStudysBrokenFormatsAreReadLenientlyAndMarkedNonStrict() {
    ParsedAnswer a = ok("ERROR: Unknown >>|| Choice: 1 ||", 1, false);
    assertEquals("ERROR: Unknown >>|| Choice: ".length(), a.choiceOffset());
    ok("Classification: Choice: 2", 2, false);
    ok("Classification: Choice: 0 Reasoning: small, bright", 0, false);
    ok("**Choice:** 1\n**Reasoning:** ring enhancement", 1, false);
    ok("Choice: High Grade Glioma. Reasoning: necrosis", 1, false);
    ok("Choice: 1, Reasoning: irregular", 1, false);
  }

  @Test
  void constrainedOutputsAreStrict() {
    ok("1", 1, true);
    ok("0.", 0, true);
    ok("{\"choice\": 2, \"reasoning\": \"no lesion\"}", 2, true);
  }

  @Test
  void anythingElseIsAParseErrorWithAReason() {
    bad("Step 1: Identify the imaging modality. Step 2: Look for abnormal signal.", "no 'Choice");
    bad("Choice: <0, 1, or 2> Reasoning: <Provide concise reasoning>", "no 'Choice");
    bad("Choice: 3 Reasoning: odd", "choice 3");
    bad("Choice: 10", "choice 10");
    bad("Choice: 1 Reasoning: x. On reflection, Choice: 0", "conflicting");
    bad("", "empty");
    bad("I am not able to provide a diagnosis.", "no 'Choice");
    bad("{\"choice\": 5}", "not 0, 1 or 2");
  }
}
