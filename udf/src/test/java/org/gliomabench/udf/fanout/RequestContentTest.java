package org.gliomabench.udf.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import org.gliomabench.core.image.Canvas;
import org.gliomabench.udf.client.ChatRequestBody;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.ServerKind;
import org.gliomabench.udf.prompt.PromptKind;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.gliomabench.udf.testing.TestImages;
import org.junit.jupiter.api.Test;

class RequestContentTest {
  private static final DecodingParams D = new DecodingParams(0.6, 64, 7L, false, 0, DecodingParams.NONE);

  private static SliceCall call(List<SliceCall.Example> examples, Double score) {
    return new SliceCall("k", "a", "P1", 1, "cv", 0, "axial", 3, 0, TestImages.png(24, 20, 1), 24, 20, examples, score);
  }

  private static List<SliceCall.Example> examples() {
    return List.of(new SliceCall.Example("P7:axial:11", 1, TestImages.png(24, 20, 7)),
        new SliceCall.Example("P8:axial:12", 0, TestImages.png(24, 20, 8)));
  }

  private static JsonNode content(byte[] body) throws Exception {
    return new ObjectMapper().readTree(body).path("messages").get(0).path("content");
  }

  @Test
  void fewShotRequestsShowEachCaptionedExampleThenTheSliceThenTheQuestion() throws Exception {
    SliceCall c = call(examples(), null);
    List<ChatRequestBody.Part> parts = RequestContent.of(PromptTemplates.CLASSIFY_FEWSHOT_V1, c);
    assertEquals(3, RequestContent.images(parts));
    JsonNode content = content(ChatRequestBody.build("m", parts, D, 0, PromptKind.CLASSIFY, ServerKind.VLLM));
    assertEquals(List.of("text", "text", "image_url", "text", "image_url", "text", "image_url", "text"),
        java.util.stream.StreamSupport.stream(content.spliterator(), false).map(n -> n.path("type").asText()).toList());
    assertEquals("Example 1: High Grade Glioma (1).", content.get(1).path("text").asText());
    assertEquals("Example 2: Low Grade Glioma (0).", content.get(3).path("text").asText());
    assertArrayEquals(examples().get(1).png(), png(content.get(4)), "each example's own image under its caption");
    assertArrayEquals(c.png(), png(content.get(6)), "the slice asked about comes last");
    assertTrue(content.get(7).path("text").asText().startsWith("Classify this last brain scan"));
    assertThrows(IllegalArgumentException.class, () -> RequestContent.of(PromptTemplates.CLASSIFY_FEWSHOT_V1, call(List.of(), null)),
        "a few-shot prompt without examples is refused, not sent");
  }

  @Test
  void theGridLayoutSendsOneImageHoldingTheExamplesAndTheSliceAndNamesTheirGrades() throws Exception {
    List<ChatRequestBody.Part> parts = RequestContent.of(PromptTemplates.CLASSIFY_FEWSHOT_GRID_V1, call(examples(), null));
    assertEquals(1, RequestContent.images(parts));
    Canvas grid = Canvas.fromPng(parts.get(0).png());
    assertEquals(3 * 24 + 2 * 2, grid.width(), "three tiles in a row: two examples and the slice");
    String text = parts.get(1).text();
    assertTrue(text.contains("Tiles 1 to 2 are examples"), text);
    assertTrue(text.contains("tile 1 High Grade Glioma (1), tile 2 Low Grade Glioma (0)"), text);
    assertFalse(text.contains("{"), "every placeholder filled: " + text);
  }

  @Test
  void theCnnInformedPromptStatesTheScoreAndRefusesACallWithoutOne() {
    List<ChatRequestBody.Part> parts = RequestContent.of(PromptTemplates.CLASSIFY_CNN_INFORMED_V1, call(List.of(), 0.734));
    assertEquals(1, RequestContent.images(parts));
    assertTrue(parts.get(1).text().contains("probability of 0.73 that the glioma is high grade"), parts.get(1).text());
    assertThrows(IllegalArgumentException.class,
        () -> RequestContent.of(PromptTemplates.CLASSIFY_CNN_INFORMED_V1, call(List.of(), null)));
    List<ChatRequestBody.Part> montage = RequestContent.of(PromptTemplates.CLASSIFY_MONTAGE_V1, call(List.of(), null));
    assertEquals(2, montage.size());
    assertTrue(montage.get(1).text().contains("top left T1, top right T1CE"));
  }

  private static byte[] png(JsonNode part) {
    String url = part.path("image_url").path("url").asText();
    return Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()));
  }
}
