package org.gliomabench.udf.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gliomabench.udf.prompt.PromptKind;
import org.junit.jupiter.api.Test;

class LocationParserTest {

  @Test
  void centreInPixels() {
    ParsedAnswer a = LocationParser.parse(PromptKind.LOCATE_CENTRE, "Centre: (120, 96)", 240, 200);
    assertTrue(a.ok());
    assertTrue(a.strictFormat());
    assertEquals("centre", a.locationKind());
    assertArrayEquals(new double[] {120, 96}, a.location());
    ParsedAnswer us = LocationParser.parse(PromptKind.LOCATE_CENTRE, "The tumour is at Center: [30, 40].", 240, 200);
    assertTrue(us.ok());
    assertFalse(us.strictFormat());
  }

  @Test
  void normalisedCoordinatesAreScaledToPixels() {
    ParsedAnswer a = LocationParser.parse(PromptKind.LOCATE_BOX, "Box: (0.25, 0.5, 0.75, 1.0)", 200, 100);
    assertTrue(a.ok(), a.error());
    assertArrayEquals(new double[] {50, 50, 150, 100}, a.location(), 1e-9);
  }

  @Test
  void polygonOfPairs() {
    ParsedAnswer a = LocationParser.parse(PromptKind.LOCATE_POLYGON, "Polygon: [(10, 10), (50, 12), (30, 40)]", 64, 64);
    assertTrue(a.ok(), a.error());
    assertEquals(6, a.location().length);
    assertFalse(LocationParser.parse(PromptKind.LOCATE_POLYGON, "Polygon: [(10, 10), (50, 12)]", 64, 64).ok());
  }

  @Test
  void outOfRangeOrMalformedAnswersAreParseErrors() {
    ParsedAnswer far = LocationParser.parse(PromptKind.LOCATE_CENTRE, "Centre: (300, 20)", 240, 240);
    assertFalse(far.ok());
    assertTrue(far.error().contains("out of range"), far.error());
    assertFalse(LocationParser.parse(PromptKind.LOCATE_CENTRE, "Centre: (-3, 20)", 240, 240).ok());
    ParsedAnswer swapped = LocationParser.parse(PromptKind.LOCATE_BOX, "Box: (100, 100, 50, 150)", 240, 240);
    assertTrue(swapped.error().contains("out of order"), swapped.error());
    assertFalse(LocationParser.parse(PromptKind.LOCATE_BOX, "Box: (1, 2, 3)", 240, 240).ok());
    assertFalse(LocationParser.parse(PromptKind.LOCATE_CENTRE, "somewhere in the left hemisphere", 240, 240).ok());
  }
}
