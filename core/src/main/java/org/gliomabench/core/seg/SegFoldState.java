package org.gliomabench.core.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.train.StateLines;

/**
 * What a fold's U-Net checkpoint knows besides the weights: the history so far, the kept (best validation
 * WT Dice) epoch, and whether the fold is finished (masks and scores written). A small text file beside
 * the model zip (see {@link org.gliomabench.core.train.CheckpointNames}).
 */
public record SegFoldState(int fold, int epochsDone, int bestEpoch, boolean done, List<SegEpoch> history)
    implements org.gliomabench.core.train.CheckpointState {

  public SegFoldState {
    history = List.copyOf(history);
  }

  public static SegFoldState start(int fold) {
    return new SegFoldState(fold, 0, 0, false, List.of());
  }

  public SegFoldState after(SegEpoch epoch) {
    List<SegEpoch> h = new ArrayList<>(history);
    h.add(epoch);
    int newBest = epoch.improvesOn(bestRecord()) ? epoch.epoch() : bestEpoch;
    return new SegFoldState(fold, epoch.epoch(), newBest, false, h);
  }

  public SegFoldState finished() {
    return new SegFoldState(fold, epochsDone, bestEpoch, true, history);
  }

  public SegEpoch bestRecord() {
    return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElse(null);
  }

  public String serialize() {
    StringBuilder sb = new StringBuilder("format=seg-1\n");
    sb.append("fold=").append(fold).append('\n');
    sb.append("epochs_done=").append(epochsDone).append('\n');
    sb.append("best_epoch=").append(bestEpoch).append('\n');
    sb.append("done=").append(done).append('\n');
    history.forEach(r -> sb.append("epoch=").append(r.toLine()).append('\n'));
    return sb.toString();
  }

  public static SegFoldState parse(String text) {
    int fold = -1;
    int epochs = -1;
    int best = 0;
    boolean done = false;
    List<SegEpoch> history = new ArrayList<>();
    for (Map.Entry<String, String> line : StateLines.parse(text, "segmentation fold state")) {
      String k = line.getKey();
      String v = line.getValue();
      switch (k) {
        case "format": break;
        case "fold": fold = Integer.parseInt(v); break;
        case "epochs_done": epochs = Integer.parseInt(v); break;
        case "best_epoch": best = Integer.parseInt(v); break;
        case "done": done = Boolean.parseBoolean(v); break;
        case "epoch": history.add(SegEpoch.fromLine(v)); break;
        default: throw new IllegalArgumentException("unknown segmentation fold state key: " + k);
      }
    }
    if (fold < 0 || epochs < 0 || history.size() != epochs) {
      throw new IllegalArgumentException("incomplete segmentation fold state (fold " + fold + ", " + epochs
          + " epochs, " + history.size() + " history lines)");
    }
    return new SegFoldState(fold, epochs, best, done, history);
  }
}
