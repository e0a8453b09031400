package org.gliomabench.udf.prompt;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A versioned prompt: its question ({@code text}) and, for few-shot prompts, the fixed sentences around the
 * examples. The text may hold {@code {width}} and {@code {height}} (the image size in pixels, for locate prompts),
 * {@code {k}} and {@code {legend}} (few-shot grids) and {@code {cnn_p_hgg}} (the CNN's score, cnn-informed). A
 * template never changes once published: a new wording is a new id, because the id is part of every call key.
 *
 * @param examplesIntro few-shot with separate images: the sentence before the examples (null otherwise)
 * @param exampleCaption the caption before each example image: {@code {n}}, {@code {grade}} (null otherwise)
 * @param queryCaption the sentence before the image asked about (null otherwise)
 */
public record PromptTemplate(String id, PromptKind kind, Shown shown, String text, String examplesIntro,
    String exampleCaption, String queryCaption) implements Serializable {

  /** A prompt shown with the FLAIR slice alone. */
  public PromptTemplate(String id, PromptKind kind, String text) {
    this(id, kind, Shown.SLICE, text, null, null, null);
  }

  /** A prompt shown with one image ({@link Shown#SLICE}, {@link Shown#MONTAGE}, {@link Shown#CNN_INFORMED}). */
  public PromptTemplate(String id, PromptKind kind, Shown shown, String text) {
    this(id, kind, shown, text, null, null, null);
  }

  public String render(int width, int height) {
    return text.replace("{width}", Integer.toString(width)).replace("{height}", Integer.toString(height));
  }

  /** The question, with the image size, the examples' legend (grid layout) and the CNN's score filled in. */
  public String render(int width, int height, List<Integer> exampleLabels, Double cnnPHgg) {
    String out = render(width, height).replace("{k}", Integer.toString(exampleLabels.size()));
    if (out.contains("{legend}")) {
      StringBuilder legend = new StringBuilder();
      for (int i = 0; i < exampleLabels.size(); i++) {
        legend.append(i == 0 ? "" : ", ").append("tile ").append(i + 1).append(" ").append(gradeName(exampleLabels.get(i)));
      }
      out = out.replace("{legend}", legend);
    }
    if (out.contains("{cnn_p_hgg}")) {
      if (cnnPHgg == null) {
        throw new IllegalArgumentException("prompt " + id + " states the CNN's P(HGG), and the call has none");
      }
      out = out.replace("{cnn_p_hgg}", String.format(Locale.ROOT, "%.2f", cnnPHgg));
    }
    return out;
  }

  /** The caption of example {@code n} (1-based) of grade {@code label}. */
  public String caption(int n, int label) {
    return exampleCaption.replace("{n}", Integer.toString(n)).replace("{grade}", gradeName(label));
  }

  /** How a grade is named to the model: the study's own words and digits. */
  public static String gradeName(int label) {
    return label == 1 ? "High Grade Glioma (1)" : "Low Grade Glioma (0)";
  }

  /** The short label drawn above an example tile. */
  public static String gradeTile(int n, int label) {
    return n + ": " + (label == 1 ? "HGG" : "LGG");
  }
}
