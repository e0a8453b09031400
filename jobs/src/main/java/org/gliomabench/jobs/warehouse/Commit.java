package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One commit of finished files into the warehouse, journalled under {@code _swaps/} before anything moves so that
 * a process that dies half way leaves nothing missing and nothing twice: whoever takes the commit lock next
 * finishes it ({@link #recover}). Its steps, each redone safely:
 * <ul>
 *   <li>swap: a folder written elsewhere (a whole table, or one partition) takes the place of the old one, which
 *       is moved aside and then removed;</li>
 *   <li>move: a finished data file goes into its partition folder (appends);</li>
 *   <li>delete: what the commit consumed goes (the call journal files folded into llm_calls).</li>
 * </ul>
 * Only renames happen under the lock, so a commit takes milliseconds to seconds, however much was written.
 */
final class Commit {
  private static final Logger LOG = LoggerFactory.getLogger(Commit.class);
  static final String DIR = "_swaps";
  private static final String JOURNAL = ".commit";
  /** The journal of an earlier version: one table swap as three lines (table, staging, old). */
  private static final String LEGACY_JOURNAL = ".swap";

  private enum Kind { SWAP, MOVE, DELETE }

  private record Step(Kind kind, Path from, Path to, Path aside) {}

  private final String what;
  private final List<Step> steps = new ArrayList<>();
  /** The staging folder the commit empties (removed at the end), or null. */
  private Path staging;

  Commit(String what) {
    this.what = what;
  }

  /** {@code from} replaces {@code to}; the old one goes to {@code aside} first. */
  Commit swap(Path from, Path to, Path aside) {
    steps.add(new Step(Kind.SWAP, from, to, aside));
    return this;
  }

  Commit move(Path from, Path to) {
    steps.add(new Step(Kind.MOVE, from, to, null));
    return this;
  }

  Commit delete(Path path) {
    steps.add(new Step(Kind.DELETE, path, null, null));
    return this;
  }

  Commit staging(Path dir) {
    this.staging = dir;
    return this;
  }

  boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Journals, applies and cleans up; call it holding the commit lock. */
  void run(FileSystem fs, String root) throws IOException {
    Path journal = journal(fs, root);
    apply(fs);
    finish(fs, journal);
  }

  /** Writes the journal (whole or not at all); from here on the commit happens, whatever becomes of this process. */
  Path journal(FileSystem fs, String root) throws IOException {
    Path journal = new Path(root + "/" + DIR + "/" + UUID.randomUUID() + JOURNAL);
    StringBuilder sb = new StringBuilder("what\t").append(what.replace('\t', ' ').replace('\n', ' ')).append('\n');
    for (Step s : steps) {
      sb.append(s.kind().name().toLowerCase()).append('\t').append(s.from());
      if (s.to() != null) {
        sb.append('\t').append(s.to());
      }
      if (s.aside() != null) {
        sb.append('\t').append(s.aside());
      }
      sb.append('\n');
    }
    if (staging != null) {
      sb.append("staging\t").append(staging).append('\n');
    }
    sb.append("end\n"); // a journal cut short (no end line) never ran a step: it is dropped
    Path tmp = new Path(journal.getParent(), "_tmp-" + journal.getName());
    fs.mkdirs(journal.getParent());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, journal)) {
      throw new IOException("cannot write the commit journal " + journal);
    }
    return journal;
  }

  /** Every step, each safe to redo whatever point an earlier attempt reached. */
  private void apply(FileSystem fs) throws IOException {
    for (Step s : steps) {
      switch (s.kind()) {
        case SWAP -> {
          if (fs.exists(s.from())) {
            if (fs.exists(s.to()) && !fs.exists(s.aside())) {
              fs.mkdirs(s.aside().getParent());
              rename(fs, s.to(), s.aside());
            }
            fs.mkdirs(s.to().getParent());
            rename(fs, s.from(), s.to());
          } else if (!fs.exists(s.to()) && fs.exists(s.aside())) {
            rename(fs, s.aside(), s.to()); // the new data is gone: keep the old rather than nothing
          }
        }
        case MOVE -> {
          if (fs.exists(s.from())) {
            fs.mkdirs(s.to().getParent());
            rename(fs, s.from(), s.to());
          }
        }
        case DELETE -> fs.delete(s.from(), true);
        default -> throw new IllegalStateException(s.kind().name());
      }
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot move " + from + " to " + to);
    }
  }

  private void finish(FileSystem fs, Path journal) throws IOException {
    for (Step s : steps) {
      if (s.kind() == Kind.SWAP && fs.exists(s.aside())) {
        fs.delete(s.aside(), true);
      }
    }
    if (staging != null && fs.exists(staging)) {
      fs.delete(staging, true);
    }
    fs.delete(journal, false);
  }

  /**
   * Finishes the commits that dead processes left half done (their journals under {@code _swaps/}); call it
   * holding the commit lock, so that no live commit is among them. Returns what each was ("table patients", ...).
   */
  static List<String> recover(FileSystem fs, String root) throws IOException {
    List<String> repaired = new ArrayList<>();
    Path dir = new Path(root + "/" + DIR);
    if (!fs.exists(dir)) {
      return repaired;
    }
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (!f.isFile() || !(name.endsWith(JOURNAL) || name.endsWith(LEGACY_JOURNAL))) {
        continue;
      }
      Commit c = read(fs, f.getPath(), root);
      if (c == null) {
        fs.delete(f.getPath(), false); // cut short while being written: nothing had moved yet
        continue;
      }
      c.apply(fs);
      c.finish(fs, f.getPath());
      LOG.warn("warehouse {}: finished the commit of {} that an earlier process left half done", root, c.what);
      repaired.add(c.what);
    }
    return repaired;
  }

  private static Commit read(FileSystem fs, Path journal, String root) throws IOException {
    byte[] bytes = LockFiles.read(fs, journal);
    if (bytes == null) {
      return null;
    }
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
    if (journal.getName().endsWith(LEGACY_JOURNAL)) {
      if (lines.length < 3 || lines[2].isBlank()) {
        return null;
      }
      return new Commit(lines[0]).swap(new Path(lines[1]), new Path(root + "/" + lines[0]), new Path(lines[2]));
    }
    if (lines.length < 2 || !lines[lines.length - 1].equals("end") || !lines[0].startsWith("what\t")) {
      return null;
    }
    Commit c = new Commit(lines[0].substring("what\t".length()));
    for (int i = 1; i < lines.length - 1; i++) {
      String[] p = lines[i].split("\t");
      switch (p[0]) {
        case "swap" -> c.swap(new Path(p[1]), new Path(p[2]), new Path(p[3]));
        case "move" -> c.move(new Path(p[1]), new Path(p[2]));
        case "delete" -> c.delete(new Path(p[1]));
        case "staging" -> c.staging(new Path(p[1]));
        default -> throw new IOException("unknown step '" + p[0] + "' in the commit journal " + journal);
      }
    }
    return c;
  }
}
