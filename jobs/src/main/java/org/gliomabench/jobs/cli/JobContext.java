package org.gliomabench.jobs.cli;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.SparkSessions;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.warehouse.WarehouseLock;

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

  /** The Spark session and warehouse (and its lock), opened once and shared with derived contexts. */
  private static final class Session {
    SparkSession spark;
    Warehouse warehouse;
    WarehouseLock lock;
    /** What the lock names as its holder; null: this process only reads the warehouse (takes no lock). */
    String lockHolder;
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
   * The warehouse; a writing command first takes its lock ({@link WarehouseLock}: one writer at a time) and
   * finishes any table swap a dead process left half done.
   */
  public Warehouse warehouse() {
    synchronized (session) {
      if (session.warehouse == null) {
        Warehouse w = new Warehouse(spark(), settings.get(ConfigKeys.WAREHOUSE));
        if (session.lockHolder != null) {
          session.lock = WarehouseLock.acquire(w.fileSystem(), w.root(), WarehouseLock.describe(session.lockHolder),
              settings.getLong(ConfigKeys.WAREHOUSE_LOCK_WAIT), settings.getLong(ConfigKeys.WAREHOUSE_LOCK_STALE));
          w.recoverInterruptedSwaps();
        }
        session.warehouse = w;
      }
      return session.warehouse;
    }
  }

  /**
   * Makes this context's process a writer of the warehouse: {@link #warehouse()} will take its lock, naming
   * {@code command} and the run id as the holder. Main does this for every command that writes tables.
   */
  public JobContext writing(String command) {
    synchronized (session) {
      session.lockHolder = "run " + runId + " (" + command + ")";
    }
    return this;
  }

  /** Releases the warehouse lock, if this context took it (at the end of the command). */
  public void releaseWarehouse() {
    synchronized (session) {
      if (session.lock != null) {
        session.lock.close();
        session.lock = null;
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
