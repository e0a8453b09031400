package org.gliomabench.udf.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gliomabench.udf.prompt.PromptKind;

/**
 * Parses answers to locate prompts into pixel coordinates and range-checks them against the image.
 * Accepted: the requested label ({@code Centre:}/{@code Center:}, {@code Box:}, {@code Polygon:}) followed
 * by numbers in any bracket or JSON style; without the label, the numbers of the whole answer (lenient).
 * Coordinates are normalised (scaled by the image size) when every number lies in [0, 1] and one has a
 * fraction, or the answer says "normalised".
 */
public final class LocationParser {
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  private LocationParser() {}

  public static ParsedAnswer parse(PromptKind kind, String raw, int width, int height) {
    if (raw == null || raw.isBlank()) {
      return ParsedAnswer.error("empty answer");
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    String[] labels = switch (kind) {
      case LOCATE_CENTRE -> new String[] {"centre:", "center:"};
      case LOCATE_BOX -> new String[] {"box:"};
      case LOCATE_POLYGON -> new String[] {"polygon:"};
      default -> throw new IllegalArgumentException("not a locate prompt: " + kind);
    };
    int at = -1;
    for (String l : labels) {
      at = at < 0 ? lower.indexOf(l) : at;
    }
    boolean strict = at >= 0 && raw.substring(0, at).isBlank();
    String body = at >= 0 ? raw.substring(at) : raw;
    List<Double> numbers = new ArrayList<>();
    boolean fraction = false;
    Matcher m = NUMBER.matcher(body);
    while (m.find()) {
      numbers.add(Double.parseDouble(m.group()));
      fraction |= m.group().contains(".");
    }
    boolean normalised = lower.contains("normalised") || lower.contains("normalized")
        || (fraction && !numbers.isEmpty() && numbers.stream().allMatch(v -> v >= 0 && v <= 1));
    double[] points;
    String kindName;
    switch (kind) {
      case LOCATE_CENTRE -> {
        if (numbers.size() < 2) {
          return ParsedAnswer.error("a centre needs 2 numbers, found " + numbers.size());
        }
        points = new double[] {numbers.get(0), numbers.get(1)};
        kindName = "centre";
      }
      case LOCATE_BOX -> {
        if (numbers.size() < 4) {
          return ParsedAnswer.error("a box needs 4 numbers, found " + numbers.size());
        }
        points = new double[] {numbers.get(0), numbers.get(1), numbers.get(2), numbers.get(3)};
        if (points[2] < points[0] || points[3] < points[1]) {
          return ParsedAnswer.error("box corners out of order (x1 < x0 or y1 < y0)");
        }
        kindName = "box";
      }
      default -> {
        if (numbers.size() < 6 || numbers.size() % 2 != 0) {
          return ParsedAnswer.error("a polygon needs 3 or more x,y pairs, found " + numbers.size() + " numbers");
        }
        points = numbers.stream().mapToDouble(Double::doubleValue).toArray();
        kindName = "polygon";
      }
    }
    for (int i = 0; i < points.length; i++) {
      double limit = i % 2 == 0 ? width : height;
      if (normalised) {
        points[i] *= limit;
      }
      if (points[i] < 0 || points[i] > limit) {
        return ParsedAnswer.error(String.format(Locale.ROOT, "%s coordinate %s out of range for a %d x %d image",
            i % 2 == 0 ? "x" : "y", numbers.get(i), width, height));
      }
    }
    return ParsedAnswer.location(kindName, points, strict);
  }
}
