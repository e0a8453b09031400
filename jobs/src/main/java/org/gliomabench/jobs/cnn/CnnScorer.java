package org.gliomabench.jobs.cnn;

import java.io.Serializable;
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
 * P(HGG) (and, on request, the embedding) for a set of patients, computed on the executors a chunk of patients at a
 * time with a copy of the network broadcast to them ({@link ModelBroadcast}, destroyed once scored); tensors are read
 * from the tensor store.
 */
public final class CnnScorer {
  /** Patients per forward pass when every layer's activations are kept (the dense layer's are the embedding). */
  static final int EMBEDDING_CHUNK = 2;

  /** A patient's P(HGG) and the 128 activations of the dense layer before the output (null when not asked for). */
  public record Scored(double score, double[] embedding) implements Serializable {}

  /** What one forward pass over a chunk's features [chunk, C*D*H*W] gives per patient, in order. */
  private interface Pass extends Serializable {
    List<Scored> apply(MultiLayerNetwork net, INDArray features);
  }

  private CnnScorer() {}

  public static Map<String, Double> score(JavaSparkContext jsc, MultiLayerNetwork net, TrainingVolumes volumes,
      Collection<String> ids, int batchSize) {
    Map<String, Double> out = new HashMap<>();
    run(jsc, net, volumes, ids, batchSize, (local, features) -> {
      INDArray p = local.output(features, false);
      List<Scored> s = new ArrayList<>();
      for (int i = 0; i < p.rows(); i++) {
        s.add(new Scored(p.getDouble(i, 0), null));
      }
      return s;
    }).forEach((id, s) -> out.put(id, s.score()));
    return out;
  }

  /**
   * P(HGG) and the embedding of each patient, from one forward pass that keeps every layer's activations, in chunks
   * of {@link #EMBEDDING_CHUNK} patients (a whole minibatch of kept activations would cost gigabytes at the study's
   * shape).
   */
  public static Map<String, Scored> scoreAndEmbed(JavaSparkContext jsc, MultiLayerNetwork net, TrainingVolumes volumes,
      Collection<String> ids) {
    int dense = denseLayer(net);
    return run(jsc, net, volumes, ids, EMBEDDING_CHUNK, (local, features) -> {
      List<INDArray> activations = local.feedForward(features, false);
      INDArray p = activations.get(activations.size() - 1);
      INDArray e = activations.get(dense + 1); // the list starts with the input
      List<Scored> s = new ArrayList<>();
      for (int i = 0; i < p.rows(); i++) {
        s.add(new Scored(p.getDouble(i, 0), e.getRow(i).toDoubleVector()));
      }
      for (int a = 1; a < activations.size(); a++) { // off-heap: freed now, not when the collector gets to them
        if (activations.get(a).closeable()) {
          activations.get(a).close();
        }
      }
      return s;
    });
  }

  /** The pass over every patient of {@code ids}, {@code chunk} patients at a time, on the executors. */
  private static Map<String, Scored> run(JavaSparkContext jsc, MultiLayerNetwork net, TrainingVolumes volumes,
      Collection<String> ids, int chunk, Pass pass) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    int[] shape = volumes.shape();
    int length = shape[0] * shape[1] * shape[2] * shape[3];
    TensorStore store = volumes.store();
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      Broadcast<ModelBroadcast.Payload> payload = model.handle();
      Map<String, Scored> out = new HashMap<>();
      for (Tuple2<String, Scored> t : Inference.over(jsc, volumes.patients(ids), chunk, chunks -> {
        List<Tuple2<String, Scored>> scores = new ArrayList<>();
        if (!chunks.hasNext()) {
          return scores.iterator();
        }
        MultiLayerNetwork local = payload.value().multiLayer();
        while (chunks.hasNext()) {
          List<TrainingVolumes.Patient> patients = chunks.next();
          INDArray features;
          try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            features = Nd4j.createUninitializedDetached(DataType.FLOAT, patients.size(), length);
          }
          FloatBuffer buffer = features.data().asNioFloat();
          for (int i = 0; i < patients.size(); i++) {
            buffer.limit((i + 1) * length).position(i * length);
            store.readTensor(patients.get(i).patientId(), buffer);
          }
          List<Scored> results = pass.apply(local, features);
          for (int i = 0; i < patients.size(); i++) {
            scores.add(new Tuple2<>(patients.get(i).patientId(), results.get(i)));
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
}
