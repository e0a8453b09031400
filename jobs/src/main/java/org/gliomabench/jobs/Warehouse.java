package org.gliomabench.jobs;

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
  private static final String STAGING = "_staging";

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

  /** Replaces the whole table: written to a staging folder first, then swapped in. */
  public void replace(String table, Dataset<Row> data) {
    FileSystem fs = fileSystem();
    Path staging = new Path(root + "/" + STAGING + "/" + table + "-" + UUID.randomUUID());
    data.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
    Path target = new Path(path(table));
    try {
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot delete the old " + target);
      }
      fs.mkdirs(target.getParent());
      if (!fs.rename(staging, target)) {
        throw new IOException("cannot move " + staging + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("swapping in table " + table + " failed; the new data is kept at " + staging, e);
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
