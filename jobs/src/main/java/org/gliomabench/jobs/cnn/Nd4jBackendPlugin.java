package org.gliomabench.jobs.cnn;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.resource.ResourceInformation;
import org.gliomabench.core.model.NativeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spark.plugins=org.gliomabench.jobs.cnn.Nd4jBackendPlugin}: sets ND4J up on each executor at
 * start-up, before any task can load it. CPU: chooses the nd4j-native build from that node's own CPU
 * (clusters may mix CPUs). CUDA build: restricts ND4J to the GPU(s) Spark's resource scheduling gave this
 * executor, so executors sharing a multi-GPU node without isolation do not all land on device 0.
 */
public final class Nd4jBackendPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackendPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        LOG.info("executor {}: {}", ctx.executorID(), NativeBackend.configure());
        TrainingMasters.aeronTimeouts();
        ResourceInformation gpus = ctx.resources().get("gpu");
        if (gpus != null) {
          pinGpus(ctx.executorID(), Arrays.stream(gpus.addresses()).mapToInt(Integer::parseInt).toArray());
        }
      }
    };
  }

  /** CudaEnvironment exists only in the -Pcuda build, hence reflection. */
  static void pinGpus(String executor, int[] devices) {
    try {
      Class<?> env = Class.forName("org.nd4j.jita.conf.CudaEnvironment");
      Object conf = env.getMethod("getConfiguration").invoke(env.getMethod("getInstance").invoke(null));
      conf.getClass().getMethod("useDevices", int[].class).invoke(conf, (Object) devices);
      conf.getClass().getMethod("allowMultiGPU", boolean.class).invoke(conf, devices.length > 1);
      LOG.info("executor {}: ND4J CUDA restricted to GPU(s) {}", executor, Arrays.toString(devices));
    } catch (ClassNotFoundException e) {
      LOG.warn("executor {}: Spark gave GPU(s) {} but this is the CPU build (package with -Pcuda)", executor,
          Arrays.toString(devices));
    } catch (ReflectiveOperationException e) {
      LOG.warn("executor {}: could not pin ND4J to GPU(s) {}: {}", executor, Arrays.toString(devices), e.toString());
    }
  }
}
