package org.gliomabench.jobs.train;

import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files through which parameter averaging ships large arrays ({@link PackedNDArray} with an exchange folder):
 * one file of raw bytes per array, under a folder the driver and every executor can reach (the training copy's
 * file system), removed by the training master once a round is averaged. Local folders are written without
 * Hadoop's checksum files: the bytes live for one round.
 */
final class ExchangeFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeFiles.class);
  private static volatile Configuration hadoop;

  private ExchangeFiles() {}

  /** Writes {@code data}'s remaining bytes to a new file in {@code dir}; returns its path. */
  static String write(String dir, ByteBuffer data) throws IOException {
    Path p = new Path(dir, UUID.randomUUID() + ".bin");
    try (OutputStream out = fs(p).create(p, true)) {
      PackedNDArray.copy(data, out);
    }
    return p.toString();
  }

  /** Fills {@code data}'s remaining bytes from the file {@link #write} wrote. */
  static void read(String path, ByteBuffer data) throws IOException {
    Path p = new Path(path);
    FileSystem fs = fs(p);
    try {
      long length = fs.getFileStatus(p).getLen();
      if (length != data.remaining()) {
        throw new IOException("shipped array file " + path + " has " + length + " bytes, not " + data.remaining());
      }
      try (DataInputStream in = new DataInputStream(fs.open(p))) {
        PackedNDArray.copy(in, data);
      }
    } catch (FileNotFoundException e) {
      throw new IOException("shipped array file " + path + " is gone: a round's files are removed once it is "
          + "averaged, and the exchange folder must be one the driver and all executors share", e);
    }
  }

  /** Removes a folder of exchange files; a failure is logged, not thrown (the next run's sweep retries). */
  static void delete(String dir) {
    if (dir == null) {
      return;
    }
    Path p = new Path(dir);
    try {
      fs(p).delete(p, true);
    } catch (IOException e) {
      LOG.warn("could not remove the exchange files under {}: {}", dir, e.toString());
    }
  }

  /**
   * Removes what runs that ended without cleaning up left under {@code root} (killed drivers): folders older than
   * {@code olderThanMs}. The warehouse lock keeps two runs from sharing the root.
   */
  static void sweep(String root, long olderThanMs) {
    Path p = new Path(root);
    try {
      FileSystem fs = fs(p);
      if (!fs.exists(p)) {
        return;
      }
      long cutoff = System.currentTimeMillis() - olderThanMs;
      for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(p)) {
        if (s.getModificationTime() < cutoff) {
          fs.delete(s.getPath(), true);
          LOG.info("removed exchange files an earlier run left: {}", s.getPath());
        }
      }
    } catch (IOException e) {
      LOG.warn("could not sweep the exchange files under {}: {}", root, e.toString());
    }
  }

  private static FileSystem fs(Path p) throws IOException {
    FileSystem fs = p.getFileSystem(hadoop());
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** This JVM's Hadoop configuration: Spark's (with its spark.hadoop.* settings) where Spark runs. */
  private static Configuration hadoop() {
    Configuration c = hadoop;
    if (c == null) {
      SparkEnv env = SparkEnv.get();
      c = env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
      hadoop = c;
    }
    return c;
  }
}
