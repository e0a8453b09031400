package org.gliomabench.jobs.llm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.udf.prompt.PromptTemplate;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.gliomabench.udf.prompt.Shown;

/**
 * What an arm shows beside its prompt's text, read once on the driver: the prompt (and with it {@link Shown}), and
 * for few-shot arms how many labelled examples, chosen how, laid out how. Arms named {@code montage},
 * {@code few-shot-K}, {@code few-shot-knn-K} and {@code cnn-informed} get the prompt their name says unless
 * {@code llm.arm.<name>.prompt} is set (ConfigKeys.LLM_PROMPT).
 */
public record ArmInput(String promptId, Shown shown, int examples, String selection, String layout) {
  public static final String RANDOM = "random";
  public static final String KNN = "knn";
  public static final String IMAGES = "images";
  public static final String GRID = "grid";
  private static final Pattern FEW_SHOT_NAME = Pattern.compile("few-shot(-knn)?(?:-(\\d+))?");

  /**
   * @param all the run's settings (to tell an arm's own key from the shared default)
   * @param arm the arm's settings chain ({@code llm.arm.<name>.X} over {@code llm.X})
   */
  static ArmInput of(String name, Settings all, Settings arm) {
    Matcher fewShot = FEW_SHOT_NAME.matcher(name);
    boolean namedFewShot = fewShot.matches();
    String layout = arm.get(ConfigKeys.LLM_FEWSHOT_LAYOUT);
    if (!layout.equals(IMAGES) && !layout.equals(GRID)) {
      throw new ConfigException("arm " + name + ": " + ConfigKeys.LLM_FEWSHOT_LAYOUT + " must be images or grid, got '"
          + layout + "'");
    }
    String prompt;
    if (all.has(ConfigKeys.llmArmKey(name, ConfigKeys.LLM_PROMPT))) {
      prompt = arm.get(ConfigKeys.LLM_PROMPT);
    } else if (name.equals("montage")) {
      prompt = PromptTemplates.CLASSIFY_MONTAGE_V1.id();
    } else if (namedFewShot) {
      prompt = (layout.equals(GRID) ? PromptTemplates.CLASSIFY_FEWSHOT_GRID_V1 : PromptTemplates.CLASSIFY_FEWSHOT_V1).id();
    } else if (name.equals("cnn-informed")) {
      prompt = PromptTemplates.CLASSIFY_CNN_INFORMED_V1.id();
    } else {
      prompt = arm.get(ConfigKeys.LLM_PROMPT);
    }
    PromptTemplate template;
    try {
      template = PromptTemplates.byId(prompt);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("arm " + name + ": " + e.getMessage());
    }
    if (!template.shown().fewShot()) {
      return new ArmInput(prompt, template.shown(), 0, null, null);
    }
    String wanted = template.shown() == Shown.FEW_SHOT_GRID ? GRID : IMAGES;
    if (!wanted.equals(layout) && all.has(ConfigKeys.llmArmKey(name, ConfigKeys.LLM_PROMPT))) {
      throw new ConfigException("arm " + name + ": prompt " + prompt + " lays the examples out as " + wanted + ", but "
          + ConfigKeys.LLM_FEWSHOT_LAYOUT + "=" + layout + "; use prompt " + (layout.equals(GRID)
          ? PromptTemplates.CLASSIFY_FEWSHOT_GRID_V1.id() : PromptTemplates.CLASSIFY_FEWSHOT_V1.id()) + " or change the layout");
    }
    int k;
    if (all.has(ConfigKeys.llmArmKey(name, ConfigKeys.LLM_FEWSHOT_K))) {
      k = arm.getInt(ConfigKeys.LLM_FEWSHOT_K);
    } else if (namedFewShot && fewShot.group(2) != null) {
      k = Integer.parseInt(fewShot.group(2));
    } else {
      k = arm.getInt(ConfigKeys.LLM_FEWSHOT_K);
    }
    if (k < 2 || k % 2 != 0) {
      throw new ConfigException("arm " + name + ": a few-shot arm shows k/2 HGG and k/2 LGG examples, so k must be even"
          + " and at least 2, got " + k + " (" + ConfigKeys.LLM_FEWSHOT_K + " or the arm's name few-shot-K)");
    }
    String selection = all.has(ConfigKeys.llmArmKey(name, ConfigKeys.LLM_FEWSHOT_SELECTION))
        ? arm.get(ConfigKeys.LLM_FEWSHOT_SELECTION)
        : namedFewShot && fewShot.group(1) != null ? KNN : arm.get(ConfigKeys.LLM_FEWSHOT_SELECTION);
    if (!selection.equals(RANDOM) && !selection.equals(KNN)) {
      throw new ConfigException("arm " + name + ": " + ConfigKeys.LLM_FEWSHOT_SELECTION + " must be random or knn, got '"
          + selection + "'");
    }
    return new ArmInput(prompt, template.shown(), k, selection, wanted);
  }

  /** Images one request carries. */
  public int imagesPerRequest() {
    return shown == Shown.FEW_SHOT ? examples + 1 : 1;
  }

  /** "the FLAIR slice", "4 labelled examples (random, images) and the slice", ... for log lines. */
  public String describe() {
    switch (shown) {
      case MONTAGE: return "the slice's four-modality montage";
      case CNN_INFORMED: return "the slice with the U-Net's outline, and the CNN's P(HGG) in the text";
      case FEW_SHOT: case FEW_SHOT_GRID:
        return examples + " labelled examples (" + selection + ", " + layout + ") and the slice";
      default: return "the FLAIR slice";
    }
  }
}
