package org.gliomabench.jobs.cli;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.SparkSessions;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * What a command runs with: the layered settings, its positional arguments, the run id, and (created on
 * first use, so that commands without Spark start fast) the SparkSession and the warehouse, shared by every
 * context derived from this one (the stages of {@code study}).
 */
public final class JobContext {
  private final Settings settings;
  /** The keys the user set (--conf file, --set, options): they win over any profile. */
  private final Map<String, String> userLayer;
  private final List<String> positional;
  private final String runId;
  private final Session session;

  /** The Spark session and warehouse, opened once and shared with derived contexts. */
  private static final class Session {
    SparkSession spark;
    Warehouse warehouse;
    /** What this process is, for writers it refuses or keeps waiting: run id and command. */
    String holder;
  }

  public JobContext(Settings settings, List<String> positional) {
    this(settings, Map.of(), positional);
  }

  public JobContext(Settings settings, Map<String, String> userLayer, List<String> positional) {
    this(settings, userLayer, positional, new Session());
  }

  private JobContext(Settings settings, Map<String, String> userLayer, List<String> positional, Session session) {
    this.userLayer = Map.copyOf(userLayer);
    this.runId = settings.has(ConfigKeys.RUN_ID) ? RunIds.validate(settings.get(ConfigKeys.RUN_ID)) : RunIds.newRunId();
    this.settings = settings.with(ConfigKeys.RUN_ID, runId);
    this.positional = List.copyOf(positional);
    this.session = session;
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

  public SparkSession spark() {
    synchronized (session) {
      if (session.spark == null) {
        session.spark = SparkSessions.getOrCreate(settings);
      }
      return session.spark;
    }
  }

  /**
   * The warehouse. Writers take its commit lock only while they commit (seconds), and claim what they write, so
   * that runs of other folds, arms or run ids write it at the same time ({@link Warehouse}).
   */
  public Warehouse warehouse() {
    synchronized (session) {
      if (session.warehouse == null) {
        String holder = session.holder != null ? session.holder : "run " + runId + " (reading)";
        session.warehouse = new Warehouse(spark(), settings.get(ConfigKeys.WAREHOUSE),
            Warehouse.Commits.from(settings, holder));
      }
      return session.warehouse;
    }
  }

  /**
   * Names this context's process as a writer of the warehouse for the writers it refuses or keeps waiting: the
   * run id and {@code command}. Main does this for every command that writes tables.
   */
  public JobContext writing(String command) {
    synchronized (session) {
      session.holder = "run " + runId + " (" + command + ")";
    }
    return this;
  }

  /** Lets go of what this process claimed in the warehouse (at the end of the command). */
  public void releaseWarehouse() {
    synchronized (session) {
      if (session.warehouse != null) {
        session.warehouse.releaseClaims();
      }
    }
  }

  /** True once a command has opened the warehouse (commands that never do are not recorded in runs). */
  public boolean usedWarehouse() {
    synchronized (session) {
      return session.warehouse != null;
    }
  }

  /**
   * The same context with a profile laid under the user's own choices: defaults &lt; profile &lt; --conf &lt; --set.
   * ({@code study} uses one for the synthetic cohort's smaller shapes.)
   */
  public JobContext withProfile(Map<String, String> profile) {
    return new JobContext(settings.with(profile).with(userLayer), userLayer, positional, session);
  }

  /** A context for another command of the same run (used by {@code study}), sharing the session and warehouse. */
  public JobContext derive(Settings overrides, List<String> positional) {
    if (overrides.has(ConfigKeys.WAREHOUSE) && !overrides.get(ConfigKeys.WAREHOUSE).equals(settings.get(ConfigKeys.WAREHOUSE))) {
      throw new IllegalArgumentException("a derived context cannot change the warehouse");
    }
    return new JobContext(settings.with(overrides.asMap()), userLayer, positional, session);
  }
}
