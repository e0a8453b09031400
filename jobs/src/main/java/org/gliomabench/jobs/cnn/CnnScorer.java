package org.gliomabench.jobs.cnn;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/** P(HGG) for a set of patients, computed on the executors with the network broadcast to them. */
public final class CnnScorer {
  private CnnScorer() {}

  public static Map<String, Double> score(JavaSparkContext jsc, SparkDl4jMultiLayer net,
      JavaPairRDD<String, CnnExample> examples, Collection<String> ids, int batchSize) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Broadcast<Set<String>> wanted = jsc.broadcast(new HashSet<>(ids));
    try {
      JavaPairRDD<String, INDArray> features = examples
          .filter(t -> wanted.value().contains(t._1()))
          .mapToPair(t -> new Tuple2<>(t._1(), t._2().features()));
      Map<String, Double> out = new HashMap<>();
      for (Tuple2<String, Double> t : net.feedForwardWithKey(features, batchSize)
          .mapToPair(t -> new Tuple2<>(t._1(), t._2().getDouble(0)))
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
}
