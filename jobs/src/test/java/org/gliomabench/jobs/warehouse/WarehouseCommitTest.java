package org.gliomabench.jobs.warehouse;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers that share a warehouse: each commit moves finished files in under a short lock, journalled so that a
 * process dying half way leaves nothing missing; concurrent writers of other partitions lose nothing, a second
 * writer of a claimed partition or fold is refused naming the first, and readers see every commit whole.
 */
class WarehouseCommitTest {
  @TempDir
  Path tmp;

  private final SparkSession spark = SharedSpark.session();
  private final List<Warehouse> writers = new ArrayList<>();

  @AfterEach
  void release() {
    writers.forEach(Warehouse::releaseClaims);
  }

  private Warehouse writer(String holder) {
    Warehouse w = new Warehouse(spark, tmp.resolve("wh").toString(),
        Warehouse.Commits.from(Settings.defaults(), holder));
    writers.add(w);
    return w;
  }

  private Dataset<Row> ids(int... values) {
    return spark.createDataset(java.util.Arrays.stream(values).boxed().toList(), Encoders.INT()).toDF("id");
  }

  /** Rows (run_id, fold, id) for ids from..to-1. */
  private Dataset<Row> rows(String run, int fold, int from, int to) {
    List<Integer> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(i);
    }
    return spark.createDataset(ids, Encoders.INT()).toDF("id")
        .withColumn("run_id", org.apache.spark.sql.functions.lit(run))
        .withColumn("fold", org.apache.spark.sql.functions.lit(fold));
  }

  private List<Integer> read(Warehouse w, String table) {
    return w.read(table).orderBy("id").select("id").as(Encoders.INT()).collectAsList();
  }

  private long count(Warehouse w, String table, String run, int fold) {
    return w.read(table).where(col("run_id").equalTo(run).and(col("fold").equalTo(fold))).count();
  }

  @Test
  void aReplacementCutShortAfterTheOldTableMovedAsideIsFinishedByTheNextCommit() throws Exception {
    Warehouse w = writer("run a (ingest)");
    w.replace("patients", ids(1, 2));
    // The process "dies" after journalling and moving the old table aside, before moving the new one in.
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(w.root() + "/_staging/patients-new");
    ids(1, 2, 3).write().parquet(staging.toString());
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(w.path("patients"));
    org.apache.hadoop.fs.Path aside = new org.apache.hadoop.fs.Path(w.root() + "/_swaps/old-x");
    FileSystem fs = w.fileSystem();
    new Commit("table patients").swap(staging, target, aside).staging(staging).journal(fs, w.root());
    assertTrue(fs.rename(target, aside));
    assertFalse(w.exists("patients"));

    Warehouse next = writer("run b (ingest)");
    assertEquals(List.of("table patients"), next.recoverInterruptedSwaps());
    assertEquals(List.of(1, 2, 3), read(next, "patients"));
    assertEquals(0, fs.listStatus(new org.apache.hadoop.fs.Path(next.root() + "/_swaps")).length, "journal and old data gone");
    assertEquals(List.of(), next.recoverInterruptedSwaps());
  }

  @Test
  void anAppendCutShortAfterItsJournalIsCompletedOnceAndItsConsumedFilesGo() throws Exception {
    Warehouse w = writer("run r (llm-slices)");
    w.append("llm_calls", rows("r", 0, 0, 3), "run_id");
    Path consumed = Files.writeString(tmp.resolve("journal-part-0.jsonl"), "three answers\n");
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(w.root() + "/_staging/llm_calls-x");
    rows("r", 0, 3, 6).write().partitionBy("run_id").parquet(staging.toString());
    FileSystem fs = w.fileSystem();
    Commit commit = new Commit("rows appended to llm_calls").staging(staging);
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(new org.apache.hadoop.fs.Path(staging, "run_id=r"))) {
      commit.move(f.getPath(), new org.apache.hadoop.fs.Path(w.path("llm_calls") + "/run_id=r/" + f.getPath().getName()));
    }
    commit.delete(new org.apache.hadoop.fs.Path(consumed.toUri()));
    commit.journal(fs, w.root()); // dies here: nothing moved yet, the journal's files still there
    assertEquals(3, read(w, "llm_calls").size());

    writer("run r (llm-slices, rerun)").recoverInterruptedSwaps();
    assertEquals(List.of(0, 1, 2, 3, 4, 5), read(w, "llm_calls"), "the rows once each");
    assertFalse(Files.exists(consumed), "the journal file folded in is gone with the commit");
  }

  @Test
  void writersOfOtherFoldsCommitSideBySideAndAWriterOfAClaimedPartitionIsRefusedNamingTheHolder() throws Exception {
    Warehouse fold0 = writer("run r (train-cnn) array task 0");
    Warehouse fold1 = writer("run r (train-cnn) array task 1");
    fold0.claim("train-cnn/run_id=r/fold=0");
    fold1.claim("train-cnn/run_id=r/fold=1");
    WarehouseLock.BusyException twice = assertThrows(WarehouseLock.BusyException.class,
        () -> writer("run r (train-cnn) rerun").claim("train-cnn/run_id=r/fold=0"));
    assertTrue(twice.getMessage().contains("run r (train-cnn) array task 0 on "), twice.getMessage());
    assertTrue(twice.getMessage().contains("train-cnn/run_id=r/fold=0"), twice.getMessage());

    // Both write the same table at the same time, each its own partition, many times over.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        int fold = k;
        Warehouse w = fold == 0 ? fold0 : fold1;
        done.add(pool.submit(() -> {
          for (int epoch = 1; epoch <= 4; epoch++) {
            w.overwriteRunPartitions("cnn_history", rows("r", fold, 0, epoch), "run_id", "fold");
            w.append("runs", rows("r", fold, 100 * fold + epoch, 100 * fold + epoch + 1));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(4, count(fold0, "cnn_history", "r", 0), "fold 0's last history, whole");
    assertEquals(4, count(fold0, "cnn_history", "r", 1), "fold 1's, untouched by fold 0's writer");
    assertEquals(8, fold0.read("runs").count(), "every appended row of both writers");

    WarehouseLock.BusyException partition = assertThrows(WarehouseLock.BusyException.class,
        () -> writer("run r (aggregate)").overwriteRunPartitions("cnn_history", rows("r", 1, 0, 1), "run_id", "fold"));
    assertTrue(partition.getMessage().contains("cnn_history/run_id=r/fold=1"), partition.getMessage());
    assertEquals(4, count(fold0, "cnn_history", "r", 1), "the refused write changed nothing");
    assertEquals(0, fold0.fileSystem().listStatus(new org.apache.hadoop.fs.Path(fold0.root() + "/_staging")).length,
        "and left no staging behind");

    fold1.releaseClaims(); // its command ended: the partition is free for the next writer
    writer("run r (train-cnn) next night").overwriteRunPartitions("cnn_history", rows("r", 1, 0, 2), "run_id", "fold");
    assertEquals(2, count(fold0, "cnn_history", "r", 1));
  }

  @Test
  void writersMergingTheirFoldsIntoOneSharedPartitionNeverLoseEachOthersRows() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        int fold = k;
        Warehouse w = writer("run r (train-seg) fold " + fold);
        done.add(pool.submit(() -> {
          for (int round = 1; round <= 4; round++) {
            // The run's one partition (run_id=r) holds every fold's rows; each writer replaces only its fold's.
            w.mergePartitions("segmentation", rows("r", fold, 0, 2 + round),
                existing -> existing.where(col("run_id").equalTo("r").and(col("fold").notEqual(fold)))
                    .select(col("id").cast("int"), col("run_id").cast("string"), col("fold").cast("int")),
                "run_id");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    Warehouse reader = writer("run r (report)");
    assertEquals(6, count(reader, "segmentation", "r", 0), "fold 0's last rows");
    assertEquals(6, count(reader, "segmentation", "r", 1), "fold 1's last rows, whichever wrote last");
  }

  /**
   * A reader lists a table's files under the commit lock, so it gets each partition before or after a commit, never
   * missing or mixed. (Plain Parquet keeps no old versions: a reader still reading when a later commit replaces a
   * partition it listed fails with a missing file, and reads again; it never gets wrong rows.)
   */
  @Test
  void aReaderNeverSeesAPartitionHalfReplacedNorMissing() throws Exception {
    Warehouse writer = writer("run r (train-seg)");
    writer.overwriteRunPartitions("seg_history", rows("r", 0, 0, 10).union(rows("r", 1, 0, 10)), "run_id", "fold");
    Warehouse reader = writer("run r (report)");
    AtomicBoolean stop = new AtomicBoolean();
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> failed = new CopyOnWriteArrayList<>();
    Thread reading = new Thread(() -> {
      while (!stop.get()) {
        try {
          Map<Integer, Long> perFold = new TreeMap<>();
          for (Row r : reader.read("seg_history").groupBy("fold").count().collectAsList()) {
            perFold.put(((Number) r.get(0)).intValue(), r.getLong(1));
          }
          seen.add(perFold.toString());
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
          failed.add(String.valueOf(e));
        }
      }
    });
    reading.start();
    for (int i = 0; i < 30; i++) {
      int n = i % 2 == 0 ? 20 : 10;
      writer.overwriteRunPartitions("seg_history", rows("r", i % 2, 0, n).union(rows("r", i % 2, 1000, 1000 + n)),
          "run_id", "fold");
    }
    stop.set(true);
    reading.join(60_000);
    Set<String> states = new TreeSet<>(seen);
    assertTrue(seen.size() >= 3, "the reader read while the writer committed: " + seen.size() + " reads, " + failed);
    for (String s : states) {
      assertTrue(s.matches("\\{0=(10|20|40), 1=(10|20|40)\\}"), "a reader saw " + s + " (all seen: " + states + ")");
    }
    for (String f : failed) {
      assertTrue(f.contains("does not exist") && f.contains("seg_history/run_id=r/fold="), "a read failed otherwise: " + f);
    }
  }

  @Test
  void aPartitionedTableFolderHoldsOnlyCommittedParquetFiles() throws Exception {
    Warehouse w = writer("run r (aggregate)");
    w.overwriteRunPartitions("metrics", rows("r", 0, 0, 5), "run_id");
    w.overwriteRunPartitions("metrics", rows("r", 0, 0, 7), "run_id");
    try (Stream<Path> files = Files.walk(tmp.resolve("wh").resolve("metrics"))) {
      List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".parquet") && !n.endsWith(".parquet.crc")).toList();
      assertEquals(List.of(), names, "no _temporary, _SUCCESS or .spark-staging files inside a partitioned table");
    }
    assertEquals(7, w.read("metrics").count());
  }
}
