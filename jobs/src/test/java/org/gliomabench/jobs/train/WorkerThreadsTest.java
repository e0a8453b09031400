package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.gliomabench.core.model.NativeBackend;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The worker hook caps the OpenMP threads of the thread it runs on, and only that thread. */
class WorkerThreadsTest {

  @Test
  void capsTheCallingThreadOnly() throws Exception {
    NativeBackend.configure();
    Nd4j.create(1);
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = ops.ompGetMaxThreads();
    assertTrue(before >= 2, "the test machine gives ND4J at least 2 threads, got " + before);

    int[] seen = CompletableFuture.supplyAsync(() -> {
      int first = ops.ompGetMaxThreads();
      new WorkerThreads(1).preUpdate((org.nd4j.linalg.dataset.api.DataSet) null, null);
      return new int[] {first, ops.ompGetMaxThreads()};
    }).get();

    assertEquals(before, seen[0], "a new thread starts with ND4J's default");
    assertEquals(1, seen[1], "the worker thread is capped");
    assertEquals(before, ops.ompGetMaxThreads(), "the calling (driver) thread keeps its threads");
  }

  @Test
  void rejectsFewerThanOneThread() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerThreads(0));
  }
}
