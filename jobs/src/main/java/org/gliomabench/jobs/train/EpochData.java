package org.gliomabench.jobs.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An epoch's minibatches as the workers consume them: read from the {@link TensorStore} on the executor, one
 * planned minibatch at a time, in the planned order, with no shuffle and no cache. Parameter averaging trains in
 * rounds: each round is an RDD of one partition per worker, whose elements are that worker's minibatches of the
 * round (round r, worker w: planned batches r*W*F + w, + W, ... for F = the averaging frequency), so every
 * planned minibatch is trained on exactly once. Each DataSet holds flat features [n, F] and labels [n, L]
 * (DL4J cannot merge rank-5 examples) built off the heap.
 */
public final class EpochData {
  private EpochData() {}

  /** One training example of a batch: a patient's volume ({@code slice} -1) or one of its axial slices. */
  public record Slot(String patientId, int label, int slice) implements Serializable {}

  /** How an arm writes an example's training row, reading what it needs from the store. */
  public interface Rows extends Serializable {
    int featureLength();

    int labelLength();

    /**
     * Writes the example's features into {@code features} (positioned at its row, featureLength() values, every
     * one of them: the array is not zeroed) and its labels into {@code labels}.
     */
    void write(TensorStore store, Slot slot, FloatBuffer features, float[] labels) throws IOException;
  }

  /** {@code slots} shuffled by {@code seed} and cut into minibatches of {@code batchSize} (the last may be smaller). */
  public static List<List<Slot>> shuffledBatches(List<Slot> slots, int batchSize, long seed) {
    List<Slot> order = new ArrayList<>(slots);
    java.util.Collections.shuffle(order, new java.util.Random(seed));
    List<List<Slot>> batches = new ArrayList<>();
    for (int i = 0; i < order.size(); i += batchSize) {
      batches.add(List.copyOf(order.subList(i, Math.min(order.size(), i + batchSize))));
    }
    return batches;
  }

  /** The rounds of parameter averaging over {@code plan}: round r's RDD has one partition per worker. */
  public static List<JavaRDD<List<Slot>>> rounds(JavaSparkContext jsc, List<List<Slot>> plan, int workers,
      int averagingFrequency) {
    return rounds(jsc, plan, workers, averagingFrequency, List.of());
  }

  /**
   * {@link #rounds(JavaSparkContext, List, int, int)} whose worker w prefers executor {@code locations[w mod n]}
   * (Spark's {@code executor_<host>_<id>}; empty: anywhere), so that a fold trained beside others keeps to its own.
   */
  public static List<JavaRDD<List<Slot>>> rounds(JavaSparkContext jsc, List<List<Slot>> plan, int workers,
      int averagingFrequency, List<String> locations) {
    int perRound = workers * averagingFrequency;
    List<JavaRDD<List<Slot>>> rounds = new ArrayList<>();
    for (int start = 0; start < plan.size(); start += perRound) {
      List<List<List<Slot>>> dealt = dealt(plan.subList(start, Math.min(plan.size(), start + perRound)), workers);
      rounds.add((locations.isEmpty() ? jsc.parallelize(dealt, workers) : placed(jsc, dealt, locations))
          .flatMap(List::iterator));
    }
    return rounds;
  }

  /** One partition per element, element i preferring {@code locations[i mod n]}. */
  private static JavaRDD<List<List<Slot>>> placed(JavaSparkContext jsc, List<List<List<Slot>>> perWorker,
      List<String> locations) {
    List<scala.Tuple2<List<List<Slot>>, scala.collection.Seq<String>>> placed = new ArrayList<>();
    for (int w = 0; w < perWorker.size(); w++) {
      placed.add(new scala.Tuple2<>(perWorker.get(w), scala.collection.JavaConverters
          .asScalaBuffer(List.of(locations.get(w % locations.size()))).toSeq()));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    scala.reflect.ClassTag<List<List<Slot>>> tag = (scala.reflect.ClassTag) scala.reflect.ClassTag$.MODULE$.apply(List.class);
    return jsc.sc().makeRDD(scala.collection.JavaConverters.asScalaBuffer(placed).toSeq(), tag).toJavaRDD();
  }

  /** The whole epoch dealt over the workers (one partition each), for a master that takes the epoch at once. */
  public static JavaRDD<List<Slot>> whole(JavaSparkContext jsc, List<List<Slot>> plan, int workers) {
    return jsc.parallelize(dealt(plan, workers), workers).flatMap(List::iterator);
  }

  /** Batch i goes to worker i mod W, in order. Element w of the result is worker w's list. */
  static List<List<List<Slot>>> dealt(List<List<Slot>> batches, int workers) {
    List<List<List<Slot>>> perWorker = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      perWorker.add(new ArrayList<>());
    }
    for (int i = 0; i < batches.size(); i++) {
      perWorker.get(i % workers).add(new ArrayList<>(batches.get(i)));
    }
    return perWorker;
  }

  /** Reads each batch of {@code batches} into a DataSet, lazily, one at a time. */
  public static Iterator<DataSet> load(Iterator<List<Slot>> batches, TensorStore store, Rows rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public DataSet next() {
        if (!batches.hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          return batch(batches.next(), store, rows);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** One minibatch: its examples' rows, features written straight into an off-heap array. */
  static DataSet batch(List<Slot> slots, TensorStore store, Rows rows) throws IOException {
    int n = slots.size();
    int fl = rows.featureLength();
    int ll = rows.labelLength();
    INDArray features;
    INDArray labels;
    float[] l = new float[n * ll];
    float[] row = new float[ll];
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      features = Nd4j.createUninitializedDetached(DataType.FLOAT, n, fl);
      FloatBuffer buffer = features.data().asNioFloat();
      for (int i = 0; i < n; i++) {
        buffer.limit((i + 1) * fl).position(i * fl);
        rows.write(store, slots.get(i), buffer, row);
        if (buffer.position() != (i + 1) * fl) {
          throw new IllegalStateException("example " + slots.get(i) + " wrote " + (buffer.position() - i * fl)
              + " feature values, not " + fl);
        }
        System.arraycopy(row, 0, l, i * ll, ll);
      }
      labels = Nd4j.createFromArray(l).reshape(n, ll);
    }
    return new DataSet(features, labels);
  }
}
