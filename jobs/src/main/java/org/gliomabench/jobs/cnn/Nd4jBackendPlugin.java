package org.gliomabench.jobs.cnn;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.gliomabench.core.model.NativeBackend;
import org.slf4j.LoggerFactory;

/**
 * {@code spark.plugins=org.gliomabench.jobs.cnn.Nd4jBackendPlugin}: chooses ND4J's CPU build on each
 * executor at start-up, before any task can load ND4J, from that node's own CPU (clusters may mix CPUs).
 */
public final class Nd4jBackendPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        LoggerFactory.getLogger(Nd4jBackendPlugin.class).info("executor {}: {}", ctx.executorID(), NativeBackend.configure());
      }
    };
  }
}
