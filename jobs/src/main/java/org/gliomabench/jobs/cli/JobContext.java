package org.gliomabench.jobs.cli;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.SparkSessions;
import org.gliomabench.jobs.Warehouse;

/**
 * What a command runs with: the layered settings, its positional arguments, the run id, and (created on
 * first use, so that commands without Spark start fast) the SparkSession and the warehouse.
 */
public final class JobContext {
  private final Settings settings;
  private final List<String> positional;
  private final String runId;
  private SparkSession spark;
  private Warehouse warehouse;

  public JobContext(Settings settings, List<String> positional) {
    this.runId = settings.has(ConfigKeys.RUN_ID) ? RunIds.validate(settings.get(ConfigKeys.RUN_ID)) : RunIds.newRunId();
    this.settings = settings.with(ConfigKeys.RUN_ID, runId);
    this.positional = List.copyOf(positional);
  }

  public Settings settings() {
    return settings;
  }

  public List<String> positional() {
    return positional;
  }

  public String runId() {
    return runId;
  }

  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.getOrCreate(settings);
    }
    return spark;
  }

  public synchronized Warehouse warehouse() {
    if (warehouse == null) {
      warehouse = new Warehouse(spark(), settings.get(ConfigKeys.WAREHOUSE));
    }
    return warehouse;
  }

  /** True once a command has opened the warehouse (commands that never do are not recorded in runs). */
  public synchronized boolean usedWarehouse() {
    return warehouse != null;
  }

  /** A context for another command of the same run (used by {@code study}), sharing the session. */
  public JobContext derive(Settings overrides, List<String> positional) {
    JobContext child = new JobContext(settings.with(overrides.asMap()), positional);
    child.spark = spark;
    child.warehouse = overrides.has(ConfigKeys.WAREHOUSE) ? null : warehouse;
    return child;
  }
}
