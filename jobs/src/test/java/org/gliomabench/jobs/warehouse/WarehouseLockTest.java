package org.gliomabench.jobs.warehouse;

import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per warehouse: a second waits or refuses naming the first; a dead holder's lock goes stale. */
class WarehouseLockTest {
  @TempDir
  Path tmp;

  private FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  @Test
  void aSecondWriterIsRefusedWithTheHolderNamedUntilTheFirstReleases() throws Exception {
    String root = tmp.resolve("wh").toString();
    WarehouseLock first = WarehouseLock.acquire(fs(), root, "run nightly-1 (train-cnn)", 0, 600);
    WarehouseLock.BusyException busy = assertThrows(WarehouseLock.BusyException.class,
        () -> WarehouseLock.acquire(fs(), root, "run nightly-2 (train-cnn)", 0, 600));
    assertTrue(busy.getMessage().contains("run nightly-1 (train-cnn)"), busy.getMessage());
    assertTrue(busy.getMessage().contains("warehouse.lock.wait.seconds"), busy.getMessage());
    first.close();
    first.close(); // idempotent
    WarehouseLock.acquire(fs(), root, "run nightly-2 (train-cnn)", 0, 600).close();
  }

  @Test
  void aWaitingWriterGetsTheLockOnceTheHolderReleasesIt() throws Exception {
    String root = tmp.resolve("wh").toString();
    WarehouseLock first = WarehouseLock.acquire(fs(), root, "run a", 0, 600);
    CompletableFuture<WarehouseLock> second = CompletableFuture.supplyAsync(() -> {
      try {
        return WarehouseLock.acquire(fs(), root, "run b", 60, 600);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(1_500);
    assertTrue(!second.isDone(), "waits while the first holds it");
    first.close();
    second.get(30, TimeUnit.SECONDS).close();
  }

  @Test
  void aLockItsHolderStoppedTouchingIsTakenOver() throws Exception {
    String root = tmp.resolve("wh").toString();
    WarehouseLock.acquire(fs(), root, "run killed", 0, 600); // never released: its process "died"
    File lock = tmp.resolve("wh").resolve(WarehouseLock.NAME).toFile();
    assertTrue(lock.setLastModified(System.currentTimeMillis() - 700_000));
    WarehouseLock.acquire(fs(), root, "run next", 0, 600).close();
  }

  @Test
  void theLauncherExitsWithStatusFiveWhileAnotherRunHoldsTheWarehouse() throws Exception {
    SharedSpark.session();
    String root = tmp.resolve("wh").toString();
    try (WarehouseLock held = WarehouseLock.acquire(fs(), new File(root).toURI().toString(), "run other (study)", 0, 600)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream old = System.err;
      System.setErr(new PrintStream(err, true));
      int rc;
      try {
        rc = Main.run("aggregate", "--warehouse", root, "--run-id", "r2");
      } finally {
        System.setErr(old);
      }
      assertEquals(ExitStatus.BUSY, rc);
      assertTrue(err.toString().contains("in use by run other (study)"), err.toString());
    }
  }
}
