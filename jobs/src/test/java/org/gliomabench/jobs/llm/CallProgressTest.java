package org.gliomabench.jobs.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.util.LongAccumulator;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple4;
import scala.collection.JavaConverters;

/** The progress of calls still running in tasks: Spark's heartbeat events, as the listener bus delivers them. */
class CallProgressTest {

  private static SparkListenerExecutorMetricsUpdate heartbeat(long task, LongAccumulator done, long d, LongAccumulator ok,
      long o) {
    List<AccumulableInfo> infos = List.of(done.toInfo(Option.apply(d), Option.empty()), ok.toInfo(Option.apply(o), Option.empty()));
    Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> t =
        new Tuple4<>(task, 0, 0, JavaConverters.asScalaBuffer(infos).toSeq());
    return new SparkListenerExecutorMetricsUpdate("1", JavaConverters.asScalaBuffer(List.of(t)).toSeq(),
        scala.collection.immutable.Map$.MODULE$.empty());
  }

  @Test
  void callsOfRunningTasksCountBeforeTheirPartitionEndsAndTheRateDoesNotSagBetweenHeartbeats() throws Exception {
    SparkContext sc = SharedSpark.session().sparkContext();
    LongAccumulator done = sc.longAccumulator("done");
    LongAccumulator ok = sc.longAccumulator("ok");
    LongAccumulator failed = sc.longAccumulator("failed");
    try (CallProgress p = new CallProgress(sc, "test", 100, done, ok, failed, 3600)) {
      p.onExecutorMetricsUpdate(heartbeat(1, done, 3, ok, 3));
      p.onExecutorMetricsUpdate(heartbeat(2, done, 4, ok, 3));
      assertArrayEquals(new long[] {7, 6, 0}, p.counts());
      p.onExecutorMetricsUpdate(heartbeat(2, done, 2, ok, 2)); // an older heartbeat arriving late never lowers a count
      assertArrayEquals(new long[] {7, 6, 0}, p.counts());
      Thread.sleep(200);
      String first = p.line();
      assertTrue(first.startsWith("test: 7/100 calls (7 %), 6 answered"), first);
      Thread.sleep(400);
      String later = p.line();
      assertEquals(rate(first), rate(later), "no new calls reported: the rate stays what it was, " + first + " / " + later);
      assertTrue(eta(later) <= eta(first), first + " / " + later);
    }
  }

  private static double rate(String line) {
    Matcher m = Pattern.compile("([0-9.]+) calls/s").matcher(line);
    assertTrue(m.find(), line);
    return Double.parseDouble(m.group(1));
  }

  private static long eta(String line) {
    Matcher m = Pattern.compile("ETA ([0-9]+) s").matcher(line);
    assertTrue(m.find(), line);
    return Long.parseLong(m.group(1));
  }
}
