package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Inference over patients on the executors, streaming like training: the task data are only the patients
 * (ids, labels, crop boxes) in chunks of a minibatch; each task reads its chunks' tensors from the
 * {@link TensorStore} one chunk at a time. Tasks spread over the cluster's cores.
 */
public final class Inference {
  private Inference() {}

  /**
   * @param chunk patients per minibatch
   * @param run what a task does with its chunks (build the network once, then score chunk by chunk)
   */
  public static <R> JavaRDD<R> over(JavaSparkContext jsc, List<TrainingVolumes.Patient> patients, int chunk,
      FlatMapFunction<Iterator<List<TrainingVolumes.Patient>>, R> run) {
    List<List<TrainingVolumes.Patient>> chunks = new ArrayList<>();
    for (int i = 0; i < patients.size(); i += Math.max(1, chunk)) {
      chunks.add(new ArrayList<>(patients.subList(i, Math.min(patients.size(), i + Math.max(1, chunk)))));
    }
    int partitions = Math.max(1, Math.min(chunks.size(), jsc.defaultParallelism()));
    return jsc.parallelize(chunks, partitions).mapPartitions(run);
  }
}
