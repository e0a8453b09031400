package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers warehouse tables in a Spark SQL database ({@code warehouse.database}, default glioma_bench)
 * so that an analyst writes {@code SELECT ... FROM glioma_bench.metrics}. Tables are external (LOCATION
 * the Parquet folder): dropping a registration never deletes data. Partitions are not tracked in the
 * catalog: readers list the folders, so a later run's partitions are visible without registering again.
 * Where the catalog lives is {@link CatalogSettings}'s choice; with the embedded Derby metastore one
 * process at a time can open it, and a second opener gets a {@link CatalogBusyException} naming the holder.
 */
public final class WarehouseCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseCatalog.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Written when aggregate could not register (catalog busy): the next sql / sql-server re-registers all. */
  static final String REFRESH_MARKER = "refresh-needed";
  /** Who has the embedded metastore open (pid, command, since, JDBC URL of a sql-server). */
  static final String HOLDER = "holder.properties";

  /** Every table the catalog shows, when the warehouse has it (the contract is core's Tables). */
  public static final List<String> TABLES = Tables.all().stream().map(org.gliomabench.core.TableSpec::name).distinct().toList();

  /** This JVM has opened the catalog (Derby holds its lock for the JVM's lifetime). */
  private static volatile boolean opened;

  private WarehouseCatalog() {}

  /** The embedded metastore is open in another process; the message says which and what to do. */
  public static final class CatalogBusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CatalogBusyException(String message) {
      super(message);
    }
  }

  /**
   * Opens the session's catalog, failing fast with {@link CatalogBusyException} when another process holds
   * the embedded metastore (Derby would otherwise retry for half a minute and print pages of stack traces).
   * {@code command} and {@code jdbcUrl} (null unless a sql-server) are recorded for other openers' messages.
   */
  public static synchronized void open(SparkSession spark, String command, String jdbcUrl) {
    java.nio.file.Path derby = CatalogSettings.embeddedDerby(spark.sparkContext().getConf());
    if (!opened && derby != null) {
      checkNotHeld(derby);
    }
    try {
      spark.catalog().databaseExists("default"); // boots the metastore
    } catch (RuntimeException e) {
      if (derby != null && derbyBusy(e)) {
        throw busy(derby);
      }
      throw e;
    }
    if (!opened && derby != null) {
      writeHolder(derby.getParent(), command, jdbcUrl);
      writeClientConf(derby.getParent(), spark);
    }
    opened = true;
  }

  /** Registers each named table that exists in the warehouse; returns the names registered. */
  public static List<String> register(Warehouse warehouse, String database, String... tables) {
    return register(warehouse, database, Arrays.asList(tables));
  }

  public static List<String> register(Warehouse warehouse, String database, List<String> tables) {
    check(database, "database");
    SparkSession spark = warehouse.spark();
    open(spark, "register", null);
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    List<String> done = new ArrayList<>();
    // Partitions are read from the folders (tracksPartitionsInCatalog = false) rather than listed in the
    // metastore, where a new run's partition would stay invisible until someone recovers it.
    String previous = spark.conf().get("spark.sql.hive.manageFilesourcePartitions", "true");
    spark.conf().set("spark.sql.hive.manageFilesourcePartitions", "false");
    try {
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
        done.add(table);
      }
    } finally {
      spark.conf().set("spark.sql.hive.manageFilesourcePartitions", previous);
    }
    if (!done.isEmpty()) {
      LOG.info("registered {} in database {}", done, database);
    }
    return done;
  }

  /**
   * For stages: registers every table of {@link #TABLES}; when another process holds the catalog, says so,
   * leaves a marker so that the next {@code sql} or {@code sql-server} registers everything, and returns
   * an empty list. The tables themselves are written either way.
   */
  public static List<String> registerOrDefer(Warehouse warehouse, String database) {
    try {
      List<String> done = register(warehouse, database, TABLES);
      deleteMarker(warehouse);
      return done;
    } catch (CatalogBusyException e) {
      LOG.warn("tables written but not registered in {}: {} They are registered when the catalog is next opened "
          + "by sql or sql-server (or rerun this stage).", database, e.getMessage());
      mark(warehouse);
      return List.of();
    }
  }

  /**
   * For sql and sql-server: registers the warehouse's tables the catalog lacks, or all of them when
   * {@code all} is true or an earlier stage deferred its registration. Returns the names registered.
   */
  public static List<String> refresh(Warehouse warehouse, String database, boolean all) {
    check(database, "database");
    SparkSession spark = warehouse.spark();
    open(spark, "sql", null);
    boolean deferred = marked(warehouse);
    Set<String> missing = new LinkedHashSet<>(TABLES);
    if (!all && !deferred && spark.catalog().databaseExists(database)) {
      for (Row r : spark.sql("SHOW TABLES IN " + database).collectAsList()) {
        missing.remove(SparkTables.string(r, "tableName")); // SHOW TABLES: namespace, tableName, isTemporary
      }
    }
    List<String> done = register(warehouse, database, new ArrayList<>(missing));
    if (deferred) {
      deleteMarker(warehouse);
    }
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

  // ---- the embedded metastore's lock ------------------------------------------------------------------

  /** Derby holds an OS lock on dbex.lck while a JVM has the database booted: try it before Derby does. */
  private static void checkNotHeld(java.nio.file.Path derby) {
    java.nio.file.Path lockFile = derby.resolve("dbex.lck");
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw busy(derby);
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      // Booted by this JVM already: nothing to wait for.
    } catch (IOException e) {
      LOG.debug("cannot probe {}: {}", lockFile, e.toString());
    }
  }

  private static boolean derbyBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("XSDB6") || m.contains("Another instance of Derby may have already booted")) {
        return true;
      }
    }
    return false;
  }

  private static CatalogBusyException busy(java.nio.file.Path derby) {
    java.nio.file.Path dir = derby.getParent();
    Properties holder = readHolder(dir);
    String who = "another process (for example spark-sql or spark-shell started with this catalog's settings)";
    String through = "";
    if (holder != null) {
      long pid = Long.parseLong(holder.getProperty("pid", "-1"));
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        who = "process " + pid + " (glioma-bench " + holder.getProperty("command", "?") + ", since "
            + holder.getProperty("since", "?") + ")";
        String url = holder.getProperty("jdbc_url");
        if (url != null && !url.isBlank()) {
          through = ", query through its JDBC server (beeline -u " + url + ")";
        }
      }
    }
    return new CatalogBusyException("the catalog " + dir + " is open in " + who + ". Its embedded Derby metastore "
        + "admits one process at a time: stop that process (or wait for it)" + through
        + ", or use a catalog of this process only with --set warehouse.catalog=session.");
  }

  private static void writeHolder(java.nio.file.Path dir, String command, String jdbcUrl) {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    p.setProperty("command", command);
    p.setProperty("since", Instant.now().toString());
    if (jdbcUrl != null) {
      p.setProperty("jdbc_url", jdbcUrl);
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve(HOLDER), StandardCharsets.UTF_8)) {
      p.store(w, "the process that has this catalog's Derby metastore open (read only when it is busy)");
    } catch (IOException e) {
      LOG.debug("cannot write {}: {}", dir.resolve(HOLDER), e.toString());
    }
  }

  /** Updates the holder record once a sql-server knows its JDBC URL. */
  public static void recordServer(SparkSession spark, String jdbcUrl) {
    java.nio.file.Path derby = CatalogSettings.embeddedDerby(spark.sparkContext().getConf());
    if (derby != null) {
      writeHolder(derby.getParent(), "sql-server", jdbcUrl);
    }
  }

  private static Properties readHolder(java.nio.file.Path dir) {
    try (Reader r = Files.newBufferedReader(dir.resolve(HOLDER), StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(r);
      return p;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The catalog's settings as a properties file, for spark-sql / spark-shell / pyspark on this machine. */
  private static void writeClientConf(java.nio.file.Path dir, SparkSession spark) {
    StringBuilder sb = new StringBuilder("# The glioma-bench catalog of this warehouse, for other Spark clients on this machine:\n"
        + "#   spark-sql --properties-file " + dir.resolve(CatalogSettings.CLIENT_CONF) + "\n"
        + "# One process at a time can open it (embedded Derby).\n");
    for (Map.Entry<String, String> e : CatalogSettings.embeddedKeys(dir).entrySet()) {
      sb.append(e.getKey()).append('=').append(spark.sparkContext().getConf().get(e.getKey(), e.getValue())).append('\n');
    }
    sb.append("spark.driver.extraJavaOptions=-D").append(CatalogSettings.DERBY_LOG).append('=')
        .append(dir.resolve("derby.log")).append('\n');
    try {
      Files.writeString(dir.resolve(CatalogSettings.CLIENT_CONF), sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.debug("cannot write {}: {}", dir.resolve(CatalogSettings.CLIENT_CONF), e.toString());
    }
  }

  // ---- the deferred-registration marker ---------------------------------------------------------------

  private static Path marker(Warehouse warehouse) {
    return new Path(warehouse.root() + "/" + CatalogSettings.DIR + "/" + REFRESH_MARKER);
  }

  private static void mark(Warehouse warehouse) {
    try {
      warehouse.fileSystem().create(marker(warehouse), true).close();
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", marker(warehouse), e.toString());
    }
  }

  private static boolean marked(Warehouse warehouse) {
    try {
      return warehouse.fileSystem().exists(marker(warehouse));
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteMarker(Warehouse warehouse) {
    try {
      warehouse.fileSystem().delete(marker(warehouse), false);
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", marker(warehouse), e.toString());
    }
  }

  private static void check(String name, String what) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a plain SQL identifier");
    }
  }
}
