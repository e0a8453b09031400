package org.gliomabench.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A Spark listener ({@code spark.extraListeners}) that sums the shuffle bytes written per job description (the
 * stages set them: "train-cnn fold 0 epoch 3", ...) and writes them as TSV to {@code spark.gliomabench.shuffle.report}
 * when the application ends: how {@code bench scale} shows that no tensor byte is shuffled per epoch.
 */
public final class ShuffleMeter extends SparkListener {
  static final String REPORT = "spark.gliomabench.shuffle.report";

  private final String report;
  private final Map<Integer, String> stageJob = new ConcurrentHashMap<>();
  private final Map<String, Long> bytes = new ConcurrentHashMap<>();

  public ShuffleMeter(SparkConf conf) {
    this.report = conf.get(REPORT, "");
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
    String key = description == null ? "(no description)" : description;
    scala.collection.Iterator<Object> ids = job.stageIds().iterator();
    while (ids.hasNext()) {
      stageJob.put((Integer) ids.next(), key);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    if (task.taskMetrics() == null) {
      return;
    }
    long written = task.taskMetrics().shuffleWriteMetrics().bytesWritten();
    if (written > 0) {
      bytes.merge(stageJob.getOrDefault(task.stageId(), "(unknown)"), written, Long::sum);
    }
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    if (report.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("job\tshuffle_bytes_written\n");
    new TreeMap<>(bytes).forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
    try {
      Files.writeString(Path.of(report), sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
