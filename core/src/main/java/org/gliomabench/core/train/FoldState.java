package org.gliomabench.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a fold's checkpoint knows besides the weights, for any training arm: the history so far, the kept
 * ("best") epoch, whether the fold is finished (scored and written), and what finishing decided (the CNN's
 * decision threshold, say) as named values. Stored as a small text file beside the model zip.
 *
 * @param <E> the arm's epoch record
 */
public record FoldState<E extends Epoch>(int fold, int epochsDone, int bestEpoch, boolean done,
    Map<String, String> results, List<E> history) {

  /** Which of two epochs an arm keeps: true when {@code candidate} beats {@code best} (null: none yet). */
  @FunctionalInterface
  public interface BestRule<E> {
    boolean improves(E candidate, E best);
  }

  public FoldState {
    results = Map.copyOf(results);
    history = List.copyOf(history);
  }

  public static <E extends Epoch> FoldState<E> start(int fold) {
    return new FoldState<>(fold, 0, 0, false, Map.of(), List.of());
  }

  /** The state after {@code epoch}, which becomes the best one if {@code rule} says it beats the best so far. */
  public FoldState<E> after(E epoch, BestRule<E> rule) {
    List<E> h = new ArrayList<>(history);
    h.add(epoch);
    int newBest = rule.improves(epoch, bestRecord()) ? epoch.epoch() : bestEpoch;
    return new FoldState<>(fold, epoch.epoch(), newBest, false, results, h);
  }

  /** The fold finished: its kept model scored and written, with what that decided. */
  public FoldState<E> finished(Map<String, String> decided) {
    return new FoldState<>(fold, epochsDone, bestEpoch, true, decided, history);
  }

  public E bestRecord() {
    return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElse(null);
  }

  /** A value finishing decided, or NaN when there is none (a number written with {@code String.valueOf}). */
  public double result(String name) {
    String v = results.get(name);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  public String serialize() {
    StringBuilder sb = new StringBuilder("format=2\n");
    sb.append("fold=").append(fold).append('\n');
    sb.append("epochs_done=").append(epochsDone).append('\n');
    sb.append("best_epoch=").append(bestEpoch).append('\n');
    sb.append("done=").append(done).append('\n');
    results.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append("result.").append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    history.forEach(r -> sb.append("epoch=").append(r.toLine()).append('\n'));
    return sb.toString();
  }

  /**
   * Reads {@link #serialize}'s text with the arm's epoch parser. Also reads the files of earlier versions
   * (format 1 with a threshold line, the U-Net's format seg-1), so their checkpoints still resume.
   */
  public static <E extends Epoch> FoldState<E> parse(String text, Function<String, E> epochs) {
    int fold = -1;
    int done = -1;
    int best = 0;
    boolean finished = false;
    Map<String, String> results = new LinkedHashMap<>();
    List<E> history = new ArrayList<>();
    for (Map.Entry<String, String> line : StateLines.parse(text, "fold state")) {
      String k = line.getKey();
      String v = line.getValue();
      if (k.startsWith("result.")) {
        results.put(k.substring("result.".length()), v);
        continue;
      }
      switch (k) {
        case "format": break;
        case "fold": fold = Integer.parseInt(v); break;
        case "epochs_done": done = Integer.parseInt(v); break;
        case "best_epoch": best = Integer.parseInt(v); break;
        case "done": finished = Boolean.parseBoolean(v); break;
        case "threshold": // format 1 (train-cnn): the threshold finishing chose; NaN until then
          if (!v.equals("NaN")) {
            results.put("threshold", v);
          }
          break;
        case "epoch": history.add(epochs.apply(v)); break;
        default: throw new IllegalArgumentException("unknown fold state key: " + k);
      }
    }
    if (fold < 0 || done < 0 || history.size() != done) {
      throw new IllegalArgumentException("incomplete fold state (fold " + fold + ", " + done + " epochs, "
          + history.size() + " history lines)");
    }
    return new FoldState<>(fold, done, best, finished, results, history);
  }
}
