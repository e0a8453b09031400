package org.gliomabench.jobs.results;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.MaskCodec;
import org.gliomabench.core.seg.ReferenceMask;
import org.gliomabench.core.synth.SyntheticCohort;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the LLM's segmentation rows are compared against comes from ingest's reference_masks row (the data
 * folder need not be there any more); patients of a warehouse ingested before that table fall back to
 * looking for synth's marker beside their folder, and synth's patient ids are phantoms in any case.
 */
class LocalisationReferencesTest {
  @TempDir
  static Path tmp;

  @Test
  void theIngestedReferenceWinsAndOlderWarehousesFallBackToTheFolder() throws IOException {
    SparkSession spark = SharedSpark.session();
    Warehouse wh = new Warehouse(spark, tmp.resolve("wh").toString());
    Path marked = tmp.resolve("marked");
    Files.createDirectories(marked.resolve("Case_B"));
    Files.createDirectories(marked.resolve("Case_C"));
    Files.writeString(marked.resolve(SyntheticCohort.MARKER_FILE), "status=complete\n");
    Path gone = tmp.resolve("deleted-after-ingest");

    wh.replace(ReferenceMasks.NAME, SparkTables.frame(spark, ReferenceMasks.TABLE, List.of(
        ReferenceMaskRows.toRow("r", mask("Case_A", Segmentation.REFERENCE_PHANTOM)),
        ReferenceMaskRows.toRow("r", mask("Case_B", Segmentation.REFERENCE_CONSENSUS)))));
    StructType patients = new StructType().add(Tables.PATIENT_ID, StringType).add(Patients.SOURCE, StringType);
    wh.replace(Patients.NAME, spark.createDataFrame(List.of(
        RowFactory.create("Case_A", gone.resolve("Case_A").toString()),
        RowFactory.create("Case_B", marked.resolve("Case_B").toString()),
        RowFactory.create("Case_C", marked.resolve("Case_C").toString()),
        RowFactory.create("Case_D", gone.resolve("Case_D").toString())), patients));

    Map<String, String> got = new TreeMap<>();
    for (Row r : new LocalisationJob(wh, "r").references(List.of("Case_A", "Case_B", "Case_C", "Case_D", "Synth_007"))) {
      got.put(r.getString(0), r.getString(1));
    }
    assertEquals(Segmentation.REFERENCE_PHANTOM, got.get("Case_A"), "from the table, with the data folder gone");
    assertEquals(Segmentation.REFERENCE_CONSENSUS, got.get("Case_B"), "what ingest recorded, not the folder today");
    assertEquals(Segmentation.REFERENCE_PHANTOM, got.get("Case_C"), "no row: synth's marker beside the folder");
    assertEquals(Segmentation.REFERENCE_CONSENSUS, got.get("Case_D"), "no row, no folder");
    assertEquals(Segmentation.REFERENCE_PHANTOM, got.get("Synth_007"), "synth's ids are phantoms");
  }

  private static ReferenceMask mask(String id, String reference) {
    return new ReferenceMask(id, new int[] {2, 2, 2}, new double[] {1, 1, 1}, "LPS", reference,
        MaskCodec.encode(new byte[8]));
  }
}
