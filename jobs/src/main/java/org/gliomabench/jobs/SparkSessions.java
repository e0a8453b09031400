package org.gliomabench.jobs;

import org.gliomabench.jobs.warehouse.CatalogSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;

/**
 * Creates the one SparkSession of a process from the settings; on a cluster a {@link ResourceWatchdog} stops it
 * when it cannot get executors that can run its tasks.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(Settings settings) {
    SparkConf conf = new SparkConf();
    // spark-submit sets spark.master itself; a local run takes it from the settings.
    if (!conf.contains("spark.master")) {
      conf.setMaster(settings.get(ConfigKeys.SPARK_MASTER));
    }
    conf.setIfMissing("spark.app.name", "glioma-bench");
    for (Map.Entry<String, String> e : settings.withPrefix("spark.").entrySet()) {
      if (!e.getKey().equals("spark.master")) {
        conf.setIfMissing(e.getKey(), e.getValue());
      }
    }
    // A session that exists already (tests share one) keeps its catalog; a new one gets the warehouse's.
    if (SparkSession.getDefaultSession().isEmpty() && settings.has(ConfigKeys.WAREHOUSE)) {
      CatalogSettings.configure(conf, settings);
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    ResourceWatchdog.start(spark.sparkContext(), settings.getLong(ConfigKeys.CLUSTER_EXECUTORS_WAIT));
    return spark;
  }
}
