package org.gliomabench.jobs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Training-step probes in their own processes (a DL4J JVM, PyTorch variants), timed in alternating rounds:
 * each round asks every side for one step, the order rotating from round to round, so that all sides meet the
 * same machine load and none always follows the same neighbour. The protocol (CnnStepProbe, SegBenchmark's probe,
 * scripts/bench_common_torch.py): after its warm-up a side prints "ready [SECONDS]" (its last warm-up step), then
 * answers each "step" line on stdin with "step SECONDS LOSS", and "done" with one JSON object; "progress: "
 * lines are relayed; a JSON object instead of "ready" says why the side did not start ({"skipped": ...}).
 */
final class LockStep {
  static final ObjectMapper JSON = new ObjectMapper();
  /** How long a step, or a start without a cap of its own, may take before the side is given up. */
  static final long STEP_TIMEOUT_S = 3600;

  private LockStep() {}

  /** One side's process. Its output is read on a thread of its own, so that waits can have a deadline. */
  static final class Side implements AutoCloseable {
    private static final String EOF = "\u0000end of output";
    final String label;
    private final Process process;
    private final Writer writer;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder tail = new StringBuilder();

    private Side(String label, Process process, PrintStream out) {
      this.label = label;
      this.process = process;
      this.writer = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> read(out), "bench-" + label);
      reader.setDaemon(true);
      reader.start();
    }

    /** Starts {@code cmd} with {@code env} added to this process's environment. */
    static Side start(String label, List<String> cmd, Map<String, String> env, PrintStream out) throws IOException {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      return new Side(label, pb.start(), out);
    }

