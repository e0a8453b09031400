package org.gliomabench.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The tables keep exactly the Parquet schemas (columns, order, types, nullability, partitioning) of table-schemas.txt. */
class DeclaredTableSchemasTest {

  /** table id -> its section of table-schemas.txt. */
  static Map<String, String> expected() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = DeclaredTableSchemasTest.class.getResourceAsStream("/table-schemas.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String section : text.split("(?m)^== ")) {
        if (section.startsWith("#") || section.isBlank()) {
          continue;
        }
        String id = section.substring(0, section.indexOf('\n'));
        out.put(id, "== " + section.strip() + "\n");
      }
    }
    return out;
  }

  static String section(String id, String[] partitionColumns, StructType schema) {
    return ("== " + id + "\npartitioned by: " + (partitionColumns.length == 0 ? "-" : String.join(",", partitionColumns))
        + "\n" + schema.treeString()).strip() + "\n";
  }

  private static StructType constant(String cls, String field) throws Exception {
    Field f = Class.forName(cls).getDeclaredField(field);
    f.setAccessible(true);
    return (StructType) f.get(null);
  }

  @Test
  void todaysHandWrittenSchemasMatchTheFrozenFile() throws Exception {
    String[][] all = {
        {"patients", "", "org.gliomabench.jobs.TableSchemas", "PATIENTS"},
        {"volumes", "", "org.gliomabench.jobs.TableSchemas", "VOLUMES"},
        {"slices", "", "org.gliomabench.jobs.TableSchemas", "SLICES"},
        {"ingest_errors", "", "org.gliomabench.jobs.TableSchemas", "INGEST_ERRORS"},
        {"runs", "", "org.gliomabench.jobs.RunRecorder", "SCHEMA"},
        {"cnn_history", "run_id,fold", "org.gliomabench.jobs.TableSchemas", "CNN_HISTORY"},
        {"cnn_models", "run_id,fold", "org.gliomabench.jobs.TableSchemas", "CNN_MODELS"},
        {"predictions", "run_id,model,fold", "org.gliomabench.jobs.TableSchemas", "PREDICTIONS"},
        {"predictions[cnn_test]", "run_id,model,fold", "org.gliomabench.jobs.results.ResultSchemas", "CNN_TEST_PREDICTIONS"},
        {"llm_calls", "run_id", "org.gliomabench.jobs.llm.LlmCallsTable", "SCHEMA"},
        {"llm_consistency", "run_id", "org.gliomabench.jobs.llm.LlmSlicesJob", "CONSISTENCY_SCHEMA"},
        {"seg_history", "run_id,fold", "org.gliomabench.jobs.seg.SegSchemas", "SEG_HISTORY"},
        {"seg_models", "run_id,fold", "org.gliomabench.jobs.seg.SegSchemas", "SEG_MODELS"},
        {"seg_masks", "run_id,fold", "org.gliomabench.jobs.seg.SegSchemas", "SEG_MASKS"},
        {"segmentation", "run_id,model", "org.gliomabench.jobs.results.ResultSchemas", "SEGMENTATION"},
        {"llm_localisation", "run_id", "org.gliomabench.jobs.results.ResultSchemas", "LLM_LOCALISATION"},
        {"llm_centre_bias", "run_id", "org.gliomabench.jobs.results.ResultSchemas", "CENTRE_BIAS"},
        {"metrics", "run_id", "org.gliomabench.jobs.results.ResultSchemas", "METRICS"},
        {"metrics_across_folds", "run_id", "org.gliomabench.jobs.results.ResultSchemas", "ACROSS_FOLDS"},
        {"comparisons", "run_id", "org.gliomabench.jobs.results.ResultSchemas", "COMPARISONS"},
        {"headline", "run_id", "org.gliomabench.jobs.results.HeadlineTable", "SCHEMA"},
    };
    Map<String, String> expected = expected();
    for (String[] t : all) {
      String[] partitions = t[1].isEmpty() ? new String[0] : t[1].split(",");
      assertEquals(expected.get(t[0]), section(t[0], partitions, constant(t[2], t[3])), t[0]);
    }
  }
}
