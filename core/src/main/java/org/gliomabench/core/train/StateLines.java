package org.gliomabench.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The key=value lines of a checkpoint's small state file ({@link FoldState} and the U-Net's), in order. */
public final class StateLines {
  private StateLines() {}

  /**
   * @param what the state's name in the error for a line without '='
   * @return (key, trimmed value) per non-blank line
   */
  public static List<Map.Entry<String, String>> parse(String text, String what) {
    List<Map.Entry<String, String>> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("bad " + what + " line: " + line);
      }
      lines.add(Map.entry(line.substring(0, eq), line.substring(eq + 1).trim()));
    }
    return lines;
  }
}
