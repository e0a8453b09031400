package org.gliomabench.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * What a fold's checkpoint knows besides the weights: the history so far, the best epoch, and whether
 * the fold is finished (scored and written). Stored as a small text file beside the model zip.
 */
public record FoldState(int fold, int epochsDone, int bestEpoch, boolean done, double threshold,
    List<EpochRecord> history) implements CheckpointState {

  public FoldState {
    history = List.copyOf(history);
  }

  public static FoldState start(int fold) {
    return new FoldState(fold, 0, 0, false, Double.NaN, List.of());
  }

  public FoldState after(EpochRecord epoch, BestEpochCriterion criterion) {
    List<EpochRecord> h = new ArrayList<>(history);
    h.add(epoch);
    EpochRecord best = bestRecord();
    int newBest = criterion.improves(epoch, best) ? epoch.epoch() : bestEpoch;
    return new FoldState(fold, epoch.epoch(), newBest, false, threshold, h);
  }

  public FoldState finished(double chosenThreshold) {
    return new FoldState(fold, epochsDone, bestEpoch, true, chosenThreshold, history);
  }

  public EpochRecord bestRecord() {
    return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElse(null);
  }

  public String serialize() {
    StringBuilder sb = new StringBuilder("format=1\n");
    sb.append("fold=").append(fold).append('\n');
    sb.append("epochs_done=").append(epochsDone).append('\n');
    sb.append("best_epoch=").append(bestEpoch).append('\n');
    sb.append("done=").append(done).append('\n');
    sb.append("threshold=").append(String.format(Locale.ROOT, "%s", threshold)).append('\n');
    history.forEach(r -> sb.append("epoch=").append(r.toLine()).append('\n'));
    return sb.toString();
  }

  public static FoldState parse(String text) {
    int fold = -1;
    int epochs = -1;
    int best = 0;
    boolean done = false;
    double threshold = Double.NaN;
    List<EpochRecord> history = new ArrayList<>();
    for (Map.Entry<String, String> line : StateLines.parse(text, "fold state")) {
      String k = line.getKey();
      String v = line.getValue();
      switch (k) {
        case "format": break;
        case "fold": fold = Integer.parseInt(v); break;
        case "epochs_done": epochs = Integer.parseInt(v); break;
        case "best_epoch": best = Integer.parseInt(v); break;
        case "done": done = Boolean.parseBoolean(v); break;
        case "threshold": threshold = Double.parseDouble(v); break;
        case "epoch": history.add(EpochRecord.fromLine(v)); break;
        default: throw new IllegalArgumentException("unknown fold state key: " + k);
      }
    }
    if (fold < 0 || epochs < 0 || history.size() != epochs) {
      throw new IllegalArgumentException("incomplete fold state (fold " + fold + ", " + epochs + " epochs, "
          + history.size() + " history lines)");
    }
    return new FoldState(fold, epochs, best, done, threshold, history);
  }
}
