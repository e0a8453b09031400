package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Parquet warehouse: table {@code T} at {@code <root>/T/}. Writes never leave a half-written table in
 * place of a good one: whole tables are written to a staging folder and swapped in; run-scoped tables
 * replace only their own run's partition.
 */
public final class Warehouse {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Warehouse.class);
  private static final String STAGING = "_staging";
  private static final String SWAPS = "_swaps";
  private static final String JOURNAL = ".swap";

  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(spark, root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
  }

  /** An absolute URI (file:/..., hdfs://..., s3a://...), so that catalog entries and logs are unambiguous. */
  private static String qualify(SparkSession spark, String root) {
    try {
      Path p = new Path(root);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("warehouse " + root + " is not a usable path: " + e.getMessage(), e);
    }
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public SparkSession spark() {
    return spark;
  }

  public FileSystem fileSystem() {
    try {
      return new Path(root).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the warehouse file system at " + root, e);
    }
  }

  /** True when the table has been written (a Parquet folder with data or a success marker). */
  public boolean exists(String table) {
    try {
      FileSystem fs = fileSystem();
      Path p = new Path(path(table));
      return fs.exists(p) && fs.listStatus(p).length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up table " + table + " at " + path(table), e);
    }
  }

  public Dataset<Row> read(String table) {
    if (!exists(table)) {
      throw new IllegalStateException("table '" + table + "' does not exist at " + path(table)
          + " (run the stage that writes it first)");
    }
    return spark.read().parquet(path(table));
  }

  /**
   * Replaces the whole table: written to a staging folder first, then swapped in. The swap is journalled under
   * {@code _swaps/} so that a process that dies between moving the old table aside and moving the new one in
   * leaves nothing missing: the next writer ({@link #recoverInterruptedSwaps}) finishes the swap.
   */
  public void replace(String table, Dataset<Row> data) {
    Path staging = new Path(root + "/" + STAGING + "/" + table + "-" + UUID.randomUUID());
    data.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
    Swap swap = new Swap(table, staging, new Path(root + "/" + SWAPS + "/" + table + ".old-" + UUID.randomUUID()));
    try {
      swap.journal();
      swap.moveOldAside();
      swap.moveNewIn();
      swap.cleanUp();
    } catch (IOException e) {
      throw new UncheckedIOException("swapping in table " + table + " failed; the new data is kept at " + staging
          + " and the next run finishes the swap", e);
    }
  }

  /**
   * Finishes swaps that a dead process left half done (see {@link #replace}): the new data goes in, the old is
   * removed. Call it holding the warehouse lock, before writing. Returns the tables it repaired.
   */
  public java.util.List<String> recoverInterruptedSwaps() {
    java.util.List<String> repaired = new java.util.ArrayList<>();
    FileSystem fs = fileSystem();
    Path dir = new Path(root + "/" + SWAPS);
    try {
      if (!fs.exists(dir)) {
        return repaired;
      }
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        if (!name.endsWith(JOURNAL)) {
          continue;
        }
        Swap swap = Swap.read(this, fs, f.getPath());
        if (swap == null) {
          fs.delete(f.getPath(), false); // the journal itself was cut short: nothing had moved yet
          continue;
        }
        if (fs.exists(swap.staging)) {
          swap.moveOldAside();
          swap.moveNewIn();
        } else if (!fs.exists(swap.target()) && fs.exists(swap.old)) {
          fs.rename(swap.old, swap.target()); // the new data is gone: keep the old rather than nothing
        }
        swap.cleanUp();
        LOG.warn("table {}: finished a replacement that an earlier process left half done", swap.table);
        repaired.add(swap.table);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover the interrupted table swaps under " + dir, e);
    }
    return repaired;
  }

  /** One table replacement's steps, journalled first so that any of them can be redone. */
  final class Swap {
    final String table;
    final Path staging;
    final Path old;

    Swap(String table, Path staging, Path old) {
      this.table = table;
      this.staging = staging;
      this.old = old;
    }

    Path target() {
      return new Path(path(table));
    }

    Path journalPath() {
      return new Path(root + "/" + SWAPS + "/" + table + JOURNAL);
    }

    void journal() throws IOException {
      FileSystem fs = fileSystem();
      Path tmp = new Path(root + "/" + SWAPS + "/_tmp-" + UUID.randomUUID());
      try (java.io.OutputStream out = fs.create(tmp, false)) {
        out.write((table + "\n" + staging + "\n" + old + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      if (fs.exists(journalPath())) {
        fs.delete(journalPath(), false);
      }
      if (!fs.rename(tmp, journalPath())) {
        throw new IOException("cannot write the swap journal " + journalPath());
      }
    }

    void moveOldAside() throws IOException {
      FileSystem fs = fileSystem();
      if (fs.exists(target()) && !fs.rename(target(), old)) {
        throw new IOException("cannot move the old " + target() + " aside to " + old);
      }
    }

    void moveNewIn() throws IOException {
      FileSystem fs = fileSystem();
      fs.mkdirs(target().getParent());
      if (!fs.rename(staging, target())) {
        throw new IOException("cannot move " + staging + " to " + target());
      }
    }

    void cleanUp() throws IOException {
      FileSystem fs = fileSystem();
      if (fs.exists(old)) {
        fs.delete(old, true);
      }
      fs.delete(journalPath(), false);
    }

    static Swap read(Warehouse w, FileSystem fs, Path journal) throws IOException {
      String[] lines;
      try (java.io.InputStream in = fs.open(journal)) {
        lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
      }
      if (lines.length < 3 || lines[2].isBlank()) {
        return null;
      }
      return w.new Swap(lines[0], new Path(lines[1]), new Path(lines[2]));
    }
  }

  /**
   * Writes the rows of one run, partitioned by {@code run_id}, replacing only the partitions present in
   * {@code data}: other runs (and folds written by other invocations) are untouched.
   */
  public void overwriteRunPartitions(String table, Dataset<Row> data, String... partitionColumns) {
    String previous = spark.conf().get("spark.sql.sources.partitionOverwriteMode", "static");
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      data.write().mode(SaveMode.Overwrite).partitionBy(partitionColumns).parquet(path(table));
    } finally {
      spark.conf().set("spark.sql.sources.partitionOverwriteMode", previous);
    }
  }

  /** Appends rows (for logs such as llm_calls, whose rows are keyed and deduplicated on read). */
  public void append(String table, Dataset<Row> data, String... partitionColumns) {
    data.write().mode(SaveMode.Append).partitionBy(partitionColumns).parquet(path(table));
  }
}
