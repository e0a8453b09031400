package org.gliomabench.jobs.warehouse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit lock: held for a commit, not a run; a second committer waits for it; a lock whose holder process is
 * gone is taken over at once on its host, one from another host only after its heartbeat stops.
 */
class WarehouseLockTest {
  @TempDir
  Path tmp;

  private Process other;

  @AfterEach
  void stopOther() {
    if (other != null) {
      other.destroyForcibly();
    }
  }

  private FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  /** A lock file as another process writes it. */
  private void lockHeldBy(String root, Holder holder) throws Exception {
    Files.createDirectories(Path.of(root));
    Files.write(Path.of(root, WarehouseLock.NAME), holder.serialize().getBytes(StandardCharsets.UTF_8));
  }

  /** A live process of this host (a real one: `sleep`) as the holder. */
  private Holder liveProcess(String description) throws Exception {
    other = new ProcessBuilder("sleep", "600").start();
    Holder self = Holder.self("test");
    return new Holder("other-" + other.pid(), self.host(), self.bootId(), other.pid(),
        other.info().startInstant().orElseThrow().toEpochMilli(), description);
  }

  @Test
  void aLockWhoseHolderProcessIsGoneIsTakenOverAtOnceWhileALiveHoldersLockIsWaitedFor() throws Exception {
    String root = tmp.resolve("wh").toString();
    Holder holder = liveProcess("run nightly-1 (train-cnn)");
    lockHeldBy(root, holder);
    WarehouseLock.BusyException busy = assertThrows(WarehouseLock.BusyException.class,
        () -> WarehouseLock.acquire(fs(), root, Holder.self("run nightly-2 (train-cnn)"), 1, 600));
    assertTrue(busy.getMessage().contains("run nightly-1 (train-cnn) on "), busy.getMessage());
    assertTrue(busy.getMessage().contains("warehouse.lock.wait.seconds=1"), busy.getMessage());

    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: the holder never releases its lock
    long t0 = System.nanoTime();
    WarehouseLock.acquire(fs(), root, Holder.self("run nightly-2 (train-cnn)"), 0, 600).close();
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "taken over at once, not after 600 s");
    assertFalse(new File(root, WarehouseLock.NAME).exists(), "released");
  }

  @Test
  void aLockFromAnotherHostIsTakenOverOnlyOnceItsHeartbeatStopped() throws Exception {
    String root = tmp.resolve("wh").toString();
    Holder self = Holder.self("x");
    Holder elsewhere = new Holder("node7-123-abc", "node7.cluster", "another-boot", 123, 1, "run array-3 (train-cnn)");
    lockHeldBy(root, elsewhere);
    WarehouseLock.BusyException busy = assertThrows(WarehouseLock.BusyException.class,
        () -> WarehouseLock.acquire(fs(), root, self, 0, 60));
    assertTrue(busy.getMessage().contains("run array-3 (train-cnn) on node7.cluster"), busy.getMessage());
    assertTrue(new File(root, WarehouseLock.NAME).setLastModified(System.currentTimeMillis() - 61_000));
    WarehouseLock.acquire(fs(), root, self, 0, 60).close();
  }

  @Test
  void aSecondCommitterWaitsForTheFirstAndTheLockIsHeldOnlyUntilTheCommitEnds() throws Exception {
    String root = tmp.resolve("wh").toString();
    WarehouseLock first = WarehouseLock.acquire(fs(), root, Holder.self("run a"), 0, 60);
    assertTrue(new File(root, WarehouseLock.NAME).exists());
    CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
      try (WarehouseLock lock = WarehouseLock.acquire(fs(), root, Holder.self("run b"), 60, 60)) {
        return System.nanoTime();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(1_000);
    assertFalse(second.isDone(), "waits while the first commits");
    long released = System.nanoTime();
    first.close();
    first.close(); // idempotent
    assertTrue(second.get(30, TimeUnit.SECONDS) >= released, "got it once the first let go");
    assertFalse(new File(root, WarehouseLock.NAME).exists());
  }

  @Test
  void aLockThisProcessLeftBehindIsTakenOver() throws Exception {
    String root = tmp.resolve("wh").toString();
    lockHeldBy(root, Holder.self("run crashed mid-commit"));
    WarehouseLock.acquire(fs(), root, Holder.self("run next"), 0, 600).close();
  }
}
