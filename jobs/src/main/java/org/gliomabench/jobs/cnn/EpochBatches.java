package org.gliomabench.jobs.cnn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Turns one epoch's plan (balanced batches of patient ids, {@code BalancedBatches}) into an RDD of DL4J
 * minibatches, built on the executors: only the small plan is broadcast, tensors never pass the driver.
 * Each DataSet is one planned batch with flat features [n, C*D*H*W] and labels [n, 1].
 */
public final class EpochBatches {
  private EpochBatches() {}

  public static JavaRDD<DataSet> build(JavaSparkContext jsc, JavaPairRDD<String, CnnExample> examples,
      List<List<String>> plan, int partitions) {
    // patient id -> every (batch, position) it fills; oversampled patients fill several.
    Map<String, List<long[]>> slots = new HashMap<>();
    for (int b = 0; b < plan.size(); b++) {
      List<String> batch = plan.get(b);
      for (int i = 0; i < batch.size(); i++) {
        slots.computeIfAbsent(batch.get(i), k -> new ArrayList<>()).add(new long[] {b, i});
      }
    }
    Broadcast<Map<String, List<long[]>>> where = jsc.broadcast(slots);
    return examples
        .filter(t -> where.value().containsKey(t._1()))
        .flatMapToPair(t -> {
          List<Tuple2<Integer, Tuple2<Integer, CnnExample>>> out = new ArrayList<>();
          for (long[] s : where.value().get(t._1())) {
            out.add(new Tuple2<>((int) s[0], new Tuple2<>((int) s[1], t._2())));
          }
          return out.iterator();
        })
        .groupByKey(new HashPartitioner(Math.max(1, Math.min(partitions, plan.size()))))
        .map(group -> toDataSet(group._2()))
        .persist(TrainingMasters.BATCH_STORAGE);
  }

  static DataSet toDataSet(Iterable<Tuple2<Integer, CnnExample>> members) {
    List<Tuple2<Integer, CnnExample>> list = new ArrayList<>();
    members.forEach(list::add);
    list.sort((a, b) -> Integer.compare(a._1(), b._1()));
    int n = list.size();
    int len = list.get(0)._2().tensor().length / Float.BYTES;
    float[] features = new float[n * len];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      CnnExample e = list.get(i)._2();
      System.arraycopy(e.floats(), 0, features, i * len, len);
      labels[i] = e.label();
    }
    return new DataSet(Nd4j.create(features, new long[] {n, len}, 'c'), Nd4j.create(labels, new long[] {n, 1}, 'c'));
  }
}
