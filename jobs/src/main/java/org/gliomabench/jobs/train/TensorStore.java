package org.gliomabench.jobs.train;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.Volumes;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training-ready copy of the volumes table: each patient's tensor and label mask as a file of raw bytes
 * ({@code <id>.tensor}: float32 little-endian over [C, D, H, W]; {@code <id>.mask}: uint8 over [D, H, W]), so that
 * a training worker reads exactly the examples of its next minibatch and nothing else, wherever it runs. Written
 * once per version of the volumes table (a fingerprint of its files) by a Spark job that streams the table's rows;
 * afterwards no tensor byte is shuffled or cached: every epoch and every scoring reads the files it needs.
 *
 * <p>Lives at {@code <train.tensor.dir>/<fingerprint>/} (default {@code <warehouse>/_train/tensors}), on any Hadoop
 * file system the executors share ({@code _exchange} beside the versions holds parameter averaging's files).
 * Written to a temporary folder and renamed once complete; copies of older versions of the table are removed once
 * no epoch has read them for an hour (jobs of other runs may still train on them).
 */
public final class TensorStore implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TensorStore.class);
  private static final String COMPLETE = "_COMPLETE";
  static final String TENSOR = ".tensor";
  static final String MASK = ".mask";
  private static final String EXCHANGE = "_exchange";

  private final String dir;
  private final HadoopConf hadoop;

  private TensorStore(String dir, HadoopConf hadoop) {
    this.dir = dir;
    this.hadoop = hadoop;
  }

  /** Where this version's files are. */
  public String dir() {
    return dir;
  }

  /**
   * Where parameter averaging ships its large arrays as files ({@link ExchangeFiles}): beside the versions of the
   * training copy, on the same shared file system.
   */
  public String exchangeRoot() {
    return new Path(dir).getParent() + "/" + EXCHANGE;
  }

  /**
   * The store of the warehouse's current volumes table, written first if this version has none yet.
   *
   * @param root the stores' root folder ({@code train.tensor.dir}; empty: under the warehouse)
   */
  public static TensorStore of(Warehouse warehouse, String root) {
    String base = root == null || root.isBlank() ? warehouse.root() + "/_train/tensors" : root.replaceAll("/+$", "");
    HadoopConf hadoop = new HadoopConf(warehouse.spark().sparkContext().hadoopConfiguration());
    try {
      Path volumes = new Path(warehouse.path(Volumes.NAME));
      FileSystem fs = new Path(base).getFileSystem(hadoop.get());
      String version = fingerprint(volumes.getFileSystem(hadoop.get()), volumes);
      Path target = new Path(base, version);
      TensorStore store = new TensorStore(target.toString(), hadoop);
      if (fs.exists(new Path(target, COMPLETE))) {
        store.touch();
        return store;
      }
      long t0 = System.nanoTime();
      Path tmp = new Path(base, "_tmp-" + version + "-" + UUID.randomUUID());
      String tmpDir = tmp.toString();
      warehouse.spark().sparkContext().setJobDescription("training copy of the volumes table");
      long[] written = warehouse.read(Volumes.NAME)
          .select(col(Tables.PATIENT_ID), col(Volumes.TENSOR), col(Volumes.MASK))
          .javaRDD()
          .mapPartitions(rows -> {
            FileSystem out = new Path(tmpDir).getFileSystem(hadoop.get());
            long files = 0;
            long bytes = 0;
            while (rows.hasNext()) {
              Row r = rows.next();
              String id = SparkTables.string(r, Tables.PATIENT_ID);
              byte[] tensor = SparkTables.bytes(r, Volumes.TENSOR);
              if (id == null || tensor == null) {
                continue;
              }
              bytes += write(out, new Path(tmpDir, name(id) + TENSOR), tensor);
              files++;
              byte[] mask = SparkTables.bytes(r, Volumes.MASK);
              if (mask != null) {
                bytes += write(out, new Path(tmpDir, name(id) + MASK), mask);
              }
            }
            return List.of(new long[] {files, bytes}).iterator();
          })
          .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      fs.mkdirs(tmp);
      fs.create(new Path(tmp, COMPLETE), true).close();
      if (fs.exists(new Path(target, COMPLETE))) {
        // Another job (a fold of a job array) finished the same copy first, and may be reading it: keep theirs.
        fs.delete(tmp, true);
        return store;
      }
      if (fs.exists(target)) {
        fs.delete(target, true); // an incomplete copy of the same version
      }
      if (!fs.rename(tmp, target)) {
        if (fs.exists(new Path(target, COMPLETE))) {
          fs.delete(tmp, true);
          return store;
        }
        throw new IOException("cannot move " + tmp + " to " + target);
      }
      removeOthers(fs, new Path(base), version);
      LOG.info("training copy of the volumes table: {} patients, {} MB in {} ({} s); epochs read it, nothing is "
              + "shuffled or cached", written[0], written[1] >> 20, target, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training copy of the volumes table under " + base, e);
    }
  }

  /** A patient's tensor bytes (float32 LE over [C, D, H, W]). */
  public byte[] tensor(String patientId) throws IOException {
    return read(new Path(dir, name(patientId) + TENSOR));
  }

  /** A patient's label mask (uint8 over [D, H, W]), or null when the volumes row had none. */
  public byte[] mask(String patientId) throws IOException {
    Path p = new Path(dir, name(patientId) + MASK);
    FileSystem fs = p.getFileSystem(hadoop.get());
    return fs.exists(p) ? read(p) : null;
  }

  /**
   * Reads a patient's tensor into {@code out} at {@code offset} floats (its length from the file), without an
   * intermediate copy of the whole tensor.
   */
  public void readTensor(String patientId, java.nio.FloatBuffer out) throws IOException {
    Path p = new Path(dir, name(patientId) + TENSOR);
    try (InputStream in = p.getFileSystem(hadoop.get()).open(p)) {
      byte[] chunk = new byte[1 << 20];
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(chunk).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      int pending = 0;
      for (int n; (n = in.read(chunk, pending, chunk.length - pending)) > 0; ) {
        int available = pending + n;
        int whole = available - available % Float.BYTES;
        bytes.clear().limit(whole);
        out.put(bytes.asFloatBuffer());
        pending = available - whole;
        System.arraycopy(chunk, whole, chunk, 0, pending);
      }
      if (pending != 0) {
        throw new IOException(p + " is not a whole number of float32 values");
      }
    }
  }

  /** A patient's whole tensor as floats. */
  public float[] tensorFloats(String patientId) throws IOException {
    byte[] b = tensor(patientId);
    float[] f = new float[b.length / Float.BYTES];
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /**
   * One axial slice {@code d} of every channel of a patient's tensor of {@code shape} [C, D, H, W], as [C, H, W]:
   * C positioned reads of H x W floats, not the whole tensor (a 2D U-Net reads one slice per example).
   */
  public float[] tensorSlice(String patientId, int[] shape, int d) throws IOException {
    int hw = shape[2] * shape[3];
    float[] slab = new float[shape[0] * hw];
    byte[] plane = new byte[hw * Float.BYTES];
    Path p = new Path(dir, name(patientId) + TENSOR);
    try (org.apache.hadoop.fs.FSDataInputStream in = p.getFileSystem(hadoop.get()).open(p)) {
      for (int c = 0; c < shape[0]; c++) {
        in.readFully(((long) c * shape[1] + d) * hw * Float.BYTES, plane);
        java.nio.ByteBuffer.wrap(plane).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(slab, c * hw, hw);
      }
    }
    return slab;
  }

  /** One axial slice {@code d} of a patient's label mask over [D, H, W] ({@code shape} is the tensor's). */
  public byte[] maskSlice(String patientId, int[] shape, int d) throws IOException {
    int hw = shape[2] * shape[3];
    byte[] slice = new byte[hw];
    Path p = new Path(dir, name(patientId) + MASK);
    try (org.apache.hadoop.fs.FSDataInputStream in = p.getFileSystem(hadoop.get()).open(p)) {
      in.readFully((long) d * hw, slice);
    }
    return slice;
  }

  private byte[] read(Path p) throws IOException {
    FileSystem fs = p.getFileSystem(hadoop.get());
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("the training copy " + dir + " has no file for " + p.getName()
          + " (was the volumes table changed during the run?)", e);
    }
  }

  private static long write(FileSystem fs, Path p, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(bytes);
    }
    return bytes.length;
  }

  /** A file name for any patient id (BraTS ids are safe; others are percent-encoded). */
  static String name(String patientId) {
    return URLEncoder.encode(patientId, StandardCharsets.UTF_8);
  }

  /** The volumes table's version: a hash of its data files' names, sizes and modification times. */
  static String fingerprint(FileSystem fs, Path table) throws IOException {
    List<String> lines = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(table, true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String rel = f.getPath().toString().substring(table.toString().length());
      if (!f.getPath().getName().startsWith("_") && !f.getPath().getName().startsWith(".")) {
        lines.add(rel + " " + f.getLen() + " " + f.getModificationTime());
      }
    }
    lines.sort(Comparator.naturalOrder());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String l : lines) {
        sha.update(l.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Marks this copy as in use (every training epoch does), so that a job that writes the copy of a newer version
   * of the table leaves it to the jobs still reading it.
   */
  public void touch() {
    Path complete = new Path(dir, COMPLETE);
    try {
      complete.getFileSystem(hadoop.get()).setTimes(complete, System.currentTimeMillis(), -1);
    } catch (IOException e) {
      LOG.warn("cannot mark the training copy {} as in use: {}", dir, e.toString());
    }
  }

  /** Copies of other versions, and copies left incomplete, that no job has used for an hour. */
  private static void removeOthers(FileSystem fs, Path base, String keep) throws IOException {
    long cutoff = System.currentTimeMillis() - IDLE_MILLIS;
    for (FileStatus s : fs.listStatus(base)) {
      String name = s.getPath().getName();
      if (!s.isDirectory() || name.equals(keep) || name.equals(EXCHANGE)) {
        continue;
      }
      Path complete = new Path(s.getPath(), COMPLETE);
      long used = fs.exists(complete) ? fs.getFileStatus(complete).getModificationTime() : s.getModificationTime();
      if (used < cutoff) {
        fs.delete(s.getPath(), true);
        LOG.info("removed the training copy of an earlier volumes table: {}", s.getPath());
      }
    }
  }

  /** A copy no epoch has touched for this long is no longer read by any job. */
  private static final long IDLE_MILLIS = java.util.concurrent.TimeUnit.HOURS.toMillis(1);
}
