package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference over patients on the executors, streaming like training: the task data are only the patients
 * (ids, labels, crop boxes) in chunks of a minibatch; each task reads its chunks' tensors from the
 * {@link TensorStore} one chunk at a time. Tasks spread over the cluster's cores; each frees its thread's DL4J
 * workspaces when done.
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
    return jsc.parallelize(chunks, partitions).mapPartitions(part -> {
      try {
        List<R> out = new ArrayList<>();
        run.call(part).forEachRemaining(out::add);
        return out.iterator();
      } finally {
        // The forward passes' workspaces (the CNN's first convolution alone outputs 0.8 GB at batch 16) would stay
        // with this task thread, idle, while the next epoch trains; scoring learns them again next time.
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
      }
    });
  }
}
