package org.gliomabench.jobs.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.gliomabench.core.train.CheckpointNames;
import org.gliomabench.core.train.Epoch;
import org.gliomabench.core.train.FoldState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fold's checkpoints on any Hadoop file system: {@code <root>/<run>/fold-<k>/}. Every file is written
 * under a temporary name and renamed, and a model's state file is written after the model, so a crash
 * leaves at worst an ignored temporary file or a model without its state (ignored). The two newest
 * checkpoints and the best models they refer to are kept. Any arm's network and {@link FoldState}, read through
 * the arm's {@link Codec}.
 */
public final class CheckpointStore<E extends Epoch, N extends Model> {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final int KEEP = 2;

  /** A complete checkpoint: the state and the network with its updater. */
  public record Checkpoint<E extends Epoch, N>(FoldState<E> state, N network) {}

  /**
   * A checkpoint inside an epoch, taken when training was asked to stop ({@code StopSignals}): the network with its
   * updater after {@code progress.roundsDone()} averaging rounds of epoch {@code progress.epoch()}, and the state of
   * the epochs before it.
   */
  public record Partial<E extends Epoch, N>(FoldState<E> state, N network, RoundProgress progress) {}

  private static final String PARTIAL_MODEL = "within-epoch.zip";
  private static final String PARTIAL_STATE = "within-epoch.state";
  /** Written last: a partial checkpoint counts once this file exists. */
  private static final String PARTIAL_PROGRESS = "within-epoch.progress";

  /** How a stage's states and networks are read, and its name for log lines. */
  public record Codec<E extends Epoch, N>(String stage, Function<String, FoldState<E>> parseState, ModelReader<N> reader) {}

  /** Reads a network written by ModelSerializer (with or without its updater). */
  @FunctionalInterface
  public interface ModelReader<N> {
    N read(InputStream in) throws IOException;
  }

  private final FileSystem fs;
  private final Path dir;
  private final Codec<E, N> codec;

  public CheckpointStore(Codec<E, N> codec, Configuration hadoop, String root, String runId, int fold) {
    this.codec = codec;
    this.dir = new Path(root + "/" + runId + "/fold-" + fold);
    try {
      this.fs = dir.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the checkpoint file system at " + dir, e);
    }
  }

  public String dir() {
    return dir.toString();
  }

