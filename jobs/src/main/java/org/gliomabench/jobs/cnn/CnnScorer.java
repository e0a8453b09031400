package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * P(HGG) for a set of patients, computed on the executors in minibatches, with a copy of the network broadcast
 * to them ({@link ModelBroadcast}) and destroyed once scored.
 */
public final class CnnScorer {
  private CnnScorer() {}

  public static Map<String, Double> score(JavaSparkContext jsc, MultiLayerNetwork net,
      JavaPairRDD<String, CnnExample> examples, Collection<String> ids, int batchSize) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Broadcast<Set<String>> wanted = jsc.broadcast(new HashSet<>(ids));
    try (ModelBroadcast model = ModelBroadcast.of(jsc, net)) {
      Broadcast<ModelBroadcast.Payload> payload = model.handle();
      Map<String, Double> out = new HashMap<>();
      for (Tuple2<String, Double> t : examples
          .filter(t -> wanted.value().contains(t._1()))
          .mapPartitionsToPair(it -> {
            List<Tuple2<String, Double>> scores = new ArrayList<>();
            if (!it.hasNext()) {
              return scores.iterator();
            }
            MultiLayerNetwork local = payload.value().multiLayer();
            List<CnnExample> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
              batch.add(it.next()._2());
              if (batch.size() == batchSize || !it.hasNext()) {
                scores.addAll(scoreBatch(local, batch));
                batch.clear();
              }
            }
            return scores.iterator();
          })
          .collect()) {
        out.put(t._1(), t._2());
      }
      if (out.size() != wanted.value().size()) {
        throw new IllegalStateException("scored " + out.size() + " of " + ids.size() + " patients");
      }
      return out;
    } finally {
      wanted.destroy(false);
    }
  }

  private static List<Tuple2<String, Double>> scoreBatch(MultiLayerNetwork net, List<CnnExample> batch) {
    int len = batch.get(0).tensor().length / Float.BYTES;
    float[] features = new float[batch.size() * len];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).floats(), 0, features, i * len, len);
    }
    INDArray out = net.output(Nd4j.create(features, new long[] {batch.size(), len}, 'c'), false);
    List<Tuple2<String, Double>> scores = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      scores.add(new Tuple2<>(batch.get(i).patientId(), out.getDouble(i, 0)));
    }
    return scores;
  }
}
