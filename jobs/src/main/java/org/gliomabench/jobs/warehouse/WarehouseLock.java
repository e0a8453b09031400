package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse's commit lock, {@code <warehouse>/_lock}: held only while a commit moves finished files into
 * place, or while a reader lists a table, so for seconds, never for a whole run. Writers of different folds,
 * arms or runs work side by side and take turns here (what one writer may write is decided by its claims,
 * {@link Claims}). The lock file names its {@link Holder} and is created atomically ({@link LockFiles}); the holder
 * touches it every quarter of {@code warehouse.lock.stale.seconds}. A lock whose holder is gone is taken over: at
 * once when the holder ran on this host (its pid is not running), after {@code warehouse.lock.stale.seconds}
 * without a heartbeat when it ran on another. Threads of one process take turns on an in-process lock first.
 */
public final class WarehouseLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseLock.class);
  public static final String NAME = "_lock";
  private static final Map<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  /** The warehouse (its commit lock, or a claim) is held by another run and the wait ran out, or may not wait. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message);
    }
  }

  private final FileSystem fs;
  private final Path path;
  private final byte[] content;
  private final ReentrantLock local;
  private final ScheduledFuture<?> heartbeat;
  private boolean released;

  private WarehouseLock(FileSystem fs, Path path, byte[] content, ReentrantLock local, long staleSeconds) {
    this.fs = fs;
    this.path = path;
    this.content = content;
    this.local = local;
    long every = Math.max(250, TimeUnit.SECONDS.toMillis(staleSeconds) / 4);
    this.heartbeat = content == null ? null
        : LockFiles.HEARTBEAT.scheduleWithFixedDelay(() -> LockFiles.touch(fs, path), every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the commit lock of the warehouse at {@code root} (a thread that holds it already gets it again).
   *
   * @throws BusyException when another live holder keeps it beyond {@code waitSeconds}
   */
  public static WarehouseLock acquire(FileSystem warehouseFs, String root, Holder holder, long waitSeconds,
      long staleSeconds) {
    FileSystem fs = LockFiles.raw(warehouseFs);
    Path path = new Path(root, NAME);
    ReentrantLock local = IN_PROCESS.computeIfAbsent(fs.makeQualified(path).toString(), k -> new ReentrantLock());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, waitSeconds));
    try {
      if (local.isHeldByCurrentThread()) {
        local.lock();
        return new WarehouseLock(fs, path, null, local, staleSeconds);
      }
      if (!local.tryLock(Math.max(0, waitSeconds), TimeUnit.SECONDS)) {
        throw new BusyException("the warehouse " + root + " is being committed to by another thread of this process"
            + " for more than warehouse.lock.wait.seconds=" + waitSeconds);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the warehouse lock " + path, e);
    }
    try {
      byte[] content = holder.serialize().getBytes(StandardCharsets.UTF_8);
      fs.mkdirs(new Path(root));
      long pause = 20;
      boolean told = false;
      while (true) {
        if (LockFiles.createExclusive(fs, path, content)) {
          return new WarehouseLock(fs, path, content, local, staleSeconds);
        }
        byte[] seen = LockFiles.read(fs, path);
        long age = LockFiles.ageMillis(fs, path);
        if (seen == null || age < 0) {
          continue; // released between our looks
        }
        Holder other = Holder.parse(seen);
        // No other thread of this process holds it (the in-process lock): one naming this process was left behind.
        String gone = other != null && other.isThisProcess() ? "left behind by this process" : gone(other, age, staleSeconds);
        if (gone != null) {
          if (LockFiles.removeIf(fs, path, seen)) {
            LOG.warn("warehouse {}: took over the commit lock of {}: {}", root, other == null ? "an unreadable holder"
                : other, gone);
          }
          continue;
        }
        if (System.nanoTime() >= deadline) {
          throw new BusyException("the warehouse " + root + " is being committed to by " + other + " (lock " + path
              + ", touched " + age / 1000 + " s ago) and the wait of warehouse.lock.wait.seconds=" + waitSeconds
              + " ran out. A commit takes seconds: a holder that keeps it longer hangs. A lock whose holder is gone is "
              + "taken over at once on its own host, and after warehouse.lock.stale.seconds=" + staleSeconds
              + " without a heartbeat from another host");
        }
        if (!told && pause >= 500) {
          LOG.info("warehouse {}: waiting for the commit of {}", root, other);
          told = true;
        }
        Thread.sleep(pause);
        pause = Math.min(1_000, pause * 2);
      }
    } catch (IOException e) {
      local.unlock();
      throw new UncheckedIOException("cannot take the warehouse lock " + path, e);
    } catch (RuntimeException | Error e) {
      local.unlock();
      throw e;
    } catch (InterruptedException e) {
      local.unlock();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the warehouse lock " + path, e);
    }
  }

  /**
   * Why a lock (or claim) file's holder counts as gone, or null while it may live: its process is not running on
   * this host, or it ran on another host and its heartbeat stopped {@code staleSeconds} ago.
   */
  static String gone(Holder holder, long ageMillis, long staleSeconds) {
    if (holder != null && holder.knownDead()) {
      return "its process (pid " + holder.pid() + " on this host) is gone";
    }
    if (holder != null && holder.sameHost()) {
      return null;
    }
    if (ageMillis > TimeUnit.SECONDS.toMillis(staleSeconds)) {
      return "no heartbeat for " + ageMillis / 1000 + " s (warehouse.lock.stale.seconds=" + staleSeconds + ")";
    }
    return null;
  }

  /** Releases the lock (idempotent). */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      if (content != null) {
        heartbeat.cancel(false);
        if (!LockFiles.removeIf(fs, path, content)) {
          LOG.warn("the warehouse lock {} was no longer ours when released", path);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the warehouse lock {}: {}; it is taken over once its holder is gone", path, e.toString());
    } finally {
      local.unlock();
    }
  }
}