  /** The newest readable checkpoint, if any (a damaged one is skipped with a warning). */
  public Optional<Checkpoint<E, N>> latest() throws IOException {
    List<Integer> epochs = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus f : fs.listStatus(dir)) {
        OptionalInt e = CheckpointNames.stateEpoch(f.getPath().getName());
        if (e.isPresent() && fs.exists(new Path(dir, CheckpointNames.model(e.getAsInt())))) {
          epochs.add(e.getAsInt());
        }
      }
    }
    epochs.sort((a, b) -> Integer.compare(b, a));
    for (int epoch : epochs) {
      try {
        FoldState<E> state = codec.parseState().apply(readText(new Path(dir, CheckpointNames.state(epoch))));
        return Optional.of(new Checkpoint<>(state, readModel(new Path(dir, CheckpointNames.model(epoch)))));
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: checkpoint of epoch {} in {} is unreadable ({}); trying an older one", codec.stage(), epoch, dir, e.toString());
      }
    }
    return Optional.empty();
  }

  /** Saves model + updater and the state of its epoch, then prunes (see {@link #prune}). */
  public void save(N net, FoldState<E> state) throws IOException {
    int epoch = state.epochsDone();
    writeModel(net, new Path(dir, CheckpointNames.model(epoch)), true);
    writeText(new Path(dir, CheckpointNames.state(epoch)), state.serialize());
    prune(null);
  }

  /** Saves a checkpoint inside an epoch (replacing any earlier one). */
  public void savePartial(N net, FoldState<E> state, RoundProgress progress) throws IOException {
    fs.delete(new Path(dir, PARTIAL_PROGRESS), false);
    writeModel(net, new Path(dir, PARTIAL_MODEL), true);
    writeText(new Path(dir, PARTIAL_STATE), state.serialize());
    writeText(new Path(dir, PARTIAL_PROGRESS), progress.serialize());
  }

  /**
   * The checkpoint inside an epoch, when it is newer than the epochs {@code done} of the latest complete checkpoint
   * and readable.
   */
  public Optional<Partial<E, N>> partial(int done) {
    Path progress = new Path(dir, PARTIAL_PROGRESS);
    try {
      if (!fs.exists(progress)) {
        return Optional.empty();
      }
      RoundProgress p = RoundProgress.parse(readText(progress));
      FoldState<E> state = codec.parseState().apply(readText(new Path(dir, PARTIAL_STATE)));
      if (p.epoch() <= done || state.epochsDone() != p.epoch() - 1) {
        return Optional.empty();
      }
      return Optional.of(new Partial<>(state, readModel(new Path(dir, PARTIAL_MODEL)), p));
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: the checkpoint inside an epoch in {} is unreadable ({}); resuming from the last complete one",
          codec.stage(), dir, e.toString());
      return Optional.empty();
    }
  }

  /** Removes the checkpoint inside an epoch (its epoch is complete now). */
  public void clearPartial() throws IOException {
    for (String name : new String[] {PARTIAL_PROGRESS, PARTIAL_STATE, PARTIAL_MODEL}) {
      fs.delete(new Path(dir, name), false);
    }
  }

  /** Rewrites the state file of the newest checkpoint (e.g. to mark the fold finished). */
  public void saveState(FoldState<E> state) throws IOException {
    writeText(new Path(dir, CheckpointNames.state(state.epochsDone())), state.serialize());
  }

  /** Keeps the model (no updater: it is never trained further) of a new best epoch. */
  public Path saveBest(N net, int epoch) throws IOException {
    Path p = new Path(dir, CheckpointNames.best(epoch));
    writeModel(net, p, false);
    prune(epoch);
    return p;
  }

  /**
   * Keeps the {@value #KEEP} newest complete checkpoints (the older one is the fallback should the newest be
   * damaged) and the best models their states refer to, plus {@code extraBest}; deletes the rest.
   */
  private void prune(Integer extraBest) throws IOException {
    List<Integer> states = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      CheckpointNames.stateEpoch(f.getPath().getName()).ifPresent(states::add);
    }
    states.sort((a, b) -> Integer.compare(b, a));
    Set<Integer> kept = new HashSet<>(states.subList(0, Math.min(KEEP, states.size())));
    Set<Integer> bestKept = new HashSet<>();
    if (extraBest != null) {
      bestKept.add(extraBest);
    }
    for (int e : kept) {
      try {
        bestKept.add(codec.parseState().apply(readText(new Path(dir, CheckpointNames.state(e)))).bestEpoch());
      } catch (RuntimeException ex) {
        LOG.warn("{}: unreadable checkpoint state {} ({})", codec.stage(), CheckpointNames.state(e), ex.toString());
      }
    }
    int newest = states.isEmpty() ? Integer.MAX_VALUE : states.get(0);
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      OptionalInt m = CheckpointNames.modelEpoch(name);
      OptionalInt s = CheckpointNames.stateEpoch(name);
      OptionalInt b = CheckpointNames.bestEpoch(name);
      boolean stale = (m.isPresent() && !kept.contains(m.getAsInt()) && m.getAsInt() < newest)
          || (s.isPresent() && !kept.contains(s.getAsInt()))
          || (b.isPresent() && !bestKept.contains(b.getAsInt()));
      if (stale) {
        fs.delete(f.getPath(), false);
      }
    }
  }

  public Path bestPath(int epoch) {
    return new Path(dir, CheckpointNames.best(epoch));
  }

  public N readBest(int epoch) throws IOException {
    return readModel(bestPath(epoch));
  }

  private N readModel(Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return codec.reader().read(in); // best models have no updater; that is allowed
    }
  }

  private void writeModel(N net, Path target, boolean withUpdater) throws IOException {
    Path tmp = new Path(dir, "_tmp-" + target.getName());
    try (OutputStream out = fs.create(tmp, true)) {
      ModelSerializer.writeModel(net, out, withUpdater);
    }
    swapIn(tmp, target);
  }

  private void writeText(Path target, String text) throws IOException {
    Path tmp = new Path(dir, "_tmp-" + target.getName());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    swapIn(tmp, target);
  }

  private void swapIn(Path tmp, Path target) throws IOException {
    if (fs.exists(target) && !fs.delete(target, false)) {
      throw new IOException("cannot replace " + target);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  private String readText(Path p) throws IOException {
    try (InputStream in = fs.open(p); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
