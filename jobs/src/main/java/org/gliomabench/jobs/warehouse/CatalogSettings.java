package org.gliomabench.jobs.warehouse;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog settings of a new SparkSession ({@link ConfigKeys#CATALOG}). By default the catalog is an
 * embedded Hive metastore on Derby under {@code <warehouse>/_catalog/}: the Derby database, derby.log,
 * spark.sql.warehouse.dir and Hive's scratch folders all live there, so a later Spark session given the same
 * settings sees {@code glioma_bench.*} and nothing is written into the current directory. A catalog
 * implementation or metastore URI that Spark's own settings already name (a cluster's spark-defaults.conf
 * or hive-site.xml, --conf) wins. Derby is booted only when something touches the catalog
 * ({@link WarehouseCatalog#open}), so stages that never do can run side by side.
 */
public final class CatalogSettings {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogSettings.class);

  /** The catalog's folder under the warehouse. */
  public static final String DIR = "_catalog";
  /** A properties file for other Spark clients: {@code spark-sql --properties-file <warehouse>/_catalog/spark-catalog.conf}. */
  public static final String CLIENT_CONF = "spark-catalog.conf";
  static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";
  static final String WAREHOUSE_DIR = "spark.sql.warehouse.dir";
  static final String CONNECTION_URL = "spark.hadoop.javax.jdo.option.ConnectionURL";
  static final String DERBY_LOG = "derby.stream.error.file";
  private static final String[] METASTORE_URIS = {"spark.hadoop.hive.metastore.uris", "spark.hive.metastore.uris"};

  /** What a session's catalog is, for the log and for {@link WarehouseCatalog}. */
  public enum Kind { EMBEDDED_DERBY, SPARK_SETTINGS, SESSION }

  private CatalogSettings() {}

  /**
   * Adds the catalog keys to {@code conf} (which already holds Spark's own settings and the user's spark.*
   * keys) before the session is built; returns what was chosen. Sets the JVM-wide derby.stream.error.file
   * for the embedded metastore unless it is set already.
   */
  public static Kind configure(SparkConf conf, Settings settings) {
    String mode = settings.get(ConfigKeys.CATALOG).trim().toLowerCase(Locale.ROOT);
    String warehouse = settings.get(ConfigKeys.WAREHOUSE);
    Configuration hadoop = SparkHadoopUtil.get().newConfiguration(conf);
    Path local = localPath(warehouse, hadoop);
    String catalogDir = qualified(warehouse, hadoop) + "/" + DIR;
    // Managed tables and CREATE DATABASE folders go under the warehouse, not ./spark-warehouse.
    conf.setIfMissing(WAREHOUSE_DIR, catalogDir + "/spark-warehouse");
    switch (mode) {
      case "session":
        conf.set(CATALOG_IMPLEMENTATION, "in-memory");
        LOG.info("catalog: Spark's in-memory catalog (warehouse.catalog=session): registrations end with the process");
        return Kind.SESSION;
      case "spark":
        LOG.info("catalog: Spark's own settings (warehouse.catalog=spark): {}", conf.get(CATALOG_IMPLEMENTATION, "in-memory"));
        return Kind.SPARK_SETTINGS;
      case "warehouse":
        break;
      default:
        throw new ConfigException(ConfigKeys.CATALOG + " must be warehouse, spark or session, got '" + mode + "'");
    }
    String chosen = conf.contains(CATALOG_IMPLEMENTATION) ? conf.get(CATALOG_IMPLEMENTATION) : null;
    if ("in-memory".equals(chosen)) {
      LOG.info("catalog: in-memory, as spark.sql.catalogImplementation says");
      return Kind.SPARK_SETTINGS;
    }
    if (metastoreConfigured(conf)) {
      conf.set(CATALOG_IMPLEMENTATION, "hive");
      LOG.info("catalog: the Hive metastore named in Spark's settings (hive.metastore.uris, a metastore "
          + "database URL or hive-site.xml)");
      return Kind.SPARK_SETTINGS;
    }
    if (!hiveOnClasspath()) {
      LOG.warn("catalog: spark-hive is not on the classpath, so tables are registered for this process only "
          + "(add Spark's Hive jars for a catalog under the warehouse)");
      conf.set(CATALOG_IMPLEMENTATION, "in-memory");
      return Kind.SESSION;
    }
    if (local == null) {
      if ("hive".equals(chosen)) {
        LOG.warn("catalog: Hive as Spark's settings say, but no metastore is configured: Hive keeps its Derby "
            + "database in the driver's working directory");
        return Kind.SPARK_SETTINGS;
      }
      LOG.warn("catalog: the warehouse {} is not on a local disk and no metastore is configured, so tables are "
          + "registered for this process only; set hive.metastore.uris (a shared metastore) for a lasting catalog",
          warehouse);
      conf.set(CATALOG_IMPLEMENTATION, "in-memory");
      return Kind.SESSION;
    }
    conf.set(CATALOG_IMPLEMENTATION, "hive");
    embeddedKeys(local.resolve(DIR)).forEach(conf::setIfMissing);
    if (System.getProperty(DERBY_LOG) == null) {
      System.setProperty(DERBY_LOG, local.resolve(DIR).resolve("derby.log").toString());
    }
    LOG.info("catalog: embedded metastore under {}", local.resolve(DIR));
    return Kind.EMBEDDED_DERBY;
  }

  /** The Spark keys of the embedded metastore in {@code dir} (a local folder), also written for other clients. */
  static Map<String, String> embeddedKeys(Path dir) {
    Path tmp = dir.resolve("tmp");
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(CATALOG_IMPLEMENTATION, "hive");
    keys.put(WAREHOUSE_DIR, dir.resolve("spark-warehouse").toUri().toString());
    keys.put(CONNECTION_URL, "jdbc:derby:;databaseName=" + derbyDatabase(dir) + ";create=true");
    // Hive's session folders (created by the metastore client and the thrift server), default /tmp.
    keys.put("spark.hadoop.hive.exec.scratchdir", tmp.resolve("scratch").toUri().toString());
    keys.put("spark.hadoop.hive.exec.local.scratchdir", tmp.resolve("local").toString());
    keys.put("spark.hadoop.hive.downloaded.resources.dir", tmp.resolve("resources").toString() + "/${hive.session.id}");
    keys.put("spark.hadoop.hive.querylog.location", tmp.resolve("querylog").toString());
    keys.put("spark.hadoop.hive.server2.logging.operation.log.location", tmp.resolve("operation_logs").toString());
    return keys;
  }

  /** The Derby database folder of the embedded metastore in {@code dir}. */
  static Path derbyDatabase(Path dir) {
    return dir.resolve("metastore_db");
  }

  /**
   * The Derby database a session's metastore opens, when it is an embedded Derby on a local path (the
   * one under the warehouse, or Hive's default ./metastore_db); null otherwise.
   */
  static Path embeddedDerby(SparkConf conf) {
    if (!"hive".equals(conf.get(CATALOG_IMPLEMENTATION, "in-memory"))) {
      return null;
    }
    String url = conf.get(CONNECTION_URL, "jdbc:derby:;databaseName=metastore_db;create=true");
    if (!url.startsWith("jdbc:derby:") || url.startsWith("jdbc:derby:memory:") || url.startsWith("jdbc:derby://")) {
      return null;
    }
    for (String part : url.substring("jdbc:derby:".length()).split(";")) {
      if (part.startsWith("databaseName=")) {
        return Path.of(part.substring("databaseName=".length())).toAbsolutePath();
      } else if (!part.isEmpty() && !part.contains("=")) {
        return Path.of(part).toAbsolutePath();
      }
    }
    return null;
  }

  /** True when Spark's settings or a hive-site.xml on the classpath name a metastore (a service or a database). */
  private static boolean metastoreConfigured(SparkConf conf) {
    for (String key : METASTORE_URIS) {
      if (!conf.get(key, "").isBlank()) {
        return true;
      }
    }
    if (conf.contains(CONNECTION_URL)) {
      return true;
    }
    // A cluster's SPARK_HOME/conf/hive-site.xml.
    URL site = Thread.currentThread().getContextClassLoader().getResource("hive-site.xml");
    if (site == null) {
      return false;
    }
    Configuration c = new Configuration(false);
    c.addResource(site);
    return !c.get("hive.metastore.uris", "").isBlank() || !c.get("javax.jdo.option.ConnectionURL", "").isBlank();
  }

  private static boolean hiveOnClasspath() {
    try {
      Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder");
      Class.forName("org.apache.hadoop.hive.conf.HiveConf");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The warehouse as a local absolute path, or null when it lies on another file system (told by its scheme,
   * or the default file system's when it has none; no file system is contacted).
   */
  static Path localPath(String warehouse, Configuration hadoop) {
    URI uri = uri(warehouse);
    String scheme = uri.getScheme() != null ? uri.getScheme() : FileSystem.getDefaultUri(hadoop).getScheme();
    if (scheme != null && !"file".equals(scheme)) {
      return null;
    }
    return Path.of(uri.getPath()).toAbsolutePath().normalize();
  }

  /** The warehouse as an absolute URI string without a trailing slash. */
  static String qualified(String warehouse, Configuration hadoop) {
    Path local = localPath(warehouse, hadoop);
    String q;
    if (local != null) {
      q = local.toUri().toString();
    } else {
      URI uri = uri(warehouse);
      q = uri.getScheme() != null ? uri.toString() : FileSystem.getDefaultUri(hadoop).resolve(uri.getPath()).toString();
    }
    return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
  }

  private static URI uri(String warehouse) {
    try {
      return new org.apache.hadoop.fs.Path(warehouse).toUri();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("warehouse " + warehouse + " is not a usable path: " + e.getMessage(), e);
    }
  }
}
