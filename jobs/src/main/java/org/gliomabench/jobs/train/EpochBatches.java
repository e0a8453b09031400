package org.gliomabench.jobs.train;

import java.io.Serializable;
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
 * Turns one epoch's plan (batches of example slots: a patient, or one of its axial slices) into an RDD of DL4J
 * minibatches, built on the executors: only the small plan is broadcast, tensors never pass the driver. Each slot
 * becomes a row of features and a row of labels on the executor holding the patient (the arm's {@link Rows});
 * each DataSet is one planned batch, its rows in the planned order, with flat features [n, F] and labels [n, L]
 * (DL4J cannot merge rank-5 examples). One partition per worker, batches dealt by index.
 */
public final class EpochBatches {
  private EpochBatches() {}

  /** One training example of a batch: a patient's volume ({@code slice} -1) or one of its axial slices. */
  public record Slot(String patientId, int slice) implements Serializable {}

  /** How an arm turns a patient into training rows: per slice (-1: the volume) {features, labels}, both flat. */
  @FunctionalInterface
  public interface Rows extends Serializable {
    /** Called once per patient, so that work shared by its slices (decoding the tensor) is done once. */
    Patient of(VolumeExample example);
  }

  /** A patient's rows. */
  @FunctionalInterface
  public interface Patient {
    float[][] row(int slice);
  }

  public static JavaRDD<DataSet> build(JavaSparkContext jsc, JavaPairRDD<String, VolumeExample> examples,
      List<List<Slot>> plan, Rows rows, int partitions) {
    // patient id -> every (batch, position, slice) it fills; oversampled patients fill several.
    Map<String, List<int[]>> slots = new HashMap<>();
    for (int b = 0; b < plan.size(); b++) {
      List<Slot> batch = plan.get(b);
      for (int i = 0; i < batch.size(); i++) {
        slots.computeIfAbsent(batch.get(i).patientId(), k -> new ArrayList<>()).add(new int[] {b, i, batch.get(i).slice()});
      }
    }
    Broadcast<Map<String, List<int[]>>> where = jsc.broadcast(slots);
    return examples
        .filter(t -> where.value().containsKey(t._1()))
        .flatMapToPair(t -> {
          // Rows are cut here, so that a 2D patient's whole tensor is not shuffled once per slice.
          List<Tuple2<Integer, Tuple2<Integer, float[][]>>> out = new ArrayList<>();
          Patient patient = rows.of(t._2());
          for (int[] s : where.value().get(t._1())) {
            out.add(new Tuple2<>(s[0], new Tuple2<>(s[1], patient.row(s[2]))));
          }
          return out.iterator();
        })
        .groupByKey(new HashPartitioner(Math.max(1, Math.min(partitions, plan.size()))))
        .map(group -> toDataSet(group._2()))
        .persist(TrainingMasters.BATCH_STORAGE);
  }

  static DataSet toDataSet(Iterable<Tuple2<Integer, float[][]>> members) {
    List<Tuple2<Integer, float[][]>> list = new ArrayList<>();
    members.forEach(list::add);
    list.sort((a, b) -> Integer.compare(a._1(), b._1()));
    int n = list.size();
    int fl = list.get(0)._2()[0].length;
    int ll = list.get(0)._2()[1].length;
    float[] features = new float[n * fl];
    float[] labels = new float[n * ll];
    for (int i = 0; i < n; i++) {
      System.arraycopy(list.get(i)._2()[0], 0, features, i * fl, fl);
      System.arraycopy(list.get(i)._2()[1], 0, labels, i * ll, ll);
    }
    return new DataSet(Nd4j.create(features, new long[] {n, fl}, 'c'), Nd4j.create(labels, new long[] {n, ll}, 'c'));
  }
}
