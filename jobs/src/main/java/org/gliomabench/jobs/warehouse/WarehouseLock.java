package org.gliomabench.jobs.warehouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per warehouse at a time: {@code <warehouse>/_lock}, created atomically where the file system
 * creates atomically (HDFS; on a local disk between processes of one machine it is check-then-create), naming
 * its holder, and touched every {@link #HEARTBEAT_SECONDS} s while held. A second run (a nightly rerun that
 * starts while the last one still runs) waits up to {@code warehouse.lock.wait.seconds} for it and then refuses
 * with a message naming the holder. A lock whose holder stopped touching it (killed, machine lost) for
 * {@code warehouse.lock.stale.seconds} is taken over with a warning.
 */
public final class WarehouseLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseLock.class);
  public static final String NAME = "_lock";
  static final int HEARTBEAT_SECONDS = 30;

  /** The warehouse is held by another run and the wait ran out. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message);
    }
  }

  private final FileSystem fs;
  private final Path path;
  private final ScheduledExecutorService heartbeat;
  private boolean released;

  private WarehouseLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "glioma-bench-warehouse-lock");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::touch, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Takes the lock of the warehouse at {@code root}.
   *
   * @param holder what holds it, for whoever is refused (run id and command)
   * @throws BusyException when another live holder keeps it beyond {@code waitSeconds}
   */
  public static WarehouseLock acquire(FileSystem fs, String root, String holder, long waitSeconds, long staleSeconds) {
    Path path = new Path(root, NAME);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, waitSeconds));
    boolean told = false;
    try {
      fs.mkdirs(new Path(root));
      while (true) {
        if (create(fs, path, holder)) {
          return new WarehouseLock(fs, path);
        }
        FileStatus st;
        try {
          st = fs.getFileStatus(path);
        } catch (java.io.FileNotFoundException gone) {
          continue; // released between our two looks
        }
        String other = read(fs, path);
        long idle = (System.currentTimeMillis() - st.getModificationTime()) / 1000;
        if (idle > staleSeconds) {
          LOG.warn("warehouse {}: taking over a stale lock ({}; not touched for {} s, more than "
              + "warehouse.lock.stale.seconds={})", root, other, idle, staleSeconds);
          fs.delete(path, false);
          continue;
        }
        if (System.nanoTime() >= deadline) {
          throw new BusyException("the warehouse " + root + " is in use by " + other + " (lock " + path
              + ", touched " + idle + " s ago). Wait for it to finish, or let this run wait with --set "
              + "warehouse.lock.wait.seconds=N; a lock whose holder died is taken over after "
              + "warehouse.lock.stale.seconds=" + staleSeconds + " s");
        }
        if (!told) {
          LOG.info("warehouse {}: in use by {}; waiting up to {} s", root, other, waitSeconds);
          told = true;
        }
        Thread.sleep(Math.min(5_000, Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the warehouse lock " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the warehouse lock " + path, e);
    }
  }

  /** A description of this process for the lock file: holder, host, pid, since. */
  public static String describe(String holder) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return holder + " on " + host + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", since "
        + Instant.now() + ")";
  }

  private static boolean create(FileSystem fs, Path path, String holder) throws IOException {
    if (fs.exists(path)) {
      return false;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(holder.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static String read(FileSystem fs, Path path) {
    try (InputStream in = fs.open(path); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      String s = out.toString(StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "another run" : s;
    } catch (IOException e) {
      return "another run";
    }
  }

  private void touch() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException e) {
      LOG.warn("cannot touch the warehouse lock {}: {}", path, e.toString());
    }
  }

  /** Releases the lock (idempotent). */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    heartbeat.shutdownNow();
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      LOG.warn("cannot remove the warehouse lock {}: {}; it goes stale in time", path, e.toString());
    }
  }
}
