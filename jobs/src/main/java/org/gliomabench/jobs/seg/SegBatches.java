package org.gliomabench.jobs.seg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;
import org.gliomabench.jobs.cnn.TrainingMasters;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * One epoch of U-Net minibatches as an RDD of DL4J DataSets, built on the executors from a small plan:
 * the fold's training examples (patients in 3D, patient x axial slice in 2D) shuffled by a seed derived
 * from the epoch (so a resumed run sees the same order) and cut into batches. Each DataSet holds flat
 * features [n, C*D*H*W] and flat region labels [n, 3*D*H*W] on the padded grid.
 */
public final class SegBatches {
  private SegBatches() {}

  /** One training example: a patient's volume (slice -1) or one of its axial slices. */
  public record Unit(String patientId, int slice) implements Serializable {}

  /** The epoch's batches, shuffled by {@code seed}. */
  public static List<List<Unit>> plan(List<String> trainIds, SegSpec spec, int batchSize, long seed) {
    List<Unit> units = new ArrayList<>();
    List<String> ids = new ArrayList<>(trainIds);
    Collections.sort(ids);
    for (String id : ids) {
      if (spec.is3d()) {
        units.add(new Unit(id, -1));
      } else {
        for (int d = 0; d < spec.depth(); d++) {
          units.add(new Unit(id, d));
        }
      }
    }
    Collections.shuffle(units, new Random(seed));
    List<List<Unit>> batches = new ArrayList<>();
    for (int i = 0; i < units.size(); i += batchSize) {
      batches.add(List.copyOf(units.subList(i, Math.min(units.size(), i + batchSize))));
    }
    return batches;
  }

  public static long epochSeed(long seed, int fold, int epoch) {
    return seed * 1_000_003L + fold * 7919L + epoch;
  }

  public static JavaRDD<DataSet> build(JavaSparkContext jsc, JavaPairRDD<String, SegExample> examples,
      List<List<Unit>> plan, SegSpec spec, int partitions) {
    // patient id -> every (batch, position, slice) it fills.
    Map<String, List<int[]>> slots = new HashMap<>();
    for (int b = 0; b < plan.size(); b++) {
      List<Unit> batch = plan.get(b);
      for (int i = 0; i < batch.size(); i++) {
        slots.computeIfAbsent(batch.get(i).patientId(), k -> new ArrayList<>()).add(new int[] {b, i, batch.get(i).slice()});
      }
    }
    Broadcast<Map<String, List<int[]>>> where = jsc.broadcast(slots);
    return examples
        .filter(t -> where.value().containsKey(t._1()))
        .flatMapToPair(t -> {
          // Slices are cut here, so that a 2D patient's whole tensor is not shuffled once per slice.
          float[] tensor = SegTensors.floats(t._2().tensor());
          List<Tuple2<Integer, Tuple2<Integer, float[][]>>> out = new ArrayList<>();
          for (int[] s : where.value().get(t._1())) {
            float[] f = new float[spec.featureLength()];
            float[] l = new float[spec.labelLength()];
            SegTensors.features(tensor, spec, s[2], f, 0);
            SegTensors.labels(t._2().mask(), spec, s[2], l, 0);
            out.add(new Tuple2<>(s[0], new Tuple2<>(s[1], new float[][] {f, l})));
          }
          return out.iterator();
        })
        .groupByKey(new HashPartitioner(Math.max(1, Math.min(partitions, plan.size()))))
        .map(group -> toDataSet(group._2(), spec))
        .persist(TrainingMasters.BATCH_STORAGE);
  }

  static DataSet toDataSet(Iterable<Tuple2<Integer, float[][]>> members, SegSpec spec) {
    List<Tuple2<Integer, float[][]>> list = new ArrayList<>();
    members.forEach(list::add);
    list.sort((a, b) -> Integer.compare(a._1(), b._1()));
    int n = list.size();
    int fl = spec.featureLength();
    int ll = spec.labelLength();
    float[] features = new float[n * fl];
    float[] labels = new float[n * ll];
    for (int i = 0; i < n; i++) {
      System.arraycopy(list.get(i)._2()[0], 0, features, i * fl, fl);
      System.arraycopy(list.get(i)._2()[1], 0, labels, i * ll, ll);
    }
    return new DataSet(Nd4j.create(features, new long[] {n, fl}, 'c'), Nd4j.create(labels, new long[] {n, ll}, 'c'));
  }
}
