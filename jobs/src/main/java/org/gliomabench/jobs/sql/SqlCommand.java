package org.gliomabench.jobs.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.warehouse.WarehouseCatalog;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;

/**
 * {@code sql [-e QUERY | -f FILE]}: Spark SQL on the warehouse's catalog, from the shell. Registers the
 * warehouse tables the catalog lacks first, makes the study's database current, then runs the statements
 * (an interactive shell without -e and -f). A read-only tool: it adds no row to the runs table.
 */
public final class SqlCommand implements Command {
  /** Exit status when another process holds the embedded catalog. */

  /** Reads the tables (and registers them in the catalog); claims nothing, so stages can run meanwhile. */
  @Override
  public boolean writesWarehouse() {
    return false;
  }

  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String summary() {
    return "Spark SQL on the warehouse's catalog (glioma_bench.*): -e QUERY, -f FILE, or an interactive shell";
  }

  @Override
  public String positionalUsage() {
    return "[-e QUERY | -f FILE]";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--output", ConfigKeys.SQL_OUTPUT, "FORMAT", "table (default), tsv or csv"),
        CliOption.value("--max-rows", ConfigKeys.SQL_MAX_ROWS, "N", "rows printed per statement at most"),
        CliOption.flag("--refresh", ConfigKeys.SQL_REFRESH, "re-register every warehouse table first"));
  }

  @Override
  public String details() {
    return "Examples:\n"
        + "  submit/glioma-bench sql --warehouse W -e \"SELECT model, plane, label, accuracy, auc, mcnemar_p FROM headline\"\n"
        + "  submit/glioma-bench sql --warehouse W -e \"SELECT model, metric, value FROM glioma_bench.metrics WHERE cohort = 'test'\"\n"
        + "  submit/glioma-bench sql --warehouse W -f queries.sql --output csv > result.csv\n"
        + "Statements end with ';' (-e and -f may hold several). The shell reads statements until 'quit;' or end\n"
        + "of input. The catalog is the warehouse's (warehouse.catalog): with the embedded metastore one process at\n"
        + "a time can open it; while a sql-server runs, connect to it over JDBC instead.\n"
        + "Exit status: 0 ok, 1 a statement failed, 2 usage, " + ExitStatus.BUSY + " catalog open in another process.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    List<String> args = context.positional();
    String script = null;
    boolean fromFile = false;
    if (!args.isEmpty()) {
      if (args.size() != 2 || !(args.get(0).equals("-e") || args.get(0).equals("-f"))) {
        throw new ConfigException("sql takes -e QUERY or -f FILE (or nothing, for the shell), got " + args);
      }
      fromFile = args.get(0).equals("-f");
      try {
        script = fromFile ? Files.readString(Path.of(args.get(1)), StandardCharsets.UTF_8) : args.get(1);
      } catch (NoSuchFileException e) {
        throw new ConfigException("sql -f: no file " + args.get(1));
      }
    }
    Settings settings = context.settings();
    ResultPrinter printer = new ResultPrinter(settings.get(ConfigKeys.SQL_OUTPUT), System.out);
    int maxRows = settings.getInt(ConfigKeys.SQL_MAX_ROWS);
    // Not context.warehouse(): a query is not a run and leaves no row in the runs table.
    Warehouse warehouse = new Warehouse(context.spark(), settings.get(ConfigKeys.WAREHOUSE),
        Warehouse.Commits.from(settings, "sql"));
    String database = settings.get(ConfigKeys.DATABASE);
    if (!open(warehouse, database, settings.getBoolean(ConfigKeys.SQL_REFRESH), "sql")) {
      return ExitStatus.BUSY;
    }
    SparkSession spark = warehouse.spark();
    if (script != null) {
      for (String statement : SqlScript.statements(script)) {
        if (!execute(spark, statement, printer, maxRows)) {
          return 1;
        }
      }
      return 0;
    }
    return shell(spark, database, printer, maxRows);
  }

  /**
   * Opens the catalog and registers what it lacks; false (with the reason on stderr) when another process
   * holds it. Shared with sql-server.
   */
  static boolean open(Warehouse warehouse, String database, boolean refreshAll, String command) {
    try {
      List<String> registered = WarehouseCatalog.refresh(warehouse, database, refreshAll);
      if (!registered.isEmpty()) {
        System.err.println("registered in " + database + ": " + String.join(", ", registered));
      }
      if (warehouse.spark().catalog().databaseExists(database)) {
        warehouse.spark().sql("USE " + database);
      } else {
        System.err.println("the warehouse " + warehouse.root() + " has no tables yet: database " + database
            + " is empty (run a stage first)");
      }
      return true;
    } catch (WarehouseCatalog.CatalogBusyException e) {
      System.err.println("glioma-bench " + command + ": " + e.getMessage());
      return false;
    }
  }

  /** Runs one statement and prints its rows; false (with the reason) when it fails. */
  static boolean execute(SparkSession spark, String statement, ResultPrinter printer, int maxRows) {
    try {
      Dataset<Row> result = spark.sql(statement);
      if (result.schema().isEmpty()) {
        return true; // DDL and the like: nothing to print
      }
      List<Row> rows = result.takeAsList(maxRows + 1);
      long total = rows.size() > maxRows ? result.count() : rows.size();
      printer.print(result.schema(), rows.subList(0, Math.min(rows.size(), maxRows)), total);
      return true;
    } catch (Exception e) { // AnalysisException and ParseException are checked from Java's view
      String message = String.valueOf(e.getMessage());
      System.err.println("error: " + message.strip().lines().findFirst().orElse(e.toString()));
      return false;
    }
  }

  private static int shell(SparkSession spark, String database, ResultPrinter printer, int maxRows) throws IOException {
    boolean console = System.console() != null;
    if (console) {
      System.out.println("Spark SQL on database " + database + "; statements end with ';', quit; to leave.");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder typed = new StringBuilder();
    int failures = 0;
    while (true) {
      if (console) {
        System.out.print(typed.length() == 0 ? database + "> " : "   ...> ");
        System.out.flush();
      }
      String line = in.readLine();
      if (line == null) {
        break;
      }
      typed.append(line).append('\n');
      SqlScript s = SqlScript.typed(typed.toString());
      for (String statement : s.complete()) {
        String word = statement.toLowerCase(Locale.ROOT);
        if (word.equals("quit") || word.equals("exit")) {
          return failures == 0 ? 0 : 1;
        }
        if (!execute(spark, statement, printer, maxRows)) {
          failures++;
        }
      }
      typed.setLength(0);
      typed.append(s.remainder());
    }
    if (!typed.toString().isBlank()) {
      if (!execute(spark, typed.toString().trim(), printer, maxRows)) {
        failures++;
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
