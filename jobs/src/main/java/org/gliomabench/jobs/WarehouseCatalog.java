package org.gliomabench.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers warehouse tables in a Spark SQL database ({@code warehouse.database}, default glioma_bench)
 * so that an analyst writes {@code SELECT ... FROM glioma_bench.metrics}. Tables are external (LOCATION
 * the Parquet folder): dropping a registration never deletes data. Any stage may call
 * {@link #register}; it re-registers, so the schema and partitions follow the files.
 */
public final class WarehouseCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseCatalog.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private WarehouseCatalog() {}

  /** Registers each named table that exists in the warehouse; returns the names registered. */
  public static List<String> register(Warehouse warehouse, String database, String... tables) {
    check(database, "database");
    SparkSession spark = warehouse.spark();
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    List<String> done = new ArrayList<>();
    for (String table : tables) {
      check(table, "table");
      if (!warehouse.exists(table)) {
        continue;
      }
      String qualified = database + "." + table;
      List<String> partitions = partitionColumns(warehouse, table);
      spark.sql("DROP TABLE IF EXISTS " + qualified);
      String schema = spark.read().option("mergeSchema", "true").parquet(warehouse.path(table)).schema().toDDL();
      spark.sql("CREATE TABLE " + qualified + " (" + schema + ") USING parquet"
          + (partitions.isEmpty() ? "" : " PARTITIONED BY (" + String.join(", ", partitions) + ")")
          + " OPTIONS (mergeSchema 'true') LOCATION '" + warehouse.path(table).replace("'", "\\'") + "'");
      if (!partitions.isEmpty()) {
        spark.sql("ALTER TABLE " + qualified + " RECOVER PARTITIONS");
      }
      done.add(table);
    }
    LOG.info("registered {} in database {}", done, database);
    return done;
  }

  /** The partition columns of a Parquet folder: the names of its nested col=value folders. */
  static List<String> partitionColumns(Warehouse warehouse, String table) {
    List<String> columns = new ArrayList<>();
    try {
      FileSystem fs = warehouse.fileSystem();
      Path dir = new Path(warehouse.path(table));
      while (true) {
        Path next = null;
        for (FileStatus s : fs.listStatus(dir)) {
          String name = s.getPath().getName();
          if (s.isDirectory() && name.contains("=") && !name.startsWith("_") && !name.startsWith(".")) {
            columns.add(name.substring(0, name.indexOf('=')));
            next = s.getPath();
            break;
          }
        }
        if (next == null) {
          return columns;
        }
        dir = next;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list table " + table + " at " + warehouse.path(table), e);
    }
  }

  private static void check(String name, String what) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a plain SQL identifier");
    }
  }
}
