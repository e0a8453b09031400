package org.gliomabench.jobs.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.Runs;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;

/**
 * Appends one row to the {@code runs} table per command that used the warehouse: the run id, command,
 * start and end, status, the configuration (secrets masked) and its hash, code and library versions, seed.
 */
public final class RunRecorder {
  private RunRecorder() {}

  /**
   * @param exitCode the command's exit status
   * @param status what it means, for the table ("ok", "stopped", ...)
   */
  public static void record(Warehouse warehouse, Settings settings, String runId, String command, Instant start,
      Instant end, int exitCode, String status) {
    String config = settings.describe();
    Row row = SparkTables.row(Runs.TABLE).set(Tables.RUN_ID, runId).set(Runs.COMMAND, command)
        .set(Runs.STARTED_AT, Timestamp.from(start)).set(Runs.ENDED_AT, Timestamp.from(end))
        .set(Runs.STATUS, status).set(Runs.EXIT_CODE, exitCode).set(Runs.CONFIG, config)
        .set(Runs.CONFIG_HASH, sha256(config)).set(Runs.CODE_VERSION, codeVersion())
        .set(Runs.LIBRARY_VERSIONS, libraryVersions(warehouse))
        .set(Runs.SEED, settings.has(ConfigKeys.SEED) ? settings.getLong(ConfigKeys.SEED) : null).build();
    SparkTables.append(warehouse, Runs.TABLE, SparkTables.frame(warehouse.spark(), Runs.TABLE, List.of(row)).coalesce(1));
  }

  static String codeVersion() {
    String v = RunRecorder.class.getPackage().getImplementationVersion();
    return "glioma-bench " + (v == null ? "dev" : v);
  }

  private static String libraryVersions(Warehouse warehouse) {
    Map<String, String> v = new TreeMap<>();
    v.put("java", System.getProperty("java.version"));
    v.put("spark", warehouse.spark().version());
    v.put("scala", scala.util.Properties.versionNumberString());
    Package dl4j = org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage();
    v.put("dl4j", dl4j == null || dl4j.getImplementationVersion() == null ? "unknown" : dl4j.getImplementationVersion());
    return v.toString();
  }

  static String sha256(String s) {
    try {
      StringBuilder sb = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
