package org.gliomabench.jobs.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which catalog a new session gets, decided from the settings alone (no session is started). */
class CatalogSettingsTest {
  @TempDir
  Path tmp;
  private String derbyLogBefore;

  @BeforeEach
  void rememberDerbyLog() {
    derbyLogBefore = System.getProperty(CatalogSettings.DERBY_LOG);
  }

  @AfterEach
  void restoreDerbyLog() {
    if (derbyLogBefore == null) {
      System.clearProperty(CatalogSettings.DERBY_LOG);
    } else {
      System.setProperty(CatalogSettings.DERBY_LOG, derbyLogBefore);
    }
  }

  private static Settings settings(String warehouse, String catalog) {
    return Settings.empty().with(Map.of(ConfigKeys.WAREHOUSE, warehouse, ConfigKeys.CATALOG, catalog));
  }

  @Test
  void aLocalWarehouseGetsAnEmbeddedMetastoreWithEverythingUnderTheWarehouse() {
    System.clearProperty(CatalogSettings.DERBY_LOG);
    SparkConf conf = new SparkConf(false);
    Path wh = tmp.resolve("wh");
    assertEquals(CatalogSettings.Kind.EMBEDDED_DERBY, CatalogSettings.configure(conf, settings(wh.toString(), "warehouse")));
    Path dir = wh.resolve(CatalogSettings.DIR);
    assertEquals("hive", conf.get("spark.sql.catalogImplementation"));
    assertEquals("jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true",
        conf.get("spark.hadoop.javax.jdo.option.ConnectionURL"));
    assertEquals(dir.resolve("metastore_db"), CatalogSettings.embeddedDerby(conf));
    assertTrue(conf.get("spark.sql.warehouse.dir").startsWith("file:") && conf.get("spark.sql.warehouse.dir")
        .endsWith(dir.resolve("spark-warehouse").toString()), conf.get("spark.sql.warehouse.dir"));
    assertEquals(dir.resolve("derby.log").toString(), System.getProperty(CatalogSettings.DERBY_LOG));
    for (String key : new String[] {"spark.hadoop.hive.exec.local.scratchdir", "spark.hadoop.hive.downloaded.resources.dir",
        "spark.hadoop.hive.querylog.location", "spark.hadoop.hive.server2.logging.operation.log.location",
        "spark.hadoop.hive.exec.scratchdir"}) {
      assertTrue(conf.get(key).contains(dir.toString()), key + " = " + conf.get(key) + " lies outside the warehouse");
    }
  }

  @Test
  void aRelativeWarehouseIsResolvedAgainstTheWorkingDirectory() {
    SparkConf conf = new SparkConf(false);
    CatalogSettings.configure(conf, settings("some-warehouse", "warehouse"));
    assertEquals(Path.of("some-warehouse").toAbsolutePath().resolve(CatalogSettings.DIR).resolve("metastore_db"),
        CatalogSettings.embeddedDerby(conf));
  }

  @Test
  void theClustersOwnCatalogSettingsWin() {
    SparkConf inMemory = new SparkConf(false).set("spark.sql.catalogImplementation", "in-memory");
    assertEquals(CatalogSettings.Kind.SPARK_SETTINGS, CatalogSettings.configure(inMemory, settings(tmp.toString(), "warehouse")));
    assertEquals("in-memory", inMemory.get("spark.sql.catalogImplementation"));
    assertFalse(inMemory.contains("spark.hadoop.javax.jdo.option.ConnectionURL"));

    SparkConf shared = new SparkConf(false).set("spark.hadoop.hive.metastore.uris", "thrift://metastore:9083");
    assertEquals(CatalogSettings.Kind.SPARK_SETTINGS, CatalogSettings.configure(shared, settings(tmp.toString(), "warehouse")));
    assertEquals("hive", shared.get("spark.sql.catalogImplementation"));
    assertFalse(shared.contains("spark.hadoop.javax.jdo.option.ConnectionURL"), "the shared metastore is used as it is");
    assertTrue(shared.get("spark.sql.warehouse.dir").endsWith(CatalogSettings.DIR + "/spark-warehouse"),
        "managed folders still go under the warehouse, never into the working directory");

    SparkConf ownDir = new SparkConf(false).set("spark.sql.warehouse.dir", "hdfs://nn/user/hive/warehouse");
    CatalogSettings.configure(ownDir, settings(tmp.toString(), "warehouse"));
    assertEquals("hdfs://nn/user/hive/warehouse", ownDir.get("spark.sql.warehouse.dir"));
  }

  @Test
  void aRemoteWarehouseWithoutAMetastoreGetsASessionCatalog() {
    SparkConf conf = new SparkConf(false);
    assertEquals(CatalogSettings.Kind.SESSION, CatalogSettings.configure(conf, settings("hdfs://namenode:8020/gb", "warehouse")));
    assertEquals("in-memory", conf.get("spark.sql.catalogImplementation"));
    assertEquals("hdfs://namenode:8020/gb/_catalog/spark-warehouse", conf.get("spark.sql.warehouse.dir"));
    assertNull(CatalogSettings.embeddedDerby(conf));
  }

  @Test
  void sessionAndSparkModesAndABadValue() {
    SparkConf session = new SparkConf(false);
    assertEquals(CatalogSettings.Kind.SESSION, CatalogSettings.configure(session, settings(tmp.toString(), "session")));
    assertEquals("in-memory", session.get("spark.sql.catalogImplementation"));
    SparkConf spark = new SparkConf(false);
    assertEquals(CatalogSettings.Kind.SPARK_SETTINGS, CatalogSettings.configure(spark, settings(tmp.toString(), "spark")));
    assertFalse(spark.contains("spark.sql.catalogImplementation"));
    assertThrows(ConfigException.class, () -> CatalogSettings.configure(new SparkConf(false), settings(tmp.toString(), "derby")));
  }
}
