package org.gliomabench.jobs.warehouse;

import org.gliomabench.jobs.SharedSpark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseCatalogTest {
  @TempDir
  Path tmp;

  @Test
  void registersPartitionedAndPlainTablesAndSeesNewPartitionsWithoutRegisteringAgain() {
    SparkSession spark = SharedSpark.session();
    Warehouse w = new Warehouse(spark, tmp.resolve("wh").toString());
    Dataset<Row> two = spark.sql("SELECT 'r1' AS run_id, 'cnn' AS model, 1 AS x UNION ALL SELECT 'r1', 'llm', 2");
    w.overwriteRunPartitions("scores", two, "run_id", "model");
    w.replace("plain", spark.sql("SELECT 'a' AS patient_id"));

    assertEquals(List.of("run_id", "model"), WarehouseCatalog.partitionColumns(w, "scores"));
    assertEquals(List.of("plain", "scores"), WarehouseCatalog.register(w, "catalog_test", "plain", "scores", "absent"));
    assertEquals(2, spark.sql("SELECT * FROM catalog_test.scores WHERE run_id = 'r1'").count());
    assertEquals(1, spark.sql("SELECT * FROM catalog_test.plain").count());

    // A later run adds partitions: readers list the folders, so they are visible without registering again.
    w.overwriteRunPartitions("scores", spark.sql("SELECT 'r2' AS run_id, 'cnn' AS model, 3 AS x"), "run_id", "model");
    spark.sql("REFRESH TABLE catalog_test.scores");
    assertEquals(3, spark.sql("SELECT * FROM catalog_test.scores").count());
    WarehouseCatalog.register(w, "catalog_test", "scores");
    assertEquals(3, spark.sql("SELECT * FROM catalog_test.scores").count());
    assertEquals(3, spark.sql("SELECT x FROM catalog_test.scores WHERE run_id = 'r2' AND model = 'cnn'").first().getInt(0));
  }

  @Test
  void rejectsNamesThatAreNotPlainIdentifiers() {
    Warehouse w = new Warehouse(SharedSpark.session(), tmp.resolve("wh").toString());
    assertThrows(IllegalArgumentException.class, () -> WarehouseCatalog.register(w, "db; DROP", "metrics"));
    assertThrows(IllegalArgumentException.class, () -> WarehouseCatalog.register(w, "db", "metrics`x"));
  }
}
