package org.gliomabench.jobs.sql;

import java.io.FileReader;
import java.io.Reader;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark client that knows nothing of glioma-bench: a plain SparkSession built from the catalog's
 * properties file (what {@code spark-sql --properties-file <warehouse>/_catalog/spark-catalog.conf} does),
 * which prints the result of one query. Run in its own JVM by {@link SqlServerJdbcTest}.
 */
public final class PlainSparkClient {
  private PlainSparkClient() {}

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (Reader r = new FileReader(args[0])) {
      p.load(r);
    }
    SparkConf conf = new SparkConf(false).setMaster("local[1]").setAppName("plain-spark-client")
        .set("spark.ui.enabled", "false");
    p.stringPropertyNames().stream().filter(k -> k.startsWith("spark.") && !k.startsWith("spark.driver.extraJavaOptions"))
        .forEach(k -> conf.set(k, p.getProperty(k)));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    for (Row row : spark.sql(args[1]).collectAsList()) {
      System.out.println("row: " + row.mkString("|"));
    }
    spark.stop();
  }
}
