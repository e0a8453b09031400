package org.gliomabench.udf.prompt;

import java.util.LinkedHashMap;
import java.util.Map;

/** The published prompt templates, by id. */
public final class PromptTemplates {
  private PromptTemplates() {}

  /** The study's prompt, verbatim. */
  public static final PromptTemplate CLASSIFY_V1 = new PromptTemplate("classify-v1", PromptKind.CLASSIFY,
      "Classify the brain scan as Low Grade Glioma (0), High Grade Glioma (1), or No Glioma (2). Respond only "
          + "in the following format: Choice: <0, 1, or 2> Reasoning: <Provide concise reasoning using 10 "
          + "keywords based on the scan's visual features>.");

  public static final PromptTemplate LOCATE_CENTRE_V1 = new PromptTemplate("locate-centre-v1", PromptKind.LOCATE_CENTRE,
      "This brain MRI slice (FLAIR) is {width} x {height} pixels and shows a glioma. Where is the centre of the "
          + "tumour? Respond only in the following format: Centre: (x, y) where x is the pixel column counted "
          + "from the left edge and y the pixel row counted from the top edge.");

  public static final PromptTemplate LOCATE_BOX_V1 = new PromptTemplate("locate-box-v1", PromptKind.LOCATE_BOX,
      "This brain MRI slice (FLAIR) is {width} x {height} pixels and shows a glioma. Give the smallest box that "
          + "contains the whole tumour. Respond only in the following format: Box: (x0, y0, x1, y1) where "
          + "(x0, y0) is the top-left and (x1, y1) the bottom-right corner in pixels, x counted from the left "
          + "edge and y from the top edge.");

  public static final PromptTemplate LOCATE_POLYGON_V1 = new PromptTemplate("locate-polygon-v1", PromptKind.LOCATE_POLYGON,
      "This brain MRI slice (FLAIR) is {width} x {height} pixels and shows a glioma. Outline the tumour with a "
          + "polygon of 3 to 12 points. Respond only in the following format: Polygon: [(x1, y1), (x2, y2), ...] "
          + "in pixels, x counted from the left edge and y from the top edge.");

  private static final Map<String, PromptTemplate> BY_ID = new LinkedHashMap<>();

  static {
    for (PromptTemplate t : new PromptTemplate[] {CLASSIFY_V1, LOCATE_CENTRE_V1, LOCATE_BOX_V1, LOCATE_POLYGON_V1}) {
      BY_ID.put(t.id(), t);
    }
  }

  /** The template with this id, or an error naming the ones there are. */
  public static PromptTemplate byId(String id) {
    PromptTemplate t = BY_ID.get(id);
    if (t == null) {
      throw new IllegalArgumentException("unknown prompt template '" + id + "'; known: " + String.join(", ", BY_ID.keySet()));
    }
    return t;
  }

  public static Map<String, PromptTemplate> all() {
    return Map.copyOf(BY_ID);
  }
}
