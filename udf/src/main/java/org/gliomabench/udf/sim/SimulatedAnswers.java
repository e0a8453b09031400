package org.gliomabench.udf.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** The SIMULATED model's answers: biased classifications (with logprobs) and centre-hugging locations. */
final class SimulatedAnswers {
  /** A generated token with its logprob and top alternatives (token, logprob). */
  record Token(String text, double logprob, List<Object[]> top) {}

  record Answer(String text, List<Token> tokens) {}

  private static final String[] KEYWORDS = {"hyperintense", "FLAIR", "oedema", "mass effect", "heterogeneous",
      "infiltrative", "irregular margin", "midline shift", "white matter", "lesion", "asymmetry", "diffuse",
      "well-circumscribed", "necrosis", "ring", "signal", "cortex", "ventricle", "swelling", "focal"};

  private SimulatedAnswers() {}

  /** Class probabilities (LGG, HGG, none) for an image: the configured bias, nudged per image. */
  static double[] classProbabilities(SimulatedBehaviour b, long imageHash) {
    return classProbabilities(b, imageHash, b.pHgg());
  }

  /** The same around {@code pHgg} instead of the configured bias (what the request showed moved it). */
  static double[] classProbabilities(SimulatedBehaviour b, long imageHash, double pHgg) {
    double nudge = ((imageHash >>> 11) % 1000) / 1000.0 - 0.5; // -0.5..0.5, fixed per image
    double pN = Math.max(0, Math.min(0.5, b.pNoGlioma()));
    double pH = Math.max(0.01, Math.min(0.99 - pN, pHgg + 0.16 * nudge));
    return new double[] {Math.max(0, 1 - pH - pN), pH, pN};
  }

  static Answer classify(SimulatedBehaviour b, SplittableRandom rng, long imageHash, String constrained, int topLogprobs) {
    return classify(b, rng, imageHash, constrained, topLogprobs, b.pHgg());
  }

  /** A classification around {@code pHgg} (see {@link SimulatedEvidence}). */
  static Answer classify(SimulatedBehaviour b, SplittableRandom rng, long imageHash, String constrained, int topLogprobs,
      double pHgg) {
    double[] p = classProbabilities(b, imageHash, pHgg);
    double u = rng.nextDouble();
    int k = u < p[2] ? 2 : u < p[2] + p[1] ? 1 : 0;
    String reasoning = reasoning(rng);
    String text;
    if ("json".equals(constrained)) {
      text = "{\"choice\": " + k + ", \"reasoning\": \"" + reasoning + "\"}";
    } else if ("regex".equals(constrained) || rng.nextDouble() >= b.malformed()) {
      text = "Choice: " + k + " Reasoning: " + reasoning;
    } else {
      text = switch (rng.nextInt(4)) {
        case 0 -> "ERROR: Unknown >>|| Choice: " + k + " ||";
        case 1 -> "Step 1: Identify the imaging modality. Step 2: Look for regions of abnormal signal. The scan shows "
            + "a hyperintense region in the white matter.";
        case 2 -> "Classification: Choice: " + k + " Reasoning: " + reasoning;
        default -> "I am not able to provide a diagnosis from a single image; please consult a radiologist.";
      };
    }
    return new Answer(text, tokens(text, k, p, topLogprobs));
  }

  /** Tokens for logprobs: the text split around the choice digit, whose alternatives carry p. */
  private static List<Token> tokens(String text, int k, double[] p, int topLogprobs) {
    int at = -1;
    int c = text.indexOf("hoice");
    if (c >= 0) {
      for (int i = c; i < text.length(); i++) {
        if (Character.isDigit(text.charAt(i))) {
          at = i;
          break;
        }
      }
    }
    List<Token> out = new ArrayList<>();
    if (at < 0) {
      out.add(new Token(text, -0.05, List.<Object[]>of(new Object[] {text, -0.05})));
      return out;
    }
    out.add(new Token(text.substring(0, at), 0.0, List.<Object[]>of(new Object[] {text.substring(0, at), 0.0})));
    List<Object[]> top = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (p[i] > 0) {
        top.add(new Object[] {Integer.toString(i), Math.log(p[i])});
      }
    }
    top.sort(Comparator.comparingDouble((Object[] a) -> -(double) a[1]));
    out.add(new Token(text.substring(at, at + 1), Math.log(Math.max(1e-9, p[k])),
        top.subList(0, Math.min(top.size(), Math.max(topLogprobs, 0)))));
    String rest = text.substring(at + 1);
    if (!rest.isEmpty()) {
      out.add(new Token(rest, -0.1, List.<Object[]>of(new Object[] {rest, -0.1})));
    }
    return out;
  }

  private static String reasoning(SplittableRandom rng) {
    List<String> pick = new ArrayList<>(List.of(KEYWORDS));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sb.append(i == 0 ? "" : ", ").append(pick.remove(rng.nextInt(pick.size())));
    }
    return sb.toString();
  }

  /** A location answer near the image centre (where the study saw the LLM's answers cluster). */
  static Answer locate(String prompt, SplittableRandom rng, int width, int height) {
    double cx = clamp(width / 2.0 + gauss(rng) * 0.06 * width, width);
    double cy = clamp(height / 2.0 + gauss(rng) * 0.06 * height, height);
    String text;
    if (prompt.contains("Box:")) {
      double hw = (0.08 + 0.15 * rng.nextDouble()) * width;
      double hh = (0.08 + 0.15 * rng.nextDouble()) * height;
      text = String.format(Locale.ROOT, "Box: (%d, %d, %d, %d)", (int) clamp(cx - hw, width), (int) clamp(cy - hh, height),
          (int) clamp(cx + hw, width), (int) clamp(cy + hh, height));
    } else if (prompt.contains("Polygon:")) {
      StringBuilder sb = new StringBuilder("Polygon: [");
      double r = (0.08 + 0.12 * rng.nextDouble()) * Math.min(width, height);
      for (int i = 0; i < 6; i++) {
        double a = Math.PI * 2 * i / 6;
        sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "(%d, %d)",
            (int) clamp(cx + r * Math.cos(a), width), (int) clamp(cy + r * Math.sin(a), height)));
      }
      text = sb.append(']').toString();
    } else {
      text = String.format(Locale.ROOT, "Centre: (%d, %d)", (int) cx, (int) cy);
    }
    return new Answer(text, List.of(new Token(text, -0.2, List.<Object[]>of(new Object[] {text, -0.2}))));
  }

  private static double gauss(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  private static double clamp(double v, int limit) {
    return Math.max(0, Math.min(limit - 1, v));
  }
}
