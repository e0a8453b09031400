package org.gliomabench.jobs;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables.Runs;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.cli.ExitStatus;

/**
 * Appends one row to the {@code runs} table per command that used the warehouse: the run id, command,
 * start and end, status, the configuration (secrets masked) and its hash, code and library versions, seed.
 */
public final class RunRecorder {
  static final StructType SCHEMA = new StructType()
      .add(Tables.RUN_ID, StringType, false)
      .add(Runs.COMMAND, StringType, false)
      .add(Runs.STARTED_AT, TimestampType, false)
      .add(Runs.ENDED_AT, TimestampType, false)
      .add(Runs.STATUS, StringType, false)
      .add(Runs.EXIT_CODE, IntegerType, false)
      .add(Runs.CONFIG, StringType, false)
      .add(Runs.CONFIG_HASH, StringType, false)
      .add(Runs.CODE_VERSION, StringType, false)
      .add(Runs.LIBRARY_VERSIONS, StringType, false)
      .add(Runs.SEED, LongType, true);

  private RunRecorder() {}

  public static void record(Warehouse warehouse, Settings settings, String runId, String command, Instant start,
      Instant end, int exitCode) {
    String config = settings.describe();
    Row row = RowFactory.create(runId, command, Timestamp.from(start), Timestamp.from(end), status(exitCode), exitCode,
        config, sha256(config), codeVersion(), libraryVersions(warehouse), settings.has(ConfigKeys.SEED)
            ? settings.getLong(ConfigKeys.SEED) : null);
    warehouse.append(Runs.NAME, warehouse.spark().createDataFrame(List.of(row), SCHEMA).coalesce(1));
  }

  static String status(int exitCode) {
    switch (exitCode) {
      case 0: return "ok";
      case ExitStatus.PARTIAL: return "ok_with_rejected_inputs";
      case ExitStatus.USAGE: return "usage_error";
      default: return "failed";
    }
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
