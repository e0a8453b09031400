package org.gliomabench.jobs.train;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network sent to the executors for inference: its configuration and a detached copy of its parameters,
 * broadcast once and destroyed by {@link #close()}.
 *
 * <p>Never broadcast a live network's own arrays: Spark 3.5 closes broadcast values that are
 * {@link AutoCloseable} (an INDArray is) when it removes the broadcast, on the driver too. DL4J's
 * {@code SparkDl4jMultiLayer.feedForwardWithKey} broadcasts {@code network.params()} itself and never destroys
 * it, so the driver's network lost its parameters whenever Spark's cleaner collected that broadcast (on a
 * cluster: "You can't use DataBuffer once it was released" at the next checkpoint).
 */
public final class ModelBroadcast implements AutoCloseable {
  /** What is broadcast: not AutoCloseable itself, so Spark never closes the copy while a task reads it. */
  public static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String configuration;
    private final boolean graph;
    private final INDArray parameters;

    Payload(String configuration, boolean graph, INDArray parameters) {
      this.configuration = configuration;
      this.graph = graph;
      this.parameters = parameters;
    }

    /** A new network with these parameters (copied: the broadcast's array is not the network's). */
    public MultiLayerNetwork multiLayer() {
      if (graph) {
        throw new IllegalStateException("the broadcast model is a ComputationGraph, not a MultiLayerNetwork");
      }
      MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
      net.init(parameters, true);
      return net;
    }

    /** A new graph with these parameters (copied). */
    public ComputationGraph graph() {
      if (!graph) {
        throw new IllegalStateException("the broadcast model is a MultiLayerNetwork, not a ComputationGraph");
      }
      ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
      net.init(parameters, true);
      return net;
    }
  }

  private final Broadcast<Payload> broadcast;
  private final INDArray copy;

  private ModelBroadcast(Broadcast<Payload> broadcast, INDArray copy) {
    this.broadcast = broadcast;
    this.copy = copy;
  }

  /** Broadcasts {@code model}'s configuration and a copy of its parameters (packed where the serializer allows). */
  public static ModelBroadcast of(JavaSparkContext jsc, Model model) {
    boolean pack = ShippedArrays.packs(jsc.getConf());
    INDArray copy = ShippedArrays.copy(model.params(), pack, false, null);
    Payload payload;
    if (model instanceof MultiLayerNetwork net) {
      payload = new Payload(net.getLayerWiseConfigurations().toJson(), false, copy);
    } else if (model instanceof ComputationGraph g) {
      payload = new Payload(g.getConfiguration().toJson(), true, copy);
    } else {
      throw new IllegalArgumentException("cannot broadcast a " + model.getClass().getName());
    }
    return new ModelBroadcast(jsc.broadcast(payload), copy);
  }

  /** The handle tasks read ({@code value()} on the executors). */
  public Broadcast<Payload> handle() {
    return broadcast;
  }

  /** Removes the broadcast everywhere (blocking) and frees the driver's copy. */
  @Override
  public void close() {
    broadcast.destroy();
    ShippedArrays.release(copy);
  }
}
