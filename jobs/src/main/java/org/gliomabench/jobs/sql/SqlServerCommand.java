package org.gliomabench.jobs.sql;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.warehouse.WarehouseCatalog;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sql-server}: Spark's Thrift JDBC/ODBC server (HiveThriftServer2, the HiveServer2 protocol) over the
 * warehouse's catalog, so that beeline, DBeaver, Tableau or any JDBC/ODBC client can query the study's
 * tables. Bound to loopback unless told otherwise (it has no authentication); runs until stopped.
 */
public final class SqlServerCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(SqlServerCommand.class);
  /** How long the server may take to accept connections after it was started. */
  private static final long START_TIMEOUT_MS = 60_000;

  /** Reads the tables (and registers them in the catalog); claims nothing, so stages can run meanwhile. */
  @Override
  public boolean writesWarehouse() {
    return false;
  }

  @Override
  public String name() {
    return "sql-server";
  }

  @Override
  public String summary() {
    return "the Spark Thrift JDBC server over the warehouse's catalog (beeline, DBeaver, BI tools); runs until stopped";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--port", ConfigKeys.SQL_SERVER_PORT, "N", "TCP port (default 10000)"),
        CliOption.value("--host", ConfigKeys.SQL_SERVER_HOST, "ADDRESS", "address to bind (default 127.0.0.1; the server has no authentication)"),
        CliOption.flag("--refresh", ConfigKeys.SQL_REFRESH, "re-register every warehouse table first"));
  }

  @Override
  public String details() {
    return "Prints the JDBC URL, e.g. jdbc:hive2://127.0.0.1:10000/glioma_bench; connect with\n"
        + "  beeline -u jdbc:hive2://127.0.0.1:10000/glioma_bench -e 'SELECT * FROM headline'\n"
        + "or any client with the Hive JDBC driver (org.apache.hive:hive-jdbc 2.3.x) or a Spark/Hive ODBC driver; no\n"
        + "user or password is checked. Stop it with Ctrl-C (or SIGTERM). While it runs it holds the warehouse's\n"
        + "embedded catalog: other sql commands and aggregate's registration wait for it (aggregate still writes\n"
        + "its tables; the server sees new runs' partitions and registers new tables at its next start).";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings settings = context.settings();
    String host = settings.get(ConfigKeys.SQL_SERVER_HOST);
    int port = settings.getInt(ConfigKeys.SQL_SERVER_PORT);
    if (port < 1 || port > 65535) {
      throw new ConfigException("--port must be 1-65535, got " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (IOException e) {
      throw new ConfigException("--host " + host + " is not an address of this machine: " + e.getMessage());
    }
    String problem = bindProblem(address, port);
    if (problem != null) {
      System.err.println("glioma-bench sql-server: cannot listen on " + host + ":" + port + ": " + problem
          + " (choose another with --port N)");
      return 1;
    }
    String database = settings.get(ConfigKeys.DATABASE);
    // The thrift server reads its address from the session's Hadoop settings as they were at start-up.
    JobContext serving = context.derive(Settings.empty().with(Map.of(
        "spark.hadoop.hive.server2.thrift.bind.host", host,
        "spark.hadoop.hive.server2.thrift.port", Integer.toString(port),
        "spark.hadoop.hive.server2.transport.mode", "binary")), List.of());
    Warehouse warehouse = new Warehouse(serving.spark(), settings.get(ConfigKeys.WAREHOUSE),
        Warehouse.Commits.from(settings, "sql-server"));
    if (!SqlCommand.open(warehouse, database, settings.getBoolean(ConfigKeys.SQL_REFRESH), name())) {
      return ExitStatus.BUSY;
    }
    SparkSession spark = warehouse.spark();
    HiveThriftServer2 server = HiveThriftServer2.startWithContext(spark.sqlContext());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("glioma-bench sql-server: stopping");
      server.stop();
      stopped.countDown();
    }, "sql-server-stop"));
    if (!listening(address, port)) {
      System.err.println("glioma-bench sql-server: the Thrift server did not accept connections on " + host + ":"
          + port + " within " + START_TIMEOUT_MS / 1000 + " s (see the log above)");
      return 1;
    }
    String url = "jdbc:hive2://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    WarehouseCatalog.recordServer(spark, url);
    if (!address.isLoopbackAddress()) {
      LOG.warn("sql-server listens on {}: anyone who can reach it can query the tables (no authentication)", host);
    }
    System.out.println("sql-server: the catalog of " + warehouse.root() + " over JDBC at");
    System.out.println("  " + url);
    System.out.println("  e.g. beeline -u " + url + " -e 'SELECT model, plane, accuracy, auc FROM headline'");
    System.out.println("  running until stopped (Ctrl-C)");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** Why the port cannot be bound, or null when it can. */
  private static String bindProblem(InetAddress address, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address, port));
      return null;
    } catch (BindException e) {
      return "the port is in use or the address is not this machine's (" + e.getMessage() + ")";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static boolean listening(InetAddress address, int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, port), 1000);
        return true;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    return false;
  }
}
