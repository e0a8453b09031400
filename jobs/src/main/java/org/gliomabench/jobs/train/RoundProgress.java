package org.gliomabench.jobs.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far an interrupted epoch got: its averaging rounds completed, the seconds its fit took so far and the last
 * round's loss, so that the resumed epoch goes on with the next round of the same plan and records the epoch once,
 * as an uninterrupted one would.
 */
public record RoundProgress(int epoch, int roundsDone, double fitSeconds, double loss) {

  /** The start of {@code epoch}: no round done. */
  static RoundProgress start(int epoch) {
    return new RoundProgress(epoch, 0, 0, Double.NaN);
  }

  String serialize() {
    return "epoch=" + epoch + "\nrounds_done=" + roundsDone + "\nfit_seconds=" + fitSeconds + "\nloss=" + loss + "\n";
  }

  static RoundProgress parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    try {
      return new RoundProgress(Integer.parseInt(m.get("epoch")), Integer.parseInt(m.get("rounds_done")),
          Double.parseDouble(m.get("fit_seconds")), Double.parseDouble(m.get("loss")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a round progress file: " + text.replace('\n', ' '), e);
    }
  }
}
