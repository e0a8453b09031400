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
  private CnnScorer() {}

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
