package org.gliomabench.jobs.warehouse;

import org.gliomabench.jobs.SharedSpark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.SegMasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkTablesTest {
  @TempDir
  Path tmp;

  @Test
  void rowsBuiltByColumnNameRoundTripThroughTheWarehouseAndReadBackByName() {
    SparkSession spark = SharedSpark.session();
    Warehouse w = new Warehouse(spark, tmp.toString());
    // Set out of the declared order: the builder places each value by its column.
    Row row = SparkTables.row(SegMasks.TABLE).set(SegMasks.MASK, new byte[] {1, 3, 7}).set(Tables.COHORT, "test")
        .set(SegMasks.CROP_EXTENT, List.of(10, 20, 30)).set(Tables.PATIENT_ID, "P1").set(SegMasks.SHAPE, new int[] {1, 1, 3})
        .set(SegMasks.CROP_ORIGIN, new int[] {4, 5, 6}).set(Tables.FOLD, 2).set(Tables.RUN_ID, "r1").build();
    SparkTables.overwritePartitions(w, SegMasks.TABLE, SparkTables.frame(spark, SegMasks.TABLE, List.of(row)));

    List<Row> back = w.read(SegMasks.NAME).collectAsList();
    assertEquals(1, back.size());
    Row r = back.get(0);
    assertEquals("P1", SparkTables.string(r, Tables.PATIENT_ID));
    assertEquals("test", SparkTables.string(r, Tables.COHORT));
    assertEquals(2, SparkTables.intValue(r, Tables.FOLD)); // a partition column, its type inferred by Spark
    assertEquals("r1", SparkTables.string(r, Tables.RUN_ID));
    assertArrayEquals(new int[] {1, 1, 3}, SparkTables.ints(r, SegMasks.SHAPE));
    assertArrayEquals(new int[] {4, 5, 6}, SparkTables.ints(r, SegMasks.CROP_ORIGIN));
    assertArrayEquals(new int[] {10, 20, 30}, SparkTables.ints(r, SegMasks.CROP_EXTENT));
    assertArrayEquals(new byte[] {1, 3, 7}, SparkTables.bytes(r, SegMasks.MASK));
  }

  @Test
  void aWrongTypeAnUnknownColumnOrAnUnsetRequiredColumnIsRefusedNamingTableAndColumn() {
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> SparkTables.row(Predictions.TABLE).set(Tables.FOLD, "3"));
    assertTrue(wrongType.getMessage().contains("predictions") && wrongType.getMessage().contains("fold"),
        wrongType.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> SparkTables.row(Predictions.TABLE).set("fold_models", "0,1"));
    assertTrue(unknown.getMessage().contains("fold_models"), unknown.getMessage());
    // ... which the cnn_ensemble / cnn_selected rows do declare.
    SparkTables.row(Predictions.CNN_TEST_ROWS).set(Predictions.FOLD_MODELS, "0,1");
    IllegalStateException unset = assertThrows(IllegalStateException.class, () -> SparkTables.row(Predictions.TABLE)
        .set(Tables.RUN_ID, "r").set(Predictions.MODEL, "cnn").set(Tables.COHORT, "cv").set(Tables.PATIENT_ID, "P")
        .build());
    assertTrue(unset.getMessage().contains(Tables.LABEL), unset.getMessage());
    // A nullable column left unset is null; widening int to long is allowed.
    Row ok = SparkTables.row(Predictions.TABLE).set(Tables.RUN_ID, "r").set(Predictions.MODEL, "cnn")
        .set(Tables.COHORT, "cv").set(Tables.PATIENT_ID, "P").set(Tables.LABEL, 1).build();
    assertNull(SparkTables.doubleOrNull(ok, Predictions.SCORE));
    assertEquals(7L, SparkTables.row(Tables.Runs.TABLE).set(Tables.Runs.SEED, 7).set(Tables.RUN_ID, "r")
        .set(Tables.Runs.COMMAND, "c").set(Tables.Runs.STARTED_AT, java.time.Instant.EPOCH)
        .set(Tables.Runs.ENDED_AT, java.time.Instant.EPOCH).set(Tables.Runs.STATUS, "ok").set(Tables.Runs.EXIT_CODE, 0)
        .set(Tables.Runs.CONFIG, "").set(Tables.Runs.CONFIG_HASH, "").set(Tables.Runs.CODE_VERSION, "")
        .set(Tables.Runs.LIBRARY_VERSIONS, "").build().<Long>getAs(Tables.Runs.SEED));
  }

  @Test
  void conformOrdersAndCastsAQueryToTheDeclarationAndRefusesOneThatDrifted() {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> query = spark.sql("SELECT CAST(3 AS BIGINT) AS pred_voxels, 'r' AS run_id, 'box' AS region, 'P' AS patient_id,"
        + " 'a' AS model, 1 AS label, 'cv' AS cohort, CAST(0 AS BIGINT) AS fold, 'axial' AS plane, 0.5 AS dice,"
        + " CAST(NULL AS DOUBLE) AS hd95, 4 AS true_voxels, 2 AS slices, 0.5 AS hit_rate, 1.5 AS mean_distance_px,"
        + " 'brats_consensus' AS reference");
    Dataset<Row> conformed = SparkTables.conform(query, Tables.Segmentation.TABLE);
    assertEquals(Tables.Segmentation.TABLE.columnNames(), List.of(conformed.columns()));
    assertEquals(DataTypes.IntegerType, conformed.schema().apply(Tables.FOLD).dataType());
    assertEquals(DataTypes.LongType, conformed.schema().apply(Tables.Segmentation.TRUE_VOXELS).dataType());

    IllegalStateException drifted = assertThrows(IllegalStateException.class,
        () -> SparkTables.conform(query.drop(Tables.Segmentation.HD95).withColumnRenamed("dice", "dice_score"),
            Tables.Segmentation.TABLE));
    assertTrue(drifted.getMessage().contains("[dice, hd95]") && drifted.getMessage().contains("[dice_score]"),
        drifted.getMessage());
  }
}
