package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.RunRecorder;
import org.gliomabench.jobs.warehouse.WarehouseLock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.jobs.cli.CliParser;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one entry point: {@code glioma-bench <command> [options]}, locally and under spark-submit. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);


  private Main() {}

  /** Every command, in the order the help lists them. Each stage adds itself here. */
  public static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    for (Command c : List.<Command>of(
        new org.gliomabench.jobs.synth.SynthCommand(),
        new org.gliomabench.jobs.ingest.IngestCommand(),
        new org.gliomabench.jobs.cnn.TrainCnnCommand(),
        new org.gliomabench.jobs.seg.TrainSegCommand(),
        new org.gliomabench.jobs.multitask.TrainMultitaskCommand(),
        new org.gliomabench.jobs.llm.LlmSlicesCommand(),
        new org.gliomabench.jobs.finetune.ExportFinetuneCommand(),
        new org.gliomabench.jobs.finetune.FinetuneCommand(),
        new org.gliomabench.jobs.results.AggregateCommand(),
        new org.gliomabench.jobs.results.ReportCommand(),
        new org.gliomabench.jobs.sql.SqlCommand(),
        new org.gliomabench.jobs.sql.SqlServerCommand(),
        new org.gliomabench.jobs.study.StudyCommand(Main::commands),
        new org.gliomabench.jobs.bench.BenchCommand())) {
      m.put(c.name(), c);
    }
    return m;
  }

  public static void main(String[] args) {
    // Before anything can load ND4J: its CPU build is chosen per machine (NativeBackend says why).
    org.gliomabench.core.model.NativeBackend.configure();
    int status = run(args);
    System.exit(status);
  }

  /** Runs a command and returns its exit status instead of exiting (tests call this). */
  public static int run(String... args) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      System.out.print(usage(commands));
      return args.length == 0 ? ExitStatus.USAGE : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      System.err.println("glioma-bench: unknown command '" + args[0] + "'\n");
      System.err.print(usage(commands));
      return ExitStatus.USAGE;
    }
    try {
      CliParser.Parsed parsed = CliParser.parse(command, Arrays.asList(args).subList(1, args.length));
      if (parsed.help()) {
        System.out.print(CliParser.help(command));
        return 0;
      }
      Map<String, String> userLayer = SettingsLoader.userLayer(parsed.confFile(), parsed.overrides());
      JobContext context = new JobContext(SettingsLoader.defaults().with(userLayer), userLayer, parsed.positional());
      if (command.writesWarehouse()) {
        context.writing(command.name());
      }
      StopSignals.install();
      LOG.info("{} run_id={}", command.name(), context.runId());
      Instant start = Instant.now();
      int status = 1;
      Thread release = new Thread(context::releaseWarehouse, "glioma-bench-release-warehouse");
      Runtime.getRuntime().addShutdownHook(release); // a killed run (Ctrl-C, SIGTERM) lets its claims go
      try {
        status = command.run(context);
        if (status != 0 && ResourceWatchdog.reason() != null) {
          System.err.println("glioma-bench " + command.name() + ": " + ResourceWatchdog.reason());
        }
        return status;
      } finally {
        record(context, command, start, status);
        context.releaseWarehouse();
        try {
          Runtime.getRuntime().removeShutdownHook(release);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
    } catch (WarehouseLock.BusyException e) {
      System.err.println("glioma-bench " + command.name() + ": " + e.getMessage());
      return ExitStatus.BUSY;
    } catch (ConfigException e) {
      System.err.println("glioma-bench " + command.name() + ": " + e.getMessage());
      return ExitStatus.USAGE;
    } catch (Exception e) {
      if (ResourceWatchdog.reason() != null) {
        System.err.println("glioma-bench " + command.name() + " failed: " + ResourceWatchdog.reason());
        return 1;
      }
      LOG.error("{} failed: {}", command.name(), e.toString(), e);
      System.err.println("glioma-bench " + command.name() + " failed: " + e);
      return 1;
    }
  }

  private static void record(JobContext context, Command command, Instant start, int status) {
    if (!context.usedWarehouse()) {
      return;
    }
    try {
      RunRecorder.record(context.warehouse(), context.settings(), context.runId(), command.name(), start, Instant.now(), status,
          ExitStatus.word(status));
    } catch (RuntimeException e) {
      LOG.warn("could not append to the runs table: {}", e.toString());
    }
  }

  static String usage(Map<String, Command> commands) {
    StringBuilder sb = new StringBuilder("usage: glioma-bench <command> [options]\n\ncommands:\n");
    commands.values().forEach(c -> sb.append(String.format("  %-16s %s%n", c.name(), c.summary())));
    sb.append("\nEvery command takes --conf FILE, --set KEY=VALUE (repeatable), --warehouse DIR, --run-id ID, --help.\n")
        .append("Settings: conf/glioma-bench.properties < --conf FILE < --set < command options.\n");
    return sb.toString();
  }
}
