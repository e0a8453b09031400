package org.gliomabench.jobs.cnn;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.resource.ResourceInformation;
import org.gliomabench.core.model.NativeBackend;
import org.gliomabench.jobs.ResourceWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spark.plugins=org.gliomabench.jobs.cnn.Nd4jBackendPlugin}: sets ND4J up on each executor at
 * start-up, before any task can load it. CPU: chooses the nd4j-native build from that node's own CPU
 * (clusters may mix CPUs). CUDA build: checks that the build can run the GPU(s) Spark's resource scheduling gave
 * this executor ({@link CudaCompatibility}; a Hopper or Blackwell GPU is refused before any kernel, and the
 * driver stops with the reason), then restricts ND4J to them, so executors sharing a multi-GPU node without
 * isolation do not all land on device 0.
 */
public final class Nd4jBackendPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackendPlugin.class);

  /** Sent by an executor whose GPU the CUDA build cannot run. */
  static final String REFUSED = "gpu-refused:";

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      private SparkContext sc;

      @Override
      public Map<String, String> init(SparkContext sc, PluginContext ctx) {
        this.sc = sc;
        return Collections.emptyMap();
      }

      @Override
      public Object receive(Object message) {
        if (message instanceof String s && s.startsWith(REFUSED)) {
          // Off the RPC thread: stopping the context waits for RPC.
          Thread t = new Thread(() -> ResourceWatchdog.fail(sc, s.substring(REFUSED.length())), "glioma-bench-gpu-refused");
          t.setDaemon(true);
          t.start();
        }
        return null;
      }
    };
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
          LOG.info("executor {}: Spark assigned GPU(s) {}", ctx.executorID(), Arrays.toString(gpus.addresses()));
          if (CudaCompatibility.cudaBuild()) {
            String refusal = refusal(List.of(gpus.addresses()), CudaCompatibility.query());
            if (refusal != null) {
              LOG.error("executor {}: {}", ctx.executorID(), refusal);
              try {
                ctx.send(REFUSED + "executor " + ctx.executorID() + " on " + ctx.hostname() + ": " + refusal);
              } catch (java.io.IOException e) {
                LOG.warn("could not tell the driver: {}", e.toString());
              }
              throw new IllegalStateException(refusal);
            }
          }
          pinGpus(ctx.executorID(), Arrays.stream(gpus.addresses()).mapToInt(Integer::parseInt).toArray());
        }
      }
    };
  }

  /** The first assigned GPU the build cannot run, as a message; null when all can (or nvidia-smi knows none). */
  static String refusal(List<String> assigned, List<CudaCompatibility.Gpu> node) {
    for (CudaCompatibility.Gpu g : node) {
      if (assigned.contains(g.index())) {
        String why = CudaCompatibility.refusal(g);
        if (why != null) {
          return why;
        }
      }
    }
    if (node.isEmpty()) {
      LOG.warn("nvidia-smi did not list this node's GPUs: their compute capability is not checked");
    }
    return null;
  }

  /** CudaEnvironment exists only in the -Pcuda build, hence reflection. */
  static void pinGpus(String executor, int[] devices) {
    try {
      Class<?> env = Class.forName(CudaCompatibility.CUDA_ENVIRONMENT);
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
