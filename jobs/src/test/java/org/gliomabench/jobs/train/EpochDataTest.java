package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.train.BalancedBatches;
import org.gliomabench.core.train.FoldSplit;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch streams from the training copy: averaging rounds of one partition per worker, every planned minibatch
 * exactly once in the planned order, each row a patient's tensor with its label; the copy is written once per
 * version of the volumes table.
 */
class EpochDataTest {
  private static final int[] SHAPE = {4, 4, 4, 4};

  @TempDir
  Path tmp;

  @Test
  void roundsDealEveryPlannedMinibatchOnceInOrderWithEachPatientsTensor() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<PhantomVolumes.Patient> patients = PhantomVolumes.cohort(30, 0.25);
    PhantomVolumes.write(spark, tmp.toString(), "b", SHAPE, patients);
    TrainingVolumes v = TrainingVolumes.load(new Warehouse(spark, tmp.toString()), "train-cnn", TrainingVolumes.LABELLED, "");
    FoldSplit split = FoldSplit.of(v.members(), 1);
    Map<String, Integer> labels = v.labels();
    List<List<EpochData.Slot>> plan = new ArrayList<>();
    for (List<String> b : BalancedBatches.plan(split.train(), 6, 99)) {
      plan.add(b.stream().map(id -> new EpochData.Slot(id, labels.get(id), -1)).toList());
    }
    TensorStore store = v.store();
    EpochData.Rows rows = org.gliomabench.jobs.cnn.CnnTrainer.rows(SHAPE); // the tensor, then the label
    List<JavaRDD<List<EpochData.Slot>>> rounds = EpochData.rounds(jsc, plan, 2, 3);
    assertEquals((plan.size() + 5) / 6, rounds.size(), "rounds of 2 workers x 3 minibatches, the last one partial");
    List<List<EpochData.Slot>> seen = new ArrayList<>();
    for (JavaRDD<List<EpochData.Slot>> round : rounds) {
      assertEquals(2, round.getNumPartitions(), "one partition per worker");
      List<List<List<EpochData.Slot>>> perWorker = round.glom().collect();
      // Worker w gets batches w, w + 2, w + 4 of the round: interleave them back into the planned order.
      for (int i = 0; i < perWorker.get(0).size() + perWorker.get(1).size(); i++) {
        seen.add(perWorker.get(i % 2).get(i / 2));
      }
      List<DataSet> loaded = round.mapPartitions(b -> EpochData.load(b, store, rows)).collect();
      long hgg = 0;
      long total = 0;
      for (DataSet ds : loaded) {
        int n = ds.numExamples();
        long pos = Math.round(ds.getLabels().sumNumber().doubleValue());
        assertTrue(Math.abs(2 * pos - n) <= 1, "balanced minibatch: " + pos + " HGG of " + n);
        assertEquals(4 * 4 * 4 * 4, ds.getFeatures().columns());
        hgg += pos;
        total += n;
      }
      assertTrue(total > 0 && hgg > 0);
    }
    assertEquals(plan, seen, "every planned minibatch once, in the planned order");
    // A row is the tensor of its planned patient, with that patient's label.
    EpochData.Slot first = plan.get(0).get(0);
    DataSet batch = EpochData.load(List.of(plan.get(0)).iterator(), store, rows).next();
    PhantomVolumes.Patient p = patients.stream().filter(x -> x.id().equals(first.patientId())).findFirst().orElseThrow();
    assertArrayEquals(PhantomVolumes.volume(SHAPE, p.label(), p.id().hashCode()), batch.getFeatures().getRow(0).toFloatVector());
    assertEquals(p.label(), batch.getLabels().getInt(0, 0));
  }

  @Test
  void theTrainingCopyIsWrittenOncePerVersionAndAReplacedCopyStaysUntilNoJobHasUsedItForAnHour() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse wh = new Warehouse(spark, tmp.toString());
    PhantomVolumes.write(spark, tmp.toString(), "a", SHAPE, PhantomVolumes.cohort(10, 0.3));
    TensorStore first = TensorStore.of(wh, "");
    File copy = new File(new java.net.URI(first.dir()));
    File tensor = java.util.Arrays.stream(copy.listFiles()).filter(f -> f.isFile() && !f.getName().startsWith("_")
        && !f.getName().startsWith(".")).findFirst().orElseThrow();
    long written = tensor.lastModified();
    File complete = new File(copy, "_COMPLETE");
    complete.setLastModified(System.currentTimeMillis() - 60_000);
    long before = complete.lastModified();
    Thread.sleep(20);
    assertEquals(first.dir(), TensorStore.of(wh, "").dir(), "the same table: the same copy");
    assertEquals(written, tensor.lastModified(), "not written again");
    assertTrue(complete.lastModified() > before, "marked as in use by the job that opened it");
    PhantomVolumes.write(spark, tmp.toString(), "b", SHAPE, PhantomVolumes.cohort(12, 0.3));
    TensorStore second = TensorStore.of(wh, "");
    assertNotEquals(first.dir(), second.dir(), "a new table: a new copy");
    assertTrue(copy.exists(), "the replaced table's copy stays while a job may still read it");
    complete.setLastModified(System.currentTimeMillis() - java.util.concurrent.TimeUnit.HOURS.toMillis(2));
    PhantomVolumes.write(spark, tmp.toString(), "c", SHAPE, PhantomVolumes.cohort(11, 0.3));
    TensorStore third = TensorStore.of(wh, "");
    assertNotEquals(second.dir(), third.dir());
    assertTrue(!copy.exists(), "a copy no job has used for an hour is removed");
    assertTrue(new File(new java.net.URI(second.dir())).exists(), "the copy used a moment ago stays");
  }
}
