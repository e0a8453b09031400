package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each writer of a warehouse may write, so that concurrent writers never overwrite each other: a claim is a
 * key, {@code <table>} (a whole table), {@code <table>/<column>=<value>/...} (a partition) or a writer's scope such
 * as {@code train-cnn/run_id=R/fold=2}, held by one {@link Holder} until its command ends. Two keys conflict when
 * they are equal or one is a path prefix of the other. A writer claims a fold before training it and every
 * partition it commits (under the commit lock); a claim of another live writer refuses it with a message naming
 * both. Claims of a writer that is gone (see {@link WarehouseLock#gone}) are taken over. Files under
 * {@code <warehouse>/_claims/}, touched as a heartbeat.
 */
final class Claims {
  private static final Logger LOG = LoggerFactory.getLogger(Claims.class);
  static final String DIR = "_claims";
  /** Holders of this process that have not released their claims: another's claim naming this pid is a leftover. */
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  private final FileSystem fs;
  private final Path dir;
  private final Holder holder;
  private final long staleSeconds;
  private final byte[] content;
  /** False: {@link #claim} only checks that no live writer holds the keys (a warehouse opened outside a command). */
  private final boolean holds;
  private final Set<String> mine = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> heartbeat;

  Claims(FileSystem warehouseFs, String root, Holder holder, long staleSeconds, boolean holds) {
    this.fs = LockFiles.raw(warehouseFs);
    this.dir = new Path(root, DIR);
    this.holder = holder;
    this.staleSeconds = staleSeconds;
    this.holds = holds;
    this.content = holder.serialize().getBytes(StandardCharsets.UTF_8);
  }

  Holder holder() {
    return holder;
  }

  static boolean conflict(String a, String b) {
    return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
  }

  /**
   * Claims {@code keys} for this writer; call it holding the commit lock.
   *
   * @throws WarehouseLock.BusyException naming the live writer that holds a conflicting key
   */
  synchronized void claim(Collection<String> keys) {
    try {
      fs.mkdirs(dir);
      for (String key : keys) {
        if (mine.contains(key)) {
          continue;
        }
        for (FileStatus f : fs.listStatus(dir)) {
          String name = f.getPath().getName();
          if (name.startsWith(".")) {
            continue;
          }
          String other = URLDecoder.decode(name, StandardCharsets.UTF_8);
          if (mine.contains(other) || !conflict(key, other)) {
            continue;
          }
          byte[] seen = LockFiles.read(fs, f.getPath());
          if (seen == null) {
            continue;
          }
          Holder h = Holder.parse(seen);
          if (h != null && h.id().equals(holder.id())) {
            mine.add(other);
            continue;
          }
          String gone = h != null && h.isThisProcess() && !LIVE.contains(h.id()) ? "left behind by this process"
              : WarehouseLock.gone(h, LockFiles.ageMillis(fs, f.getPath()), staleSeconds);
          if (gone == null) {
            throw new WarehouseLock.BusyException(refusal(key, other, h));
          }
          if (LockFiles.removeIf(fs, f.getPath(), seen)) {
            LOG.warn("warehouse claim {} of {} taken over: {}", other, h == null ? "an unreadable holder" : h, gone);
          }
        }
        if (!holds) {
          continue;
        }
        Path file = new Path(dir, URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (!LockFiles.createExclusive(fs, file, content)) {
          // Only a writer without the commit lock could have made it: refuse rather than guess.
          byte[] seen = LockFiles.read(fs, file);
          Holder h = seen == null ? null : Holder.parse(seen);
          throw new WarehouseLock.BusyException(refusal(key, key, h));
        }
        mine.add(key);
        LIVE.add(holder.id());
        startHeartbeat();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim " + keys + " under " + dir, e);
    }
  }

  private String refusal(String key, String other, Holder h) {
    return holder.description() + " may not write " + key + ": " + (h == null ? "another writer" : h.toString())
        + " is writing it (claim " + other + " in " + dir + "). Two writers of the same run and fold, or of the same "
        + "table partition, would overwrite each other: wait for it to finish, or use another --run-id. A claim whose "
        + "writer is gone is taken over (at once on its host, after warehouse.lock.stale.seconds=" + staleSeconds
        + " s without a heartbeat from another host)";
  }

  private void startHeartbeat() {
    if (heartbeat == null) {
      long every = Math.max(250, TimeUnit.SECONDS.toMillis(staleSeconds) / 4);
      heartbeat = LockFiles.HEARTBEAT.scheduleWithFixedDelay(
          () -> mine.forEach(k -> LockFiles.touch(fs, new Path(dir, URLEncoder.encode(k, StandardCharsets.UTF_8)))),
          every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Releases every claim of this writer (at the end of its command). */
  synchronized void release() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
    for (String key : mine) {
      try {
        LockFiles.removeIf(fs, new Path(dir, URLEncoder.encode(key, StandardCharsets.UTF_8)), content);
      } catch (IOException e) {
        LOG.warn("cannot release the warehouse claim {}: {}; it is taken over once this process is gone", key, e.toString());
      }
    }
    mine.clear();
    LIVE.remove(holder.id());
  }
}
