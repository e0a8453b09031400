package org.gliomabench.jobs.cli;

import java.util.List;

/** One stage or tool of the launcher: {@code glioma-bench <name> [options]}. Implementations stay thin. */
public interface Command {

  String name();

  /** One line for the command list. */
  String summary();

  /** Options beyond the common ones (--conf, --set, --warehouse, --run-id, --help). */
  default List<CliOption> options() {
    return List.of();
  }

  /** Usage of positional arguments, e.g. "[ingest|cnn|llm]"; empty when the command takes none. */
  default String positionalUsage() {
    return "";
  }

  /** Extra help text printed under the options. */
  default String details() {
    return "";
  }

  /**
   * Whether the command writes to the warehouse (it commits and claims what it writes, naming itself to other
   * writers; see {@code Warehouse}). Commands that only read it say false.
   */
  default boolean writesWarehouse() {
    return true;
  }

  /** Runs the command; the return value is the process exit status. */
  int run(JobContext context) throws Exception;
}
