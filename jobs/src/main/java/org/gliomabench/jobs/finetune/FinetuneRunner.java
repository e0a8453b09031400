package org.gliomabench.jobs.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the fine-tuning script (a resource of this jar, written to OUT so that it can be rerun by hand) in a
 * Python process and watches it: its JSON progress lines become console lines, everything it prints goes to
 * OUT/finetune.log, and when it fails the reason (and the end of its log) reaches the user.
 */
final class FinetuneRunner {
  private static final Logger LOG = LoggerFactory.getLogger(FinetuneRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCRIPT = "glioma_sft.py";
  /** The script's exit statuses for a broken environment rather than a failed training. */
  static final int PY_MISSING_PACKAGES = 3;
  static final int PY_QLORA_NEEDS_CUDA = 4;
  static final int PY_BAD_DATA = 5;

  private final Settings settings;

  FinetuneRunner(Settings settings) {
    this.settings = settings;
  }

  int run() throws IOException, InterruptedException {
    Path data = localDir(settings.get(ConfigKeys.FINETUNE_DIR), ConfigKeys.FINETUNE_DIR);
    if (!Files.isRegularFile(data.resolve("train.jsonl"))) {
      throw new ConfigException("--data " + data + " has no train.jsonl: run export-finetune --out " + data + " first");
    }
    Path out = localDir(settings.get(ConfigKeys.FINETUNE_OUT), ConfigKeys.FINETUNE_OUT);
    Files.createDirectories(out);
    Path script = out.resolve(SCRIPT);
    try (InputStream in = FinetuneRunner.class.getResourceAsStream("/finetune/" + SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks /finetune/" + SCRIPT);
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    String base = settings.get(ConfigKeys.FINETUNE_BASE);
    Path baseDir = Path.of(base);
    if (Files.isDirectory(baseDir)) {
      base = baseDir.toAbsolutePath().toString(); // the script runs from OUT
    }
    List<String> cmd = new ArrayList<>(List.of(settings.get(ConfigKeys.FINETUNE_PYTHON), "-u", script.toString(),
        "--data", data.toString(), "--base", base, "--out", out.toString(),
        "--max-steps", String.valueOf(settings.getInt(ConfigKeys.FINETUNE_MAX_STEPS)),
        "--epochs", settings.get(ConfigKeys.FINETUNE_EPOCHS),
        "--lora-r", String.valueOf(settings.getInt(ConfigKeys.FINETUNE_LORA_R)),
        "--lora-alpha", String.valueOf(settings.getInt(ConfigKeys.FINETUNE_LORA_ALPHA)),
        "--lr", settings.get(ConfigKeys.FINETUNE_LEARNING_RATE),
        "--batch", String.valueOf(settings.getInt(ConfigKeys.FINETUNE_BATCH_SIZE)),
        "--seed", String.valueOf(settings.getLong(ConfigKeys.FINETUNE_SEED)),
        "--device", settings.get(ConfigKeys.FINETUNE_DEVICE)));
    if (Boolean.parseBoolean(settings.get(ConfigKeys.FINETUNE_QLORA))) {
      cmd.add("--qlora");
    }
    if (Boolean.parseBoolean(settings.get(ConfigKeys.FINETUNE_MERGE))) {
      cmd.add("--merge");
    }
    Path log = out.resolve("finetune.log");
    System.out.println("finetune: " + String.join(" ", cmd));
    System.out.println("  log: " + log);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(out.toFile()).redirectErrorStream(false);
    pb.environment().put("PYTHONUNBUFFERED", "1");
    pb.environment().putIfAbsent("TOKENIZERS_PARALLELISM", "false");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ConfigException("cannot start " + cmd.get(0) + " (" + ConfigKeys.FINETUNE_PYTHON + ", --python): " + e.getMessage());
    }
    Deque<String> tail = new ArrayDeque<>();
    JsonNode[] error = new JsonNode[1];
    JsonNode[] done = new JsonNode[1];
    long start = System.nanoTime();
    try (PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      Thread stderr = new Thread(() -> pump(p.getErrorStream(), line -> {
        synchronized (logOut) {
          logOut.println(line);
        }
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 25) {
            tail.removeFirst();
          }
        }
      }), "finetune-stderr");
      stderr.setDaemon(true);
      stderr.start();
      pump(p.getInputStream(), line -> {
        synchronized (logOut) {
          logOut.println(line);
        }
        JsonNode n = parse(line);
        if (n == null) {
          return;
        }
        String event = n.path("event").asText();
        switch (event) {
          case "start" -> System.out.printf(Locale.ROOT, "finetune: %s on %d training examples (%d held out), %d steps, LoRA r %d%s, %s%n",
              n.path("base").asText(), n.path("train").asInt(), n.path("val").asInt(), n.path("max_steps").asInt(),
              n.path("lora_r").asInt(), n.path("qlora").asBoolean() ? " (QLoRA 4-bit)" : "", n.path("device").asText());
          case "step" -> {
            if (n.has("loss")) {
              System.out.println(progress(n, start));
            }
          }
          case "eval" -> System.out.printf(Locale.ROOT, "  step %d/%d: validation loss %.4f (held-out fold)%s%n", n.path("step").asInt(),
              n.path("max_steps").asInt(), n.path("eval_loss").asDouble(), n.path("final").asBoolean() ? ", final" : "");
          case "saved" -> System.out.println("  wrote " + n.path("what").asText() + ": " + n.path("path").asText());
          case "error" -> error[0] = n;
          case "done" -> done[0] = n;
          default -> { }
        }
      });
      int rc = p.waitFor();
      stderr.join(5_000);
      if (rc == 0 && done[0] != null) {
        JsonNode d = done[0];
        System.out.printf(Locale.ROOT, "finetune: done in %.0f s: loss %.4f -> %.4f%s; %d trainable parameters%n",
            d.path("seconds").asDouble(), d.path("first_loss").asDouble(), d.path("last_loss").asDouble(),
            d.path("val_loss").isNull() || d.path("val_loss").isMissingNode() ? "" : String.format(Locale.ROOT,
                ", validation loss %.4f", d.path("val_loss").asDouble()), d.path("trainable_parameters").asLong());
        System.out.println("  adapter: " + d.path("adapter").asText()
            + (d.path("merged").isTextual() ? "\n  merged model: " + d.path("merged").asText() : "")
            + "\n  summary: " + out.resolve("finetune.json"));
        return 0;
      }
      String why = error[0] != null ? error[0].path("message").asText() : "the Python process exited with status " + rc;
      System.err.println("finetune failed: " + why);
      if (rc == PY_MISSING_PACKAGES || rc == PY_QLORA_NEEDS_CUDA || rc == PY_BAD_DATA) {
        return 2;
      }
      synchronized (tail) {
        if (!tail.isEmpty()) {
          System.err.println("  last lines of " + log + ":");
          tail.forEach(l -> System.err.println("    " + l));
        }
      }
      return 1;
    } finally {
      if (p.isAlive()) { // interrupted: do not leave the trainer running
        p.destroy();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** "  step 3/6: loss 6.2613, 2.9 s, ETA 6 s". */
  static String progress(JsonNode n, long startNanos) {
    int step = n.path("step").asInt();
    int max = n.path("max_steps").asInt();
    double secs = n.has("elapsed_s") ? n.path("elapsed_s").asDouble() : (System.nanoTime() - startNanos) / 1e9;
    String eta = step > 0 && max > step ? String.format(Locale.ROOT, ", ETA %.0f s", secs / step * (max - step)) : "";
    return String.format(Locale.ROOT, "  step %d/%d: loss %.4f, %.1f s%s", step, max, n.path("loss").asDouble(), secs, eta);
  }

  private static JsonNode parse(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.has("event") ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void pump(InputStream in, java.util.function.Consumer<String> sink) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        sink.accept(line);
      }
    } catch (IOException e) {
      LOG.warn("reading the fine-tuning process's output: {}", e.toString());
    }
  }

  /** A folder on this machine's disk: the Python side reads and writes plain files. */
  static Path localDir(String value, String key) {
    if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || value.startsWith("file:")) {
      URI u = URI.create(value);
      if (!"file".equals(u.getScheme())) {
        throw new ConfigException(key + "=" + value + ": the fine-tuning process reads and writes local files; copy the"
            + " folder to this machine's disk (e.g. hdfs dfs -get) and give its path");
      }
      return Path.of(u.getPath()).toAbsolutePath().normalize();
    }
    return Path.of(value).toAbsolutePath().normalize();
  }
}
