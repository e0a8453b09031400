package org.gliomabench.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sql in the test JVM's shared session (its catalog in memory): registration, statements, output formats. */
class SqlCommandTest {
  @TempDir
  static Path tmp;
  static String warehouse;

  @BeforeAll
  static void tables() {
    SparkSession spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    Warehouse w = new Warehouse(spark, warehouse);
    w.overwriteRunPartitions("metrics", spark.sql("SELECT 'r1' AS run_id, 'cnn_ensemble' AS model, 'test' AS cohort, "
        + "'auc' AS metric, 0.875D AS value UNION ALL SELECT 'r1', 'general', 'test', 'auc', 0.5D "
        + "UNION ALL SELECT 'r1', 'general', 'cv', 'auc', 0.25D"), "run_id");
  }

  record Printed(int status, String out, String err) {}

  static Printed sql(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 5];
      all[0] = "sql";
      System.arraycopy(args, 0, all, 1, args.length);
      System.arraycopy(new String[] {"--warehouse", warehouse, "--set", "warehouse.database=sql_test"}, 0, all, args.length + 1, 4);
      return new Printed(Main.run(all), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void registersTheWarehouseAndPrintsEachStatementsRowsAsATable() {
    Printed p = sql("-e", "SELECT model, metric, value FROM sql_test.metrics WHERE cohort = 'test' ORDER BY model; "
        + "SELECT count(*) AS n FROM metrics");
    assertEquals(0, p.status(), p.err());
    assertEquals("model         metric  value\n------------  ------  -----\ncnn_ensemble  auc     0.875\n"
        + "general       auc     0.5\n(2 rows)\nn\n-\n3\n(1 row)\n", p.out());
  }

  @Test
  void readsAFileAndWritesCsv() throws Exception {
    Path f = tmp.resolve("q.sql");
    Files.writeString(f, "-- the cv row\nSELECT model, value FROM metrics WHERE cohort = 'cv';\n");
    Printed p = sql("-f", f.toString(), "--output", "csv");
    assertEquals(0, p.status(), p.err());
    assertEquals("model,value\ngeneral,0.25\n", p.out());
  }

  @Test
  void aFailingStatementStopsWithItsReasonAndBadUsageIsAUsageError() {
    Printed p = sql("-e", "SELECT nothing FROM metrics; SELECT 1");
    assertEquals(1, p.status(), p.out() + p.err());
    assertTrue(p.err().contains("error: [UNRESOLVED_COLUMN"), p.err());
    assertEquals("", p.out(), "the statement after the failure does not run");
    assertEquals(ExitStatus.USAGE, sql("-x", "SELECT 1").status());
    assertEquals(ExitStatus.USAGE, sql("-f", tmp.resolve("absent.sql").toString()).status());
  }
}
