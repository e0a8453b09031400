package org.gliomabench.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM (surefire runs one JVM per module): local[2], small shuffles,
 * no UI, Kryo with the project's registrator as on a cluster. Test classes call {@link #session()} and never stop it.
 */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  private static java.nio.file.Path tempDir() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("glioma-bench-tests");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static synchronized SparkSession session() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("glioma-bench-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          // The clusters' serializer (conf/spark/*.conf), so that what crosses a JVM boundary there is
          // serialized the same way here: task results, shuffles, serialized caches.
          .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
          .config("spark.kryo.registrator", "org.gliomabench.jobs.cnn.GliomaKryoRegistrator")
          .config("spark.kryoserializer.buffer.max", "2047m")
          // Catalog registrations create database folders: in a temporary folder, not jobs/spark-warehouse.
          .config("spark.sql.warehouse.dir", tempDir().resolve("spark-warehouse").toUri().toString())
          .getOrCreate();
    }
    return spark;
  }
}
