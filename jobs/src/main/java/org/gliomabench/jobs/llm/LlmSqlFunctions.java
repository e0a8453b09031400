package org.gliomabench.jobs.llm;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.gliomabench.udf.fanout.ArmCaller;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.fanout.BoundedFanOut;
import org.gliomabench.udf.fanout.CallRecord;
import org.gliomabench.udf.fanout.SliceCall;
import scala.collection.Seq;

/**
 * The LLM arm as Spark SQL functions, for analysts' ad-hoc queries (same client, retries, parser, per-executor
 * bound and rate share as llm-slices; no call log):
 * <ul>
 *   <li>{@code llm_classify(arm, png)}: one call per row, synchronous: fine for a handful of rows;</li>
 *   <li>{@code llm_classify_all(arm, array_of_pngs)}: the fan-out inside one row, e.g. over
 *       {@code collect_list(flair_png)} per patient, answers in input order.</li>
 * </ul>
 * From PySpark: {@code spark._jvm.org.gliomabench.jobs.llm.LlmSqlFunctions.register(spark._jsparkSession, "my.properties")}.
 */
public final class LlmSqlFunctions {
  public static final String CLASSIFY = "llm_classify";
  public static final String CLASSIFY_ALL = "llm_classify_all";

  public static final StructType RESULT = new StructType()
      .add(LlmCalls.STATUS, StringType)
      .add(LlmCalls.CHOICE, IntegerType)
      .add(LlmCalls.P_HGG, DoubleType)
      .add(LlmCalls.STRICT_FORMAT, BooleanType)
      .add(LlmCalls.RAW_TEXT, StringType)
      .add(LlmCalls.ATTEMPTS, IntegerType)
      .add(LlmCalls.LATENCY_MS, LongType)
      .add(LlmCalls.ERROR, StringType);

  private LlmSqlFunctions() {}

  /** Registers both functions for these arms. */
  public static void register(SparkSession spark, List<ArmSpec> arms) {
    Map<String, ArmSpec> byName = new HashMap<>();
    arms.forEach(a -> byName.put(a.name(), a));
    spark.udf().register(CLASSIFY, (UDF2<String, byte[], Row>) (arm, png) -> classify(byName, arm, png), RESULT);
    spark.udf().register(CLASSIFY_ALL, (UDF2<String, Seq<byte[]>, List<Row>>) (arm, pngs) -> classifyAll(byName, arm, pngs),
        DataTypes.createArrayType(RESULT));
  }

  /**
   * Registers the functions for the arms of a properties file laid over the defaults; returns the arms
   * (close them to stop a SIMULATED server they started).
   */
  public static LlmArms register(SparkSession spark, String confFile) {
    Settings settings = SettingsLoader.layer(SettingsLoader.defaults(), confFile == null ? null : Path.of(confFile), Map.of());
    LlmArms arms = LlmArms.resolve(settings, spark);
    register(spark, arms.arms());
    return arms;
  }

  static Row classify(Map<String, ArmSpec> arms, String arm, byte[] png) throws InterruptedException, ExecutionException {
    if (png == null) {
      return null;
    }
    ArmCaller caller = new ArmCaller(arm(arms, arm));
    Semaphore permits = caller.client().permits();
    permits.acquire();
    try {
      return result(caller.call(call(arm, 0, png)).get());
    } finally {
      permits.release();
    }
  }

  static List<Row> classifyAll(Map<String, ArmSpec> arms, String arm, Seq<byte[]> pngs) {
    if (pngs == null) {
      return null;
    }
    ArmCaller caller = new ArmCaller(arm(arms, arm));
    List<SliceCall> calls = new ArrayList<>();
    for (int i = 0; i < pngs.size(); i++) {
      calls.add(call(arm, i, pngs.apply(i)));
    }
    Row[] out = new Row[calls.size()];
    BoundedFanOut.of(calls.iterator(), c -> caller.client().permits(), caller::call, caller::failed)
        .forEachRemaining(r -> out[r.sliceIndex()] = result(r));
    return List.of(out);
  }

  private static ArmSpec arm(Map<String, ArmSpec> arms, String name) {
    ArmSpec a = arms.get(name);
    if (a == null) {
      throw new ConfigException("no LLM arm named '" + name + "'; registered: " + arms.keySet());
    }
    return a;
  }

  /** The call for one image; its key (the request id) is the image's hash. */
  private static SliceCall call(String arm, int index, byte[] png) {
    if (png == null || png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
      throw new IllegalArgumentException("llm_classify: image " + index + " is not a PNG");
    }
    int w = ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
    int h = ((png[20] & 0xff) << 24) | ((png[21] & 0xff) << 16) | ((png[22] & 0xff) << 8) | (png[23] & 0xff);
    String key;
    try {
      key = "sql-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png)).substring(0, 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new SliceCall(key, arm, "sql", null, null, null, "sql", index, 0, png, w, h);
  }

  private static Row result(CallRecord r) {
    return RowFactory.create(r.status(), r.choice(), r.pHgg(), r.strictFormat(), r.rawText(), r.attempts(), r.latencyMs(), r.error());
  }
}
