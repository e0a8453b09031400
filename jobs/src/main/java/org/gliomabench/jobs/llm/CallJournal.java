package org.gliomabench.jobs.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.udf.fanout.CallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of calls: every finished call is a JSON line flushed to
 * {@code <warehouse>/_journal/llm_calls/run_id=<run>/} before it counts as done, so a job killed half-way
 * loses no answer it received. The driver folds the journal into the llm_calls table after each job (and
 * before planning a rerun). Files roll every few seconds so that stores without flush (S3) still keep
 * everything but the last few seconds.
 */
public final class CallJournal {
  private static final Logger LOG = LoggerFactory.getLogger(CallJournal.class);
  static final String DIR = "_journal/" + Tables.LlmCalls.NAME;

  private CallJournal() {}

  static String runDir(String warehouseRoot, String runId) {
    return warehouseRoot + "/" + DIR + "/" + Tables.RUN_ID + "=" + runId;
  }

  /** Local files through the raw file system: no checksum side files, and flush reaches the OS. */
  static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof LocalFileSystem ? ((LocalFileSystem) fs).getRaw() : fs;
  }

  /** One task's journal: thread-safe (calls finish on client threads). */
  static final class Writer implements AutoCloseable {
    private final FileSystem fs;
    private final String dir;
    private final String prefix;
    private final String runId;
    private final long rollNanos;
    private OutputStream out;
    private long opened;
    private int part;
    private boolean closed;

    Writer(Configuration conf, String dir, String prefix, String runId, long rollSeconds) {
      try {
        this.fs = fileSystem(new Path(dir), conf);
        fs.mkdirs(new Path(dir));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the call journal at " + dir, e);
      }
      this.dir = dir;
      this.prefix = prefix;
      this.runId = runId;
      this.rollNanos = rollSeconds * 1_000_000_000L;
    }

    synchronized void append(CallRecord r) {
      if (closed) {
        throw new IllegalStateException("journal closed; call " + r.callKey() + " would be lost");
      }
      try {
        if (out == null || System.nanoTime() - opened > rollNanos) {
          roll();
        }
        out.write((LlmCallsTable.toJson(r, runId) + "\n").getBytes(StandardCharsets.UTF_8));
        if (out instanceof FSDataOutputStream) {
          ((FSDataOutputStream) out).hflush();
        } else {
          out.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the call journal in " + dir, e);
      }
    }

    private void roll() throws IOException {
      if (out != null) {
        out.close();
      }
      out = fs.create(new Path(dir, prefix + "-" + (part++) + ".jsonl"), false);
      opened = System.nanoTime();
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          LOG.warn("closing the call journal in {}: {}", dir, e.toString());
        }
        out = null;
      }
    }
  }

  /** The journal files of a run (optionally only those starting with a prefix). */
  public static List<Path> files(Configuration conf, String dir, String prefix) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = fileSystem(d, conf);
    List<Path> out = new ArrayList<>();
    if (!fs.exists(d)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(d)) {
      String name = s.getPath().getName();
      if (s.isFile() && name.endsWith(".jsonl") && (prefix == null || name.startsWith(prefix))) {
        out.add(s.getPath());
      }
    }
    return out;
  }

  /** The rows of journal files; a torn last line (the writer was killed mid-write) is skipped. */
  public static List<Row> read(Configuration conf, List<Path> files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Path p : files) {
      FileSystem fs = fileSystem(p, conf);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          try {
            rows.add(LlmCallsTable.fromJson(line));
          } catch (IOException e) {
            LOG.warn("journal {}: skipping a torn line ({} chars)", p.getName(), line.length());
          }
        }
      }
    }
    return rows;
  }
}
