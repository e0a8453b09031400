package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;

/**
 * The Parquet warehouse: table {@code T} at {@code <root>/T/}, plain Parquet that Spark, DuckDB, pyarrow and pandas
 * read as it is. Writers of different folds, arms or runs write it at the same time:
 * <ul>
 *   <li>Spark writes every table, partition or appended file to a staging folder of its own
 *       ({@code _staging/}), holding nothing;</li>
 *   <li>the commit then moves the finished files into place under the warehouse's commit lock
 *       ({@link WarehouseLock}), journalled ({@link Commit}), so the lock is held for seconds, a reader never
 *       meets a half-written file, and a process that dies half way leaves nothing missing: the next commit
 *       finishes it;</li>
 *   <li>a writer claims what it replaces ({@link Claims}: the partitions it commits, the folds it trains), so a
 *       second live writer of the same partition or run and fold is refused, naming the first, instead of one
 *       overwriting the other. Appends (logs keyed per row) need no claim.</li>
 * </ul>
 * Readers of this class list a table's files under the commit lock, so they see each commit whole or not at all.
 */
public final class Warehouse {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Warehouse.class);
  private static final String STAGING = "_staging";
  /** Staging folders older than this were left by killed writes and are removed by a later commit. */
  private static final long STAGING_ABANDONED_MILLIS = TimeUnit.DAYS.toMillis(1);

  /**
   * How this process commits: how long it waits for another's commit ({@code warehouse.lock.wait.seconds}), after
   * how long without a heartbeat a lock or claim from another host counts as dead ({@code
   * warehouse.lock.stale.seconds}), what it is (named to writers it refuses or keeps waiting), and whether it holds
   * its claims until {@link #releaseClaims} (a command) or only checks that no live writer holds what it commits.
   */
  public record Commits(long lockWaitSeconds, long staleSeconds, String holder, boolean holdsClaims) {
    /** A command's: it holds what it claims until it ends. */
    public static Commits from(Settings settings, String holder) {
      return new Commits(settings.getLong(ConfigKeys.WAREHOUSE_LOCK_WAIT), settings.getLong(ConfigKeys.WAREHOUSE_LOCK_STALE),
          holder, true);
    }
  }

  private final SparkSession spark;
  private final String root;
  private final Commits commits;
  private final Claims claims;

  /**
   * A warehouse opened outside a command (tools, tests), with the packed defaults' lock settings: its commits respect
   * the claims of live writers but hold none.
   */
  public Warehouse(SparkSession spark, String root) {
    this(spark, root, new Commits(Settings.defaults().getLong(ConfigKeys.WAREHOUSE_LOCK_WAIT),
        Settings.defaults().getLong(ConfigKeys.WAREHOUSE_LOCK_STALE), "glioma-bench (no command)", false));
  }

  public Warehouse(SparkSession spark, String root, Commits commits) {
    this.spark = spark;
    this.root = qualify(spark, root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
    this.commits = commits;
    this.claims = new Claims(fileSystem(), this.root, Holder.self(commits.holder()), commits.staleSeconds(),
        commits.holdsClaims());
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

  /** The table; its files are listed under the commit lock (Spark lists them here, once), so no commit is half seen. */
  public Dataset<Row> read(String table) {
    if (!exists(table)) {
      throw new IllegalStateException("table '" + table + "' does not exist at " + path(table)
          + " (run the stage that writes it first)");
    }
    try (WarehouseLock ignored = lock()) {
      return spark.read().parquet(path(table));
    }
  }

  /** The warehouse's commit lock (seconds at a time; see {@link WarehouseLock}). */
  WarehouseLock lock() {
    return WarehouseLock.acquire(fileSystem(), root, claims.holder(), commits.lockWaitSeconds(), commits.staleSeconds());
  }

  /**
   * Claims {@code keys} for this writer until {@link #releaseClaims}: a writer's scope, such as
   * {@code train-cnn/run_id=R/fold=2}, before it starts work that another live writer must not do at the same time.
   *
   * @throws WarehouseLock.BusyException naming the live writer that holds a conflicting claim
   */
  public void claim(String... keys) {
    try (WarehouseLock ignored = lock()) {
      claims.claim(List.of(keys));
    }
  }

  /** Lets go of every claim of this writer (at the end of its command). */
  public void releaseClaims() {
    claims.release();
  }

  /**
   * Replaces the whole table: written to a staging folder first, then swapped in under the commit lock (claiming
   * the table). A process that dies between moving the old table aside and moving the new one in leaves nothing
   * missing: the next commit finishes the swap.
   */
  public void replace(String table, Dataset<Row> data) {
    Path staging = staging(table);
    data.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
    commit(new Commit("table " + table).swap(staging, new Path(path(table)), aside()), List.of(table), staging);
  }

  /**
   * Finishes the commits that dead processes left half done (see {@link Commit}). Every commit does this first;
   * returns what it repaired.
   */
  public List<String> recoverInterruptedSwaps() {
    try (WarehouseLock ignored = lock()) {
      return Commit.recover(fileSystem(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish the interrupted commits under " + root + "/" + Commit.DIR, e);
    }
  }

  /**
   * Writes rows partitioned by {@code partitionColumns}, replacing exactly the partitions present in {@code data}
   * (each swapped in whole, claimed for this writer): other runs, folds and models are untouched.
   */
  public void overwriteRunPartitions(String table, Dataset<Row> data, String... partitionColumns) {
    if (partitionColumns.length == 0) {
      replace(table, data);
      return;
    }
    Path staging = staging(table);
    data.write().mode(SaveMode.ErrorIfExists).partitionBy(partitionColumns).parquet(staging.toString());
    Commit commit = new Commit("partitions of " + table);
    List<String> keys = new ArrayList<>();
    for (String part : partitions(staging, partitionColumns.length)) {
      commit.swap(new Path(staging + "/" + part), new Path(path(table) + "/" + part), aside());
      keys.add(table + "/" + part);
    }
    commit(commit, keys, staging);
  }

  /**
   * Replaces part of partitions that several writers share (each fold's rows of a run's {@code segmentation}
   * partition): under the commit lock, the rows {@code kept} selects from the table (in {@code data}'s columns) are
   * read, written back with {@code data} into the partitions {@code data} covers, and swapped in; so writers of other
   * rows of the same partitions, in this process or another, never lose each other's rows. The partitions are not
   * claimed: the rows each writer replaces are its own scope's, which it claims.
   */
  public void mergePartitions(String table, Dataset<Row> data, java.util.function.UnaryOperator<Dataset<Row>> kept,
      String... partitionColumns) {
    try (WarehouseLock ignored = lock()) {
      Dataset<Row> merged = data;
      if (exists(table)) {
        List<Row> keep = kept.apply(spark.read().parquet(path(table))).collectAsList();
        merged = data.union(spark.createDataFrame(keep, data.schema()));
      }
      Path staging = staging(table);
      merged.write().mode(SaveMode.ErrorIfExists).partitionBy(partitionColumns).parquet(staging.toString());
      Commit commit = new Commit("partitions of " + table);
      for (String part : partitions(staging, partitionColumns.length)) {
        commit.swap(new Path(staging + "/" + part), new Path(path(table) + "/" + part), aside());
      }
      commit(commit, List.of(), staging);
    }
  }

  /** Appends rows (for logs such as llm_calls and runs, whose rows are keyed): new files moved in, none replaced. */
  public void append(String table, Dataset<Row> data, String... partitionColumns) {
    append(table, data, List.of(), partitionColumns);
  }

  /**
   * Appends rows and, in the same commit, deletes {@code consumed} (files whose content the rows are, such as the
   * call journal's): whatever point a killed process reached, the rows end up in the table exactly once.
   */
  public void append(String table, Dataset<Row> data, List<String> consumed, String... partitionColumns) {
    Path staging = staging(table);
    data.write().mode(SaveMode.ErrorIfExists).partitionBy(partitionColumns).parquet(staging.toString());
    Commit commit = new Commit("rows appended to " + table);
    try {
      for (org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
          fileSystem().listFiles(staging, true); files.hasNext(); ) {
        Path f = files.next().getPath();
        if (!f.getName().startsWith("_") && !f.getName().startsWith(".")) {
          commit.move(f, new Path(path(table) + f.toString().substring(staging.toString().length())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the rows written for " + table + " under " + staging, e);
    }
    consumed.forEach(c -> commit.delete(new Path(c)));
    commit(commit, List.of(), staging);
  }

  private Path staging(String table) {
    return new Path(root + "/" + STAGING + "/" + table + "-" + UUID.randomUUID());
  }

  private Path aside() {
    return new Path(root + "/" + Commit.DIR + "/old-" + UUID.randomUUID());
  }

  /** The partition folders ("run_id=R/fold=2") Spark wrote under {@code staging}, {@code depth} levels down. */
  private List<String> partitions(Path staging, int depth) {
    List<String> out = new ArrayList<>();
    try {
      collect(fileSystem(), staging, "", depth, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the partitions written under " + staging, e);
    }
    return out;
  }

  private static void collect(FileSystem fs, Path dir, String prefix, int depth, List<String> out) throws IOException {
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (!s.isDirectory() || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (depth == 1) {
        out.add(prefix + name);
      } else {
        collect(fs, s.getPath(), prefix + name + "/", depth - 1, out);
      }
    }
  }

  /** Under the commit lock: finish dead processes' commits, claim {@code keys}, then run {@code commit}. */
  private void commit(Commit commit, List<String> keys, Path staging) {
    FileSystem fs = fileSystem();
    try {
      if (commit.isEmpty()) {
        fs.delete(staging, true);
        return;
      }
      try (WarehouseLock ignored = lock()) {
        Commit.recover(fs, root);
        try {
          claims.claim(keys);
        } catch (WarehouseLock.BusyException e) {
          fs.delete(staging, true);
          throw e;
        }
        commit.staging(staging).run(fs, root);
        sweepAbandonedStaging(fs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("committing to " + root + " failed; what was written is kept under " + staging
          + " and an interrupted commit is finished by the next one", e);
    }
  }

  private void sweepAbandonedStaging(FileSystem fs) throws IOException {
    Path dir = new Path(root + "/" + STAGING);
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (System.currentTimeMillis() - s.getModificationTime() > STAGING_ABANDONED_MILLIS) {
        fs.delete(s.getPath(), true);
        LOG.info("removed {}, a staging folder a killed write left more than a day ago", s.getPath());
      }
    }
  }
}
