package org.gliomabench.jobs.warehouse;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations the commit lock and the claims are built on, atomic where the file system allows: on a
 * POSIX file system (a local disk, or the shared parallel file system of an HPC cluster) through hard links and
 * rename(2); on HDFS through its rename, which refuses an existing target. A lock file appears whole or not at all.
 */
final class LockFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LockFiles.class);

  /** Touches the files of held locks and claims (their heartbeat). */
  static final java.util.concurrent.ScheduledExecutorService HEARTBEAT =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "glioma-bench-warehouse-heartbeat");
        t.setDaemon(true);
        return t;
      });

  private LockFiles() {}

  /** Local files through the raw file system: no checksum side files beside the lock and claim files. */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof org.apache.hadoop.fs.LocalFileSystem l ? l.getRaw() : fs;
  }

  static boolean local(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  private static java.nio.file.Path nio(FileSystem fs, Path p) {
    return Paths.get(fs.makeQualified(p).toUri());
  }

  /** Creates {@code path} holding {@code content} unless it exists; false when it does. */
  static boolean createExclusive(FileSystem fs, Path path, byte[] content) throws IOException {
    Path tmp = new Path(path.getParent(), "." + path.getName() + "-" + UUID.randomUUID());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(content);
    }
    try {
      if (local(fs)) {
        try {
          Files.createLink(nio(fs, path), nio(fs, tmp));
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        }
      }
      return fs.rename(tmp, path);
    } finally {
      fs.delete(tmp, false);
    }
  }

  /** The file's bytes, or null when it is gone. */
  static byte[] read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** Milliseconds since the file was last touched, or -1 when it is gone. */
  static long ageMillis(FileSystem fs, Path path) throws IOException {
    try {
      return Math.max(0, System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime());
    } catch (FileNotFoundException e) {
      return -1;
    }
  }

  static void touch(FileSystem fs, Path path) {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException e) {
      LOG.warn("cannot touch {}: {}", path, e.toString());
    }
  }

  /**
   * Removes {@code path} if it still holds {@code expected}. It is moved aside first, so that of several processes
   * that judged the same file dead only one removes it, and one that finds another's fresh file there puts it back.
   */
  static boolean removeIf(FileSystem fs, Path path, byte[] expected) throws IOException {
    Path aside = new Path(path.getParent(), "." + path.getName() + ".removed-" + UUID.randomUUID());
    if (local(fs)) {
      try {
        Files.move(nio(fs, path), nio(fs, aside), StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        return false;
      }
    } else if (!fs.rename(path, aside)) {
      return false;
    }
    byte[] moved = read(fs, aside);
    if (moved != null && Arrays.equals(moved, expected)) {
      fs.delete(aside, false);
      return true;
    }
    // Another process replaced it in between: put its file back unless a third one has created a new one.
    boolean restored = local(fs) ? restoreLocal(fs, aside, path) : fs.rename(aside, path);
    if (!restored) {
      LOG.warn("{} changed while it was being removed and could not be put back", path);
    }
    fs.delete(aside, false);
    return false;
  }

  private static boolean restoreLocal(FileSystem fs, Path aside, Path path) throws IOException {
    try {
      Files.createLink(nio(fs, path), nio(fs, aside));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }
}
