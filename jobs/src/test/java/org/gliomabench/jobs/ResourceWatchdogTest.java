package org.gliomabench.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** A job counts as starved only while work waits and no task runs, continuously, for longer than the limit. */
class ResourceWatchdogTest {
  @Test
  void starvesOnlyAfterTheLimitWithWorkWaitingAndNothingRunning() {
    ResourceWatchdog.Starvation s = new ResourceWatchdog.Starvation(10_000);
    assertFalse(s.starved(true, 0, 0));
    assertFalse(s.starved(true, 0, 9_000));
    assertTrue(s.starved(true, 0, 10_001));
  }

  @Test
  void aRunningTaskOrNoWorkStartsTheWaitAgain() {
    ResourceWatchdog.Starvation s = new ResourceWatchdog.Starvation(10_000);
    assertFalse(s.starved(true, 0, 0));
    assertFalse(s.starved(true, 1, 8_000)); // an executor came and took a task
    assertFalse(s.starved(true, 0, 12_000));
    assertFalse(s.starved(false, 0, 20_000)); // the driver works alone between jobs
    assertFalse(s.starved(true, 0, 25_000));
    assertFalse(s.starved(true, 0, 35_000));
    assertTrue(s.starved(true, 0, 35_001));
  }

  @Test
  void theMessageNamesEverySettingThatDecidesWhereTasksCanRun() {
    String m = ResourceWatchdog.message(new SparkConf().set("spark.executor.memory", "64g")
        .set("spark.task.resource.gpu.amount", "1"), "spark://127.0.0.1:7077", 0, 180);
    for (String s : new String[] {"spark.executor.memory=64g", "spark.executor.cores", "spark.executor.memoryOverhead",
        "spark.task.resource.gpu.amount=1", "spark.driver.memory", "cluster.executors.wait.seconds", "180 s",
        "spark://127.0.0.1:7077", "0 executor(s)"}) {
      assertTrue(m.contains(s), "names " + s + ": " + m);
    }
  }
}
