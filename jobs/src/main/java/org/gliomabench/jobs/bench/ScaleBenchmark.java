package org.gliomabench.jobs.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.cli.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench scale}: the study at its real size on this machine. Synthesises N patients at BraTS size (240 x
 * 240 x 155), ingests them, trains {@code bench.scale.epochs} epochs of one fold of the CNN, the U-Net and the
 * multi-task U-Net at the study's shape (the defaults of conf/glioma-bench.properties), each stage in its own JVM with the launcher's
 * memory settings, and prints side by side: ingest seconds per patient, the first and the last epoch's seconds,
 * the last one's examples per second against (minibatches x the single training step timed alone) and where its
 * fit time went, each JVM's peak resident memory, the shuffle bytes written per epoch
 * (a Spark listener), and the projection for the study's 369 patients x 5 folds x 200 epochs. With
 * {@code bench.scale.check=true} (CI) it fails when an epoch shuffles tensor bytes or a JVM's peak memory passes
 * {@code bench.scale.max.rss.gb}.
 */
public final class ScaleBenchmark implements BenchCommand.Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleBenchmark.class);
  /** The study's cohort: BraTS 2020's 369 patients, 5 folds, 200 epochs. */
  private static final int STUDY_PATIENTS = 369;
  private static final int STUDY_FOLDS = 5;
  private static final int STUDY_EPOCHS = 200;
  private static final Pattern PLAN = Pattern.compile("memory plan per worker: (.*?); .*: (\\d+) worker\\(s\\)");
  /** FoldTrainer's lines on where an epoch's fit time went. */
  private static final Pattern WHERE = Pattern.compile("fold 0 epoch (\\d+): (fit .*)");

  /** A stage run in its own JVM: exit status, seconds, peak resident memory, its log. */
  record Child(int status, double seconds, long peakRssMb, Path log) {
    String text() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }

  /**
   * One training arm's last epoch, as its history table and the listener saw it, and its first epoch's seconds
   * (which include building the worker's network and DL4J's workspace learning).
   */
  record Epoch(String arm, int epochs, double firstSeconds, double seconds, double fitSeconds, long examples, long minibatches, int workers,
      long shuffleBytes, long peakRssMb, String plan, double stepSeconds, String where) {}

  @Override
  public String summary() {
    return "the study at BraTS size: ingest, epochs of the CNN, the U-Net and the multi-task U-Net at the study's shape,"
        + " memory, shuffle";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings s = context.settings();
    int patients = s.getInt(ConfigKeys.BENCH_SCALE_PATIENTS);
    String shape = s.get(ConfigKeys.BENCH_SCALE_SHAPE);
    boolean check = s.getBoolean(ConfigKeys.BENCH_SCALE_CHECK);
    boolean seg = s.getBoolean(ConfigKeys.BENCH_SCALE_SEG);
    boolean multitask = s.getBoolean(ConfigKeys.BENCH_SCALE_MULTITASK);
    double maxRssGb = s.getDouble(ConfigKeys.BENCH_SCALE_MAX_RSS_GB);
    boolean temporary = !s.has(ConfigKeys.BENCH_SCALE_DIR);
    Path dir = temporary ? Files.createTempDirectory("glioma-bench-scale") : Path.of(s.get(ConfigKeys.BENCH_SCALE_DIR));
    Files.createDirectories(dir);
    Path data = dir.resolve("data");
    String wh = dir.resolve("warehouse").toString();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("bench scale: %d patients of %s voxels under %s, %d cores (%s); this machine may be shared.%n",
        patients, shape.replace(',', 'x'), dir, cores, NativeBackend.configure());
    try {
      Child synth = child(dir, "synth", List.of("synth", "--out", data.toString(), "--patients", String.valueOf(patients),
          "--seed", "7", "--set", ConfigKeys.SYNTH_SHAPE + "=" + shape));
      require(synth, "synth");
      Child ingest = child(dir, "ingest", List.of("ingest", "--data", data.toString(), "--warehouse", wh, "--run-id",
          "scale"));
      require(ingest, "ingest");
      List<Epoch> epochs = new ArrayList<>();
      epochs.add(train(context, dir, wh, "cnn", "train-cnn", "cnn_history"));
      if (seg) {
        epochs.add(train(context, dir, wh, "seg", "train-seg", "seg_history"));
      }
      if (multitask) {
        epochs.add(train(context, dir, wh, "multitask", "train-multitask", "multitask_history"));
      }
      int failures = print(patients, shape, synth, ingest, epochs, s, check, maxRssGb, context);
      return check && failures > 0 ? 1 : 0;
    } finally {
      if (temporary && !s.getBoolean(ConfigKeys.BENCH_SCALE_KEEP)) {
        deleteTree(dir);
      }
    }
  }

  /** One epoch of one fold of an arm in its own JVM, with the shuffle listener, then its figures. */
  private Epoch train(JobContext context, Path dir, String wh, String arm, String command, String history)
      throws Exception {
    Settings s = context.settings();
    Path report = dir.resolve(arm + "-shuffle.tsv");
    Child c = child(dir, command, List.of(command, "--warehouse", wh, "--run-id", "scale", "--folds", "0", "--epochs",
        String.valueOf(s.getInt(ConfigKeys.BENCH_SCALE_EPOCHS)), "--set", "spark.extraListeners=" + ShuffleMeter.class.getName(),
        "--set", ShuffleMeter.REPORT + "=" + report));
    require(c, command);
    String log = c.text();
    Matcher m = PLAN.matcher(log);
    String plan = m.find() ? m.group(1) : "?";
    int workers = m.find(0) ? Integer.parseInt(m.group(2)) : 1;
    // The last epoch's: the first one also builds the worker's network and lets DL4J learn its workspaces.
    Matcher w = WHERE.matcher(log);
    String where = "?";
    while (w.find()) {
      where = w.group(2);
    }
    // A session of its own for reading the history: the bench's context would open the default warehouse's catalog.
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.sql.catalogImplementation", "in-memory").getOrCreate();
    List<Row> rows = spark.read().parquet(wh + "/" + history).where("run_id = 'scale' and fold = 0").orderBy("epoch")
        .collectAsList();
    Row h = rows.get(rows.size() - 1);
    double firstSeconds = rows.get(0).getAs("seconds");
    double seconds = h.getAs("seconds");
    double eps = h.getAs("examples_per_second");
    long examples = h.getAs("train_examples");
    int batch = s.forArm(arm + ".", ConfigKeys.TRAIN).getInt(ConfigKeys.TRAIN_BATCH_SIZE);
    long minibatches = (examples + batch - 1) / batch;
    long shuffled = 0;
    if (Files.exists(report)) {
      for (String line : Files.readAllLines(report)) {
        if (line.startsWith(command + " fold 0 epoch")) {
          shuffled += Long.parseLong(line.substring(line.lastIndexOf('\t') + 1));
        }
      }
    }
    double step = arm.equals("cnn") ? stepSeconds(dir, s, batch, Math.max(1, Runtime.getRuntime().availableProcessors() / workers)) : Double.NaN;
    return new Epoch(command, rows.size(), firstSeconds, seconds, examples / eps, examples, minibatches, workers, shuffled,
        c.peakRssMb(), plan, step, where);
  }

  /** The single training step of the CNN at the study's shape and batch, timed alone with a worker's threads. */
  private double stepSeconds(Path dir, Settings s, int batch, int threads) throws Exception {
    String shape = "4," + s.get(ConfigKeys.INGEST_VOLUME_SHAPE);
    List<String> cmd = javaCommand();
    cmd.add(CnnStepProbe.class.getName());
    cmd.addAll(List.of(shape, String.valueOf(batch), "2", "1", s.get(ConfigKeys.CNN_LAYOUT).toUpperCase(Locale.ROOT)));
    Child c = run(dir, "step", cmd, Map.of("OMP_NUM_THREADS", String.valueOf(threads)));
    Matcher m = Pattern.compile("STEP .* seconds=([0-9.]+)").matcher(c.text());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private int print(int patients, String shape, Child synth, Child ingest, List<Epoch> epochs, Settings s, boolean check,
      double maxRssGb, JobContext context) {
    System.out.printf(Locale.ROOT, "%n1. ingest: %d patients of %s voxels in %.0f s: %.2f s per patient, peak RSS %.1f GB "
            + "(synth %.0f s)%n", patients, shape.replace(',', 'x'), ingest.seconds(), ingest.seconds() / patients,
        ingest.peakRssMb() / 1024.0, synth.seconds());
    System.out.printf("%n2. fold 0 at the study's shape 4x%s, %d epoch(s); figures of the last (epoch 1 also builds the "
        + "worker's network and lets DL4J learn its workspaces)%n", s.get(ConfigKeys.INGEST_VOLUME_SHAPE).replace(',', 'x'),
        s.getInt(ConfigKeys.BENCH_SCALE_EPOCHS));
    System.out.printf("   %-15s %9s %8s %8s %8s %10s %7s %12s %14s %12s%n", "arm", "epoch 1 s", "epoch s", "fit s", "ex/s",
        "minibatches", "workers", "peak RSS GB", "shuffled bytes", "fit / steps");
    // fit / steps: the epoch's fit time over (a worker's examples / batch x the single step timed alone).
    int failures = 0;
    long tensorBytes = 4L * 4;
    for (int d : s.getInts(ConfigKeys.INGEST_VOLUME_SHAPE)) {
      tensorBytes *= d;
    }
    for (Epoch e : epochs) {
      // A worker's examples over the batch: the steps it took (the last one may be partial), at the step's time.
      int batch = s.forArm(e.arm().substring("train-".length()) + ".", ConfigKeys.TRAIN).getInt(ConfigKeys.TRAIN_BATCH_SIZE);
      double expected = e.examples() / (double) e.workers() / batch * e.stepSeconds();
      System.out.printf(Locale.ROOT, "   %-15s %9.1f %8.1f %8.1f %8.2f %10d %7d %12.1f %14d %12s%n", e.arm(),
          e.firstSeconds(), e.seconds(),
          e.fitSeconds(), e.examples() / e.fitSeconds(), e.minibatches(), e.workers(), e.peakRssMb() / 1024.0,
          e.shuffleBytes(), Double.isNaN(expected) ? "-" : String.format(Locale.ROOT, "%.2fx", e.fitSeconds() / expected));
      System.out.printf("     memory plan: %s%n", e.plan());
      System.out.printf("     epoch %d: %s%n", e.epochs(), e.where());
      if (check && e.shuffleBytes() >= tensorBytes / 4) {
        System.out.printf("     CHECK FAILED: the epoch shuffled %d bytes (a quarter tensor is %d)%n", e.shuffleBytes(),
            tensorBytes / 4);
        failures++;
      }
      if (check && e.peakRssMb() > maxRssGb * 1024) {
        System.out.printf(Locale.ROOT, "     CHECK FAILED: peak RSS %.1f GB > bench.scale.max.rss.gb=%.1f%n",
            e.peakRssMb() / 1024.0, maxRssGb);
        failures++;
      }
    }
    Epoch cnn = epochs.get(0);
    if (!Double.isNaN(cnn.stepSeconds())) {
      System.out.printf(Locale.ROOT, "   the CNN's single step at batch %d with %d thread(s) alone: %.2f s; target: fit <= "
              + "1.2x (a worker's examples / batch x that step)%n", s.forArm("cnn.", ConfigKeys.TRAIN).getInt(ConfigKeys.TRAIN_BATCH_SIZE),
          Math.max(1, Runtime.getRuntime().availableProcessors() / cnn.workers()), cnn.stepSeconds());
    }
    // The study: 369 patients, 15 % test, 5 folds, HGG:LGG as here; an epoch trains the LGG-oversampled training part.
    double trainShare = (1 - s.getDouble(ConfigKeys.SPLIT_TEST_FRACTION)) * (STUDY_FOLDS - 1) / STUDY_FOLDS;
    double patientsPerFold = STUDY_PATIENTS * trainShare;
    double heretrain = patients * trainShare;
    System.out.printf(Locale.ROOT, "%n3. projection for the study (%d patients x %d folds x %d epochs) on this machine, "
        + "scaling each epoch by the training patients (%.0f per fold vs %.0f here):%n", STUDY_PATIENTS, STUDY_FOLDS,
        STUDY_EPOCHS, patientsPerFold, heretrain);
    for (Epoch e : epochs) {
      double epoch = e.seconds() * patientsPerFold / heretrain;
      double total = epoch * STUDY_FOLDS * STUDY_EPOCHS;
      // The peak is this run's: a run of a few minibatches ends before the heap and ND4J's pools reach the
      // size a longer epoch settles at, so only a run of the default size says what the study would peak at.
      System.out.printf(Locale.ROOT, "   %-15s %.0f s per epoch, %.1f days for all folds and epochs; peak RSS %.1f GB in "
              + "this run of %d minibatches (target <= %.0f GB: %s)%n", e.arm(), epoch, total / 86400,
          e.peakRssMb() / 1024.0, e.minibatches(), maxRssGb, e.peakRssMb() / 1024.0 <= maxRssGb ? "met" : "NOT met");
    }
    System.out.printf(Locale.ROOT, "   ingest: %.0f min for %d patients%n", ingest.seconds() / patients * STUDY_PATIENTS / 60,
        STUDY_PATIENTS);
    if (check) {
      System.out.println(failures == 0 ? "bench scale check: passed" : "bench scale check: " + failures + " failure(s)");
    }
    return failures;
  }

  private static void require(Child c, String what) throws IOException {
    if (c.status() != 0 && c.status() != 3) {
      String text = c.text();
      throw new IllegalStateException("bench scale: " + what + " failed (exit " + c.status() + "); the end of its log "
          + c.log() + ":\n" + text.substring(Math.max(0, text.length() - 3000)));
    }
  }

  /** A glioma-bench command in a fresh JVM with this JVM's options (the launcher's memory settings). */
  private Child child(Path dir, String name, List<String> args) throws Exception {
    List<String> cmd = javaCommand();
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    LOG.info("bench scale: {} ...", name);
    Child c = run(dir, name, cmd, Map.of());
    LOG.info("bench scale: {} took {} s, peak RSS {} MB", name, String.format("%.0f", c.seconds()), c.peakRssMb());
    return c;
  }

  private static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }

  /** Runs {@code cmd}, its output to a log file, sampling its peak resident memory (VmHWM) until it exits. */
  static Child run(Path dir, String name, List<String> cmd, Map<String, String> env) throws Exception {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    long peak = 0;
    while (!p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, hwmMb(p.pid()));
    }
    return new Child(p.exitValue(), (System.nanoTime() - t0) / 1e9, peak, log);
  }

  private static long hwmMb(long pid) {
    File status = new File("/proc/" + pid + "/status");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.FileInputStream(status), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
