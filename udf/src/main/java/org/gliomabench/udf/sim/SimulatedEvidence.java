package org.gliomabench.udf.sim;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gliomabench.core.image.Canvas;

/**
 * How the SIMULATED model lets what a request shows move its majority-class bias, so that the demo's arms differ
 * the way such arms plausibly would (nothing here is a real model's behaviour):
 * <ul>
 *   <li>the four-modality montage: a weaker HGG bias (more to look at than FLAIR alone);</li>
 *   <li>few-shot examples as separate images: halfway to the grade of the example most like the slice (mean
 *   absolute difference of 16 x 16 thumbnails);</li>
 *   <li>few-shot examples in one grid image: halfway to the share of HGG examples (it cannot tell tiles apart);</li>
 *   <li>the CNN's P(HGG) in the text: mostly that number (it follows the CNN).</li>
 * </ul>
 * The texts are matched by the wording of the published prompt templates (udf.prompt.PromptTemplates).
 */
final class SimulatedEvidence {
  private static final Pattern CAPTION = Pattern.compile("Example (\\d+): (High|Low) Grade Glioma");
  private static final Pattern TILE = Pattern.compile("tile (\\d+) (High|Low) Grade Glioma");
  private static final Pattern CNN = Pattern.compile("probability of ([0-9.]+) that the glioma is high grade");
  private static final int THUMB = 16;

  private SimulatedEvidence() {}

  /** The P(HGG) the answer is drawn around, given the request's texts and images (the slice asked about last). */
  static double pHgg(SimulatedBehaviour b, String prompt, List<byte[]> images) {
    double base = b.pHgg();
    Matcher cnn = CNN.matcher(prompt);
    if (cnn.find()) {
      return 0.85 * Double.parseDouble(cnn.group(1)) + 0.15 * base;
    }
    if (prompt.contains("four labelled tiles")) {
      return base - 0.25;
    }
    List<Integer> captions = labels(CAPTION, prompt);
    if (!captions.isEmpty() && images.size() == captions.size() + 1) {
      return 0.5 * base + 0.5 * captions.get(nearest(images));
    }
    List<Integer> tiles = labels(TILE, prompt);
    if (!tiles.isEmpty()) {
      return 0.5 * base + 0.5 * tiles.stream().mapToInt(Integer::intValue).average().orElse(0.5);
    }
    return base;
  }

  private static List<Integer> labels(Pattern p, String prompt) {
    Matcher m = p.matcher(prompt);
    java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(2).equals("High") ? 1 : 0);
    }
    return out;
  }

  /** The index of the example image most like the last image. */
  private static int nearest(List<byte[]> images) {
    double[] query = thumbnail(images.get(images.size() - 1));
    int best = 0;
    double bestDistance = Double.MAX_VALUE;
    for (int i = 0; i < images.size() - 1; i++) {
      double[] t = thumbnail(images.get(i));
      double d = 0;
      for (int j = 0; j < t.length; j++) {
        d += Math.abs(t[j] - query[j]);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  private static double[] thumbnail(byte[] png) {
    Canvas c = Canvas.fromPng(png);
    double[] out = new double[THUMB * THUMB];
    for (int y = 0; y < THUMB; y++) {
      for (int x = 0; x < THUMB; x++) {
        out[y * THUMB + x] = c.level(x * c.width() / THUMB, y * c.height() / THUMB);
      }
    }
    return out;
  }
}
