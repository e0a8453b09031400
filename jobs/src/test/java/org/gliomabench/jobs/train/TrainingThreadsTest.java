package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rounds run one after another reuse one training thread; failures and cancellations reach the caller. */
class TrainingThreadsTest {

  @Test
  void consecutiveRoundsRunOnTheSameTrainingThreadWhicheverThreadAsks() throws Exception {
    AtomicReference<String> first = new AtomicReference<>();
    Thread a = new Thread(() -> {
      try {
        first.set(TrainingThreads.run(() -> Thread.currentThread().getName()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    a.start();
    a.join();
    String second = TrainingThreads.run(() -> Thread.currentThread().getName());
    assertTrue(first.get().startsWith("glioma-bench-training-"), first.get());
    assertEquals(first.get(), second, "the idle training thread takes the next round");
  }

  @Test
  void aFailureIsRethrownAsItself() {
    IOException e = assertThrows(IOException.class, () -> TrainingThreads.run(() -> {
      throw new IOException("tensor file missing");
    }));
    assertEquals("tensor file missing", e.getMessage());
    assertThrows(OutOfMemoryError.class, () -> TrainingThreads.run(() -> {
      throw new OutOfMemoryError("Physical memory usage is too high");
    }));
  }

  @Test
  void interruptingTheTaskInterruptsItsTrainingThread() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Exception> thrown = new AtomicReference<>();
    Thread task = new Thread(() -> {
      try {
        TrainingThreads.run(() -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            interrupted.set(true);
          } finally {
            ended.countDown();
          }
          return null;
        });
      } catch (Exception e) {
        thrown.set(e);
      }
    });
    task.start();
    assertTrue(started.await(10, TimeUnit.SECONDS));
    task.interrupt(); // as Spark does when it kills a task
    task.join(10_000);
    assertTrue(ended.await(10, TimeUnit.SECONDS), "the training thread stopped");
    assertTrue(interrupted.get(), "the training thread was interrupted");
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
  }
}
