package org.gliomabench.jobs.cnn;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.jobs.train.Inference;
import org.gliomabench.jobs.train.ModelBroadcast;
import org.gliomabench.jobs.train.TensorStore;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * P(HGG) for a set of patients, computed on the executors a minibatch at a time with a copy of the network
 * broadcast to them ({@link ModelBroadcast}, destroyed once scored); tensors are read from the tensor store.
 */
public final class CnnScorer {
  /** Patients per forward pass when every layer's activations are kept (the dense layer's are the embedding). */
  static final int EMBEDDING_CHUNK = 2;

  /** A patient's P(HGG) and the 128 activations of the dense layer before the output. */
  public record Scored(double score, double[] embedding) implements java.io.Serializable {}

  private CnnScorer() {}

  /**
   * P(HGG) and the embedding of each patient, from one forward pass that keeps every layer's activations, in chunks
   * of {@link #EMBEDDING_CHUNK} patients (a whole minibatch of kept activations would cost gigabytes at the study's
   * shape).
   */
  public static Map<String, Scored> scoreAndEmbed(JavaSparkContext jsc, MultiLayerNetwork net, TrainingVolumes volumes,
      Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    int dense = denseLayer(net);
    int[] shape = volumes.shape();
    int length = shape[0] * shape[1] * shape[2] * shape[3];
    TensorStore store = volumes.store();
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      Broadcast<ModelBroadcast.Payload> payload = model.handle();
      Map<String, Scored> out = new HashMap<>();
      for (Tuple2<String, Scored> t : Inference.over(jsc, volumes.patients(ids), EMBEDDING_CHUNK, chunks -> {
        List<Tuple2<String, Scored>> scores = new ArrayList<>();
        if (!chunks.hasNext()) {
          return scores.iterator();
        }
        MultiLayerNetwork local = payload.value().multiLayer();
        while (chunks.hasNext()) {
          List<TrainingVolumes.Patient> chunk = chunks.next();
          INDArray features;
          try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            features = Nd4j.createUninitializedDetached(DataType.FLOAT, chunk.size(), length);
          }
          FloatBuffer buffer = features.data().asNioFloat();
          for (int i = 0; i < chunk.size(); i++) {
            buffer.limit((i + 1) * length).position(i * length);
            store.readTensor(chunk.get(i).patientId(), buffer);
          }
          List<INDArray> activations = local.feedForward(features, false);
          INDArray p = activations.get(activations.size() - 1);
          INDArray e = activations.get(dense + 1); // the list starts with the input
          for (int i = 0; i < chunk.size(); i++) {
            scores.add(new Tuple2<>(chunk.get(i).patientId(), new Scored(p.getDouble(i, 0), e.getRow(i).toDoubleVector())));
          }
          for (int a = 1; a < activations.size(); a++) { // off-heap: freed now, not when the collector gets to them
            if (activations.get(a).closeable()) {
              activations.get(a).close();
            }
          }
          features.close();
        }
        return scores.iterator();
      }).collect()) {
        out.put(t._1(), t._2());
      }
      if (out.size() != ids.size()) {
        throw new IllegalStateException("scored " + out.size() + " of " + ids.size() + " patients");
      }
      return out;
    }
  }

  /** The index of the last hidden dense layer (the one before the output layer). */
  static int denseLayer(MultiLayerNetwork net) {
    for (int i = net.getnLayers() - 2; i >= 0; i--) {
      if (net.getLayer(i) instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer) {
        return i;
      }
    }
    throw new IllegalArgumentException("the network has no dense layer before its output");
  }

  public static Map<String, Double> score(JavaSparkContext jsc, MultiLayerNetwork net, TrainingVolumes volumes,
      Collection<String> ids, int batchSize) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    int[] shape = volumes.shape();
    int length = shape[0] * shape[1] * shape[2] * shape[3];
    TensorStore store = volumes.store();
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      Broadcast<ModelBroadcast.Payload> payload = model.handle();
      Map<String, Double> out = new HashMap<>();
      for (Tuple2<String, Double> t : Inference.over(jsc, volumes.patients(ids), batchSize, chunks -> {
        List<Tuple2<String, Double>> scores = new ArrayList<>();
        if (!chunks.hasNext()) {
          return scores.iterator();
        }
        MultiLayerNetwork local = payload.value().multiLayer();
        while (chunks.hasNext()) {
          List<TrainingVolumes.Patient> chunk = chunks.next();
          INDArray features;
          try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            features = Nd4j.createUninitializedDetached(DataType.FLOAT, chunk.size(), length);
          }
          FloatBuffer buffer = features.data().asNioFloat();
          for (int i = 0; i < chunk.size(); i++) {
            buffer.limit((i + 1) * length).position(i * length);
            store.readTensor(chunk.get(i).patientId(), buffer);
          }
          INDArray p = local.output(features, false);
          for (int i = 0; i < chunk.size(); i++) {
            scores.add(new Tuple2<>(chunk.get(i).patientId(), p.getDouble(i, 0)));
          }
          features.close();
        }
        return scores.iterator();
      }).collect()) {
        out.put(t._1(), t._2());
      }
      if (out.size() != ids.size()) {
        throw new IllegalStateException("scored " + out.size() + " of " + ids.size() + " patients");
      }
      return out;
    }
  }
}
