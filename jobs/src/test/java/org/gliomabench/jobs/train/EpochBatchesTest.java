package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.train.BalancedBatches;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The minibatches Spark builds for an epoch are the planned, balanced ones, with the right tensors. */
class EpochBatchesTest {
  @TempDir
  Path tmp;

  @Test
  void sparkMinibatchesAreBalancedAndCarryEachPatientsTensor() {
    SparkSession spark = SharedSpark.session();
    int[] shape = {4, 4, 4, 4};
    List<PhantomVolumes.Patient> patients = PhantomVolumes.cohort(30, 0.25);
    PhantomVolumes.write(spark, tmp.toString(), "b", shape, patients);
    try (TrainingVolumes v = TrainingVolumes.load(new Warehouse(spark, tmp.toString()), "train-cnn", TrainingVolumes.LABELLED)) {
      FoldSplit split = FoldSplit.of(v.members(), 1);
      List<List<String>> plan = BalancedBatches.plan(split.train(), 6, 99);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<List<EpochBatches.Slot>> slots = plan.stream()
          .map(b -> b.stream().map(id -> new EpochBatches.Slot(id, -1)).toList()).toList();
      // The CNN's rows: the tensor and the label.
      JavaRDD<DataSet> rdd = EpochBatches.build(jsc, v.examples(), slots,
          e -> slice -> new float[][] {e.floats(), {e.label()}}, 2);
      List<DataSet> batches = new ArrayList<>(rdd.collect());
      assertEquals(plan.size(), batches.size());
      // One partition per worker, dealt evenly: parameter averaging then needs no repartition.
      List<Integer> perPartition = rdd.glom().map(List::size).collect();
      assertEquals(2, perPartition.size());
      assertTrue(Math.abs(perPartition.get(0) - perPartition.get(1)) <= 1, "batches per partition " + perPartition);
      long hgg = 0;
      long total = 0;
      for (DataSet ds : batches) {
        int n = ds.numExamples();
        long pos = Math.round(ds.getLabels().sumNumber().doubleValue());
        assertTrue(Math.abs(2 * pos - n) <= 1, "balanced minibatch: " + pos + " HGG of " + n);
        assertEquals(shape[0] * shape[1] * shape[2] * shape[3], ds.getFeatures().columns());
        hgg += pos;
        total += n;
      }
      assertEquals(total, 2 * hgg, "LGG oversampled to the HGG count over the epoch");
      // Each row is the tensor of a planned patient with that patient's label.
      DataSet first = batches.stream().filter(ds -> ds.numExamples() == 6).findFirst().orElseThrow();
      float[] row = first.getFeatures().getRow(0).toFloatVector();
      int label = first.getLabels().getInt(0, 0);
      boolean found = patients.stream().anyMatch(p -> p.label() == label
          && java.util.Arrays.equals(PhantomVolumes.volume(shape, p.label(), p.id().hashCode()), row));
      assertTrue(found, "minibatch rows are patients' tensors in C order");
    }
  }
}
