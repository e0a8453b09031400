package org.gliomabench.jobs.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.udf.client.LlmClients;
import org.gliomabench.udf.sim.SimulatedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL functions, registered from a properties file the way a notebook would, over the slices table. */
class LlmSqlFunctionsTest {
  @TempDir
  Path tmp;

  @Test
  void classifyOneRowAndAWholePatientFromSql() throws Exception {
    SparkSession spark = SharedSpark.session();
    String wh = tmp.resolve("wh").toString();
    SliceFixtures.writeSlices(spark, wh, 2, 3);
    Path conf = tmp.resolve("llm.properties");
    Files.writeString(conf, "llm.arm=adhoc\nllm.sim.latency.ms=5\nllm.sim.jitter.ms=0\nllm.sim.malformed=0\n");
    try (LlmArms arms = LlmSqlFunctions.register(spark, conf.toString())) {
      assertTrue(arms.simulated() != null && arms.arms().get(0).model().startsWith(SimulatedLlmServer.MODEL_PREFIX));
      spark.read().parquet(wh + "/slices").createOrReplaceTempView("slices_sql_test");
      List<Row> one = spark.sql("SELECT patient_id, llm_classify('adhoc', flair_png) AS r FROM slices_sql_test "
          + "WHERE in_tumour AND plane = 'axial'").collectAsList();
      assertEquals(6, one.size());
      for (Row r : one) {
        Row res = r.getStruct(1);
        assertEquals("ok", res.getString(0));
        assertTrue(res.getInt(1) >= 0 && res.getInt(1) <= 2);
      }
      List<Row> all = spark.sql("SELECT patient_id, llm_classify_all('adhoc', collect_list(flair_png)) AS rs "
          + "FROM slices_sql_test WHERE in_tumour GROUP BY patient_id ORDER BY patient_id").collectAsList();
      assertEquals(2, all.size());
      assertEquals(6, all.get(0).getList(1).size(), "one answer per image, in order");
      assertEquals("ok", ((Row) all.get(0).getList(1).get(5)).getString(0));
    } finally {
      LlmClients.closeAll();
    }
  }
}
