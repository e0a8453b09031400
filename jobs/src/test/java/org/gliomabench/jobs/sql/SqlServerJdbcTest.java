package org.gliomabench.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.jobs.warehouse.CatalogSettings;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog across processes, as an analyst meets it: {@code sql-server} in a fresh JVM registers the
 * warehouse's tables in the embedded metastore under the warehouse (writing nothing into its working
 * directory) and serves them over the HiveServer2 protocol to the Hive JDBC driver; a second process that
 * opens the catalog meanwhile ({@code sql -e}) is told who holds it, fast; after the server stops, a plain
 * Spark session given only the catalog's properties file sees the same tables. Each runs in its own JVM (the
 * embedded Derby metastore admits one process at a time); scripts/check-demo.sh runs {@code sql -e} in a
 * fresh process after the demo study.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlServerJdbcTest {
  @TempDir
  static Path tmp;
  static Path warehouse;
  static Path workDir;
  static Process server;

  @BeforeAll
  static void writeTables() throws IOException {
    SparkSession spark = SharedSpark.session();
    warehouse = tmp.resolve("wh");
    workDir = Files.createDirectories(tmp.resolve("cwd"));
    Warehouse w = new Warehouse(spark, warehouse.toString());
    w.overwriteRunPartitions("metrics", spark.sql("SELECT 'r1' AS run_id, 'cnn_ensemble' AS model, CAST(NULL AS STRING) AS plane, "
        + "'test' AS cohort, CAST(NULL AS INT) AS fold, 'auc' AS metric, 0.875D AS value, 0.6D AS ci_low, 1.0D AS ci_high, 8 AS n "
        + "UNION ALL SELECT 'r1', 'general', 'axial', 'test', NULL, 'auc', 0.5D, 0.3D, 0.7D, 8"), "run_id");
    w.replace("patients", spark.sql("SELECT 'P1' AS patient_id, 'HGG' AS grade, 1 AS label, 'test' AS cohort"));
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  /** A glioma-bench JVM (or another main class) in the empty working directory, as the launcher starts it. */
  static ProcessBuilder jvm(String mainClass, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens"))
        .forEach(cmd::add);
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(workDir.toFile());
  }

  record Result(int status, String out, String err, double seconds) {}

  static Result run(ProcessBuilder pb, long timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    long t0 = System.nanoTime();
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(pb.command() + " ran past " + timeoutSeconds + " s: " + Files.readString(err));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - t0) / 1e9);
  }

  static Result glioma(long timeoutSeconds, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--warehouse", warehouse.toString()));
    return run(jvm("org.gliomabench.jobs.Main", List.of(), all.toArray(new String[0])), timeoutSeconds);
  }

  @Test
  @Order(2)
  void theJdbcServerServesTheCatalogAndASecondOpenerIsToldWhoHoldsIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path out = tmp.resolve("server.out");
    server = jvm("org.gliomabench.jobs.Main", List.of(), "sql-server", "--port", Integer.toString(port),
        "--warehouse", warehouse.toString())
        .redirectOutput(out.toFile()).redirectError(tmp.resolve("server.err").toFile()).start();
    String url = "jdbc:hive2://127.0.0.1:" + port + "/glioma_bench";
    long deadline = System.currentTimeMillis() + 240_000;
    while (!Files.readString(out).contains(url) && server.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
    }
    assertTrue(Files.readString(out).contains(url), "no JDBC URL printed: " + Files.readString(out)
        + Files.readString(tmp.resolve("server.err")));
    assertTrue(Files.readString(tmp.resolve("server.err")).contains("registered in glioma_bench: patients, metrics"),
        "the server registers the warehouse's tables at start");
    Path catalog = warehouse.resolve(CatalogSettings.DIR);
    for (String f : List.of("metastore_db", "derby.log", "spark-warehouse", CatalogSettings.CLIENT_CONF)) {
      assertTrue(Files.exists(catalog.resolve(f)), f + " missing under " + catalog);
    }

    Class.forName("org.apache.hive.jdbc.HiveDriver");
    try (Connection c = DriverManager.getConnection(url, "analyst", "")) {
      DatabaseMetaData md = c.getMetaData();
      Set<String> tables = new TreeSet<>();
      try (ResultSet rs = md.getTables(null, "glioma_bench", "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertEquals(Set.of("metrics", "patients"), tables);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT value, ci_low, n FROM metrics WHERE model = 'cnn_ensemble' AND metric = 'auc'")) {
        assertTrue(rs.next());
        assertEquals(0.875, rs.getDouble(1), 0);
        assertEquals(0.6, rs.getDouble(2), 0);
        assertEquals(8, rs.getInt(3));
        assertTrue(!rs.next());
      }
    }

    Result busy = glioma(120, "sql", "-e", "SELECT 1");
    assertEquals(ExitStatus.BUSY, busy.status(), busy.err());
    assertTrue(busy.err().contains("is open in process " + server.pid() + " (glioma-bench sql-server"), busy.err());
    assertTrue(busy.err().contains("beeline -u " + url), busy.err());
    assertTrue(!busy.err().contains("\tat "), "no stack trace: " + busy.err());
    assertTrue(busy.seconds() < 90, "a busy catalog is reported without Derby's retries: " + busy.seconds() + " s");

    server.destroy();
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
    try (Stream<Path> s = Files.list(workDir)) {
      assertEquals(List.of(), s.toList(), "nothing is written into the working directory");
    }
  }

  @Test
  @Order(3)
  void aPlainSparkSessionGivenTheCatalogsPropertiesSeesTheTables() throws Exception {
    Path conf = warehouse.resolve(CatalogSettings.DIR).resolve(CatalogSettings.CLIENT_CONF);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    // What spark-submit does with spark.driver.extraJavaOptions for a client-mode driver.
    List<String> driverOptions = List.of(p.getProperty("spark.driver.extraJavaOptions").split(" "));
    Result r = run(jvm(PlainSparkClient.class.getName(), driverOptions, conf.toString(),
        "SELECT model, value FROM glioma_bench.metrics WHERE metric = 'auc' ORDER BY model"), 240);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("row: cnn_ensemble|0.875\nrow: general|0.5\n"), r.out() + r.err());
    try (Stream<Path> s = Files.list(workDir)) {
      assertEquals(List.of(), s.toList(), "nothing is written into the working directory");
    }
    assertTrue(new File(warehouse.resolve(CatalogSettings.DIR).toFile(), "derby.log").length() > 0);
  }
}
