package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.SparkTables;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
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

  @Test
  void everyDeclaredTableDerivesTheFrozenParquetSchemaAndPartitioning() throws IOException {
    Map<String, String> expected = expected();
    List<String> declared = new ArrayList<>();
    for (TableSpec t : Tables.all()) {
      declared.add(t.id());
      assertEquals(expected.get(t.id()), section(t.id(), t.partitionColumns(), SparkTables.schema(t)), t.id());
    }
    assertEquals(List.copyOf(expected.keySet()), declared, "every table of table-schemas.txt is declared, in its order");
  }
}
