package org.gliomabench.jobs.warehouse;

import org.gliomabench.jobs.SharedSpark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a table never leaves it missing, even when the process dies half way through the swap. */
class WarehouseSwapTest {
  @TempDir
  Path tmp;

  private final SparkSession spark = SharedSpark.session();

  private Dataset<Row> ids(int... values) {
    return spark.createDataset(java.util.Arrays.stream(values).boxed().toList(),
        org.apache.spark.sql.Encoders.INT()).toDF("id");
  }

  private List<Integer> read(Warehouse w, String table) {
    return w.read(table).orderBy("id").as(org.apache.spark.sql.Encoders.INT()).collectAsList();
  }

  @Test
  void aReplacementCutShortAfterTheOldTableMovedAsideIsFinishedByTheNextWriter() throws Exception {
    Warehouse w = new Warehouse(spark, tmp.resolve("wh").toString());
    w.replace("patients", ids(1, 2));
    // The process "dies" after moving the old table aside and before moving the new one in.
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(w.root() + "/_staging/patients-new");
    ids(1, 2, 3).write().parquet(staging.toString());
    Warehouse.Swap swap = w.new Swap("patients", staging,
        new org.apache.hadoop.fs.Path(w.root() + "/_swaps/patients.old-" + UUID.randomUUID()));
    swap.journal();
    swap.moveOldAside();
    assertFalse(w.exists("patients"));

    Warehouse next = new Warehouse(spark, tmp.resolve("wh").toString());
    assertEquals(List.of("patients"), next.recoverInterruptedSwaps());
    assertEquals(List.of(1, 2, 3), read(next, "patients"));
    FileSystem fs = next.fileSystem();
    assertEquals(0, fs.listStatus(new org.apache.hadoop.fs.Path(next.root() + "/_swaps")).length, "journal and old data gone");
    assertEquals(List.of(), next.recoverInterruptedSwaps());
  }

  @Test
  void aReplacementCutShortBeforeAnythingMovedKeepsTheOldTableUntilRecoveryPutsTheNewOneIn() throws Exception {
    Warehouse w = new Warehouse(spark, tmp.resolve("wh").toString());
    w.replace("slices", ids(7));
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(w.root() + "/_staging/slices-new");
    ids(8, 9).write().parquet(staging.toString());
    w.new Swap("slices", staging, new org.apache.hadoop.fs.Path(w.root() + "/_swaps/slices.old-x")).journal();
    assertEquals(List.of(7), read(w, "slices"), "readers still see the old table");
    w.recoverInterruptedSwaps();
    assertEquals(List.of(8, 9), read(w, "slices"));
  }

  @Test
  void anUninterruptedReplacementLeavesNoJournal() {
    Warehouse w = new Warehouse(spark, tmp.resolve("wh").toString());
    w.replace("t", ids(1));
    w.replace("t", ids(2));
    assertEquals(List.of(2), read(w, "t"));
    assertEquals(List.of(), w.recoverInterruptedSwaps());
  }
}
