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

  /** The study's question and answer format, which every classify prompt below ends with. */
  private static final String ANSWER = "Respond only in the following format: Choice: <0, 1, or 2> Reasoning: <Provide"
      + " concise reasoning using 10 keywords based on the scan's visual features>.";

  /** The four modalities of the slice as one image of labelled tiles (MontageRenderer's layout). */
  public static final PromptTemplate CLASSIFY_MONTAGE_V1 = new PromptTemplate("classify-montage-v1", PromptKind.CLASSIFY,
      Shown.MONTAGE, "The image shows one slice of a brain MRI as four labelled tiles: top left T1, top right T1CE (T1"
          + " after gadolinium contrast), bottom left T2, bottom right FLAIR. Classify the brain scan as Low Grade Glioma"
          + " (0), High Grade Glioma (1), or No Glioma (2). " + ANSWER);

  /** Labelled examples, each its own image with a caption, then the slice asked about. */
  public static final PromptTemplate CLASSIFY_FEWSHOT_V1 = new PromptTemplate("classify-fewshot-v1", PromptKind.CLASSIFY,
      Shown.FEW_SHOT, "Classify this last brain scan as Low Grade Glioma (0), High Grade Glioma (1), or No Glioma (2)."
          + " " + ANSWER,
      "Here are example FLAIR slices of brain MRI, each with the grade of its patient's glioma.",
      "Example {n}: {grade}.", "Now the brain scan to classify:");

  /** The same examples and slice as tiles of one image, for servers that take one image per request. */
  public static final PromptTemplate CLASSIFY_FEWSHOT_GRID_V1 = new PromptTemplate("classify-fewshot-grid-v1",
      PromptKind.CLASSIFY, Shown.FEW_SHOT_GRID, "The image is a grid of FLAIR slices of brain MRI. Tiles 1 to {k} are"
          + " examples, each labelled above with the grade of its patient's glioma: {legend}. The last tile, marked ?,"
          + " is the brain scan to classify. Classify the scan marked ? as Low Grade Glioma (0), High Grade Glioma (1),"
          + " or No Glioma (2). " + ANSWER);

  /** The slice with the U-Net's outline on it and the CNN's score in words: does the LLM add to the CNN? */
  public static final PromptTemplate CLASSIFY_CNN_INFORMED_V1 = new PromptTemplate("classify-cnn-informed-v1",
      PromptKind.CLASSIFY, Shown.CNN_INFORMED, "This brain MRI slice (FLAIR) shows, outlined in red, the tumour that a"
          + " 3D segmentation network found. A 3D classification network trained on this cohort gives this patient a"
          + " probability of {cnn_p_hgg} that the glioma is high grade. Classify the brain scan as Low Grade Glioma (0),"
          + " High Grade Glioma (1), or No Glioma (2). " + ANSWER);

  private static final Map<String, PromptTemplate> BY_ID = new LinkedHashMap<>();

  static {
    for (PromptTemplate t : new PromptTemplate[] {CLASSIFY_V1, LOCATE_CENTRE_V1, LOCATE_BOX_V1, LOCATE_POLYGON_V1,
        CLASSIFY_MONTAGE_V1, CLASSIFY_FEWSHOT_V1, CLASSIFY_FEWSHOT_GRID_V1, CLASSIFY_CNN_INFORMED_V1}) {
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