    private void read(PrintStream out) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String t = line.trim();
          if (t.startsWith("progress: ")) {
            out.println("  " + label + ": " + t.substring("progress: ".length()));
            out.flush();
          } else if (t.equals("ready") || t.startsWith("ready ") || t.startsWith("step ")
              || (t.startsWith("{") && t.endsWith("}"))) {
            lines.add(t);
          } else {
            synchronized (tail) {
              tail.append(line).append('\n');
              if (tail.length() > 4000) {
                tail.delete(0, tail.length() - 4000);
              }
            }
          }
        }
      } catch (IOException e) {
        synchronized (tail) {
          tail.append("(reading its output failed: ").append(e.getMessage()).append(")\n");
        }
      } finally {
        lines.add(EOF);
      }
    }

    /** The next protocol line, or null when the process's output ended; TimeoutException after the deadline. */
    String next(long timeoutSeconds) throws IOException, java.util.concurrent.TimeoutException {
      try {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
          throw new java.util.concurrent.TimeoutException(label + ": no answer within " + timeoutSeconds + " s");
        }
        if (line.equals(EOF)) {
          lines.add(EOF);
          return null;
        }
        return line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(label + ": interrupted");
      }
    }

    /** Asks for one training step; returns its seconds. */
    double step() throws IOException {
      try {
        writer.write("step\n");
        writer.flush();
      } catch (IOException e) {
        throw new IOException(failure());
      }
      String line;
      try {
        line = next(STEP_TIMEOUT_S);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IOException(e.getMessage());
      }
      if (line == null || !line.startsWith("step ")) {
        throw new IOException(failure());
      }
      return Double.parseDouble(line.split(" ")[1]);
    }

    /** Ends the timed steps; returns the side's JSON result. */
    JsonNode finish() throws IOException, InterruptedException {
      try {
        writer.write("done\n");
        writer.close();
      } catch (IOException e) {
        // It may have ended already; its output tells.
      }
      String line;
      try {
        line = next(600);
      } catch (java.util.concurrent.TimeoutException e) {
        line = null;
      }
      if (line == null || !line.startsWith("{") || !process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException(label + " side failed: " + (line == null ? "" : line + " ") + failure());
      }
      return JSON.readTree(line);
    }

    /** Why the process stopped answering: its exit status (if ended) and the tail of its output. */
    String failure() {
      String status;
      try {
        status = process.waitFor(5, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = "interrupted";
      }
      synchronized (tail) {
        return label + " side failed (" + status + "): " + tail.toString().strip();
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }

  /**
   * A started side, or why it is not there. {@code warmUpSeconds}: its last warm-up step (NaN if it did not
   * say); {@code startSeconds}: from its start to "ready".
   */
  record Started(Side side, double warmUpSeconds, double startSeconds, String skipped) {}

  /**
   * Starts a side and waits up to {@code timeoutSeconds} for "ready"; a side that answers with JSON (its
   * reason to skip), ends, or misses the deadline is stopped and reported as skipped.
   */
  static Started start(String label, List<String> cmd, Map<String, String> env, long timeoutSeconds, PrintStream out) {
    long t0 = System.nanoTime();
    Side side;
    try {
      side = Side.start(label, cmd, env, out);
    } catch (IOException e) {
      return new Started(null, Double.NaN, Double.NaN, firstLine(e.getMessage()));
    }
    String why;
    try {
      String first = side.next(timeoutSeconds);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (first != null && first.startsWith("ready")) {
        String[] parts = first.split(" ");
        return new Started(side, parts.length > 1 ? Double.parseDouble(parts[1]) : Double.NaN, seconds, null);
      }
      if (first == null) {
        why = side.failure();
      } else {
        JsonNode j = JSON.readTree(first);
        why = j.has("skipped") ? j.get("skipped").asText() : "unexpected output " + first;
      }
    } catch (java.util.concurrent.TimeoutException e) {
      why = "not ready within " + timeoutSeconds + " s (stopped)";
    } catch (IOException | RuntimeException e) {
      why = firstLine(e.getMessage());
    }
    side.close();
    return new Started(null, Double.NaN, Double.NaN, why);
  }

  /** One side's timed steps over the rounds (NaN where it was no longer there), its result or why not. */
  record Timing(String label, double[] seconds, JsonNode result, String skipped) {
    double mean() {
      return Arrays.stream(valid()).average().orElse(Double.NaN);
    }

    double median() {
      double[] v = valid();
      return v.length == 0 ? Double.NaN : SegBenchmark.median(v);
    }

    double min() {
      return Arrays.stream(valid()).min().orElse(Double.NaN);
    }

    double[] valid() {
      return Arrays.stream(seconds).filter(s -> !Double.isNaN(s)).toArray();
    }

    /** Median over rounds of this side's step / {@code other}'s step in the same round. */
    double pairedRatio(Timing other) {
      List<Double> r = new ArrayList<>();
      for (int i = 0; i < Math.min(seconds.length, other.seconds.length); i++) {
        if (!Double.isNaN(seconds[i]) && !Double.isNaN(other.seconds[i])) {
          r.add(seconds[i] / other.seconds[i]);
        }
      }
      return r.isEmpty() ? Double.NaN : SegBenchmark.median(r.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /**
   * {@code rounds} rounds of one step per side, round r starting at side r mod n; then each side's result.
   * The first side is the reference (DL4J): if it fails, IOException; another side that fails is closed and
   * reported as skipped, the rounds go on without it. Each round prints one progress line.
   */
  static List<Timing> rounds(List<Side> sides, int rounds, PrintStream out) throws IOException, InterruptedException {
    int n = sides.size();
    double[][] t = new double[n][rounds];
    for (double[] row : t) {
      Arrays.fill(row, Double.NaN);
    }
    String[] failed = new String[n];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        int i = (r + k) % n;
        if (failed[i] != null) {
          continue;
        }
        try {
          t[i][r] = sides.get(i).step();
        } catch (IOException e) {
          if (i == 0) {
            throw e;
          }
          failed[i] = "failed at step " + (r + 1) + ": " + firstLine(e.getMessage());
          sides.get(i).close();
        }
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d/%d:", r + 1, rounds));
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(t[i][r])) {
          line.append(String.format(Locale.ROOT, "%s %s %.2f s", i == 0 ? "" : ",", sides.get(i).label, t[i][r]));
          if (i > 0) {
            line.append(String.format(Locale.ROOT, " (%.2fx)", t[0][r] / t[i][r]));
          }
        }
      }
      out.println(line);
      out.flush();
    }
    List<Timing> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Side side = sides.get(i);
      if (failed[i] != null) {
        result.add(new Timing(side.label, t[i], null, failed[i]));
        continue;
      }
      try {
        result.add(new Timing(side.label, t[i], side.finish(), null));
      } catch (IOException e) {
        if (i == 0) {
          throw e;
        }
        result.add(new Timing(side.label, t[i], null, firstLine(e.getMessage())));
      }
    }
    return result;
  }

  static String firstLine(String s) {
    return s == null ? "failed" : s.lines().findFirst().orElse("failed");
  }
}
