package org.gliomabench.jobs.finetune;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the fine-tuning dataset: the cv cohort's tumour slices (never the test cohort) as chat examples
 * (user: the classify-v1 prompt + the image; assistant: {@code Choice: k Reasoning: ...}), LGG oversampled
 * to balance each split, shuffled with a seed. Two spellings of the same examples:
 * {@code train.jsonl}/{@code val.jsonl} (TRL / Unsloth vision SFT: content parts, {@code images} column) and
 * {@code llamafactory_*.jsonl} + {@code dataset_info.json} (LLaMA-Factory sharegpt with {@code <image>}),
 * images under {@code images/}. The reasoning keywords are derived from the slice's mask geometry
 * (size, side, position, plane) and its label, not written by a radiologist.
 */
public final class FinetuneExporter {
  private static final Logger LOG = LoggerFactory.getLogger(FinetuneExporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Examples written per split (after oversampling) and by label. */
  public record Summary(String dir, Map<String, long[]> bySplit, long images) {}

  private final Settings settings;
  private final Warehouse warehouse;

  public FinetuneExporter(Settings settings, Warehouse warehouse) {
    this.settings = settings;
    this.warehouse = warehouse;
  }

  public Summary run() throws IOException {
    String out = settings.get(ConfigKeys.FINETUNE_DIR);
    long seed = settings.getLong(ConfigKeys.FINETUNE_SEED);
    List<String> planes = settings.getList(ConfigKeys.FINETUNE_PLANES);
    Integer valFold = settings.has(ConfigKeys.FINETUNE_VAL_FOLD) ? settings.getInt(ConfigKeys.FINETUNE_VAL_FOLD) : null;
    Dataset<Row> slices = warehouse.read(Slices.NAME)
        .where(col(Slices.IN_TUMOUR).and(col(Tables.COHORT).equalTo(Tables.COHORT_CV)))
        .where(col(Tables.PLANE).isin(planes.toArray()))
        .withColumn("split", valFold == null ? lit("train") : when(col(Tables.FOLD).equalTo(valFold), "val").otherwise("train"))
        .withColumn("image", concat(lit("images/"), regexp_replace(col(Tables.PATIENT_ID), "[^A-Za-z0-9._-]", "_"), lit("/"),
            col(Tables.PLANE), lit("_"), lpad(col(Tables.SLICE_INDEX).cast("string"), 3, "0"), lit(".png")));
    if (valFold != null && slices.where(col("split").equalTo("val")).isEmpty()) {
      throw new ConfigException(ConfigKeys.FINETUNE_VAL_FOLD + "=" + valFold + ": no cv slices in that fold");
    }
    Configuration conf = warehouse.spark().sparkContext().hadoopConfiguration();
    FileSystem fs = new Path(out).getFileSystem(conf);
    fs.mkdirs(new Path(out));
    // Image paths in the JSONL are absolute: TRL and Unsloth open them as written, from whatever directory the
    // trainer runs in, and LLaMA-Factory takes an absolute path as it is.
    String absolute = absoluteRoot(fs, out);
    slices = slices.withColumn("image_path", concat(lit(absolute + "/"), col("image")));

    HadoopConf hadoop = new HadoopConf(conf);
    String root = new Path(out).toString();
    slices.select(col("image"), col(Slices.FLAIR_PNG)).foreachPartition((ForeachPartitionFunction<Row>) rows -> {
      FileSystem f = new Path(root).getFileSystem(hadoop.get());
      while (rows.hasNext()) {
        Row r = rows.next();
        try (OutputStream o = f.create(new Path(root + "/" + SparkTables.string(r, "image")), true)) {
          o.write(SparkTables.bytes(r, Slices.FLAIR_PNG));
        }
      }
    });
    long images = slices.count();

    StructType exampleSchema = new StructType().add("split", DataTypes.StringType).add(Tables.LABEL, DataTypes.IntegerType)
        .add("key", DataTypes.StringType).add("trl", DataTypes.StringType).add("llamafactory", DataTypes.StringType);
    Dataset<Row> examples = slices.mapPartitions((MapPartitionsFunction<Row, Row>) FinetuneExporter::examples,
        Encoders.row(exampleSchema)).cache();

    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Row r : examples.groupBy("split", Tables.LABEL).count().collectAsList()) {
      counts.computeIfAbsent(SparkTables.string(r, "split"), k -> new long[2])[SparkTables.intValue(r, Tables.LABEL) == 1 ? 1 : 0]
          = SparkTables.longValue(r, SparkTables.COUNT);
    }
    Map<String, long[]> written = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long lgg = e.getValue()[0];
      long hgg = e.getValue()[1];
      // LGG rows are repeated floor(ratio) times, plus once more for a seeded share of them (the fraction).
      double ratio = lgg > 0 && hgg > lgg ? (double) hgg / lgg : 1.0;
      long whole = (long) Math.floor(ratio);
      double frac = ratio - whole;
      Dataset<Row> split = examples.where(col("split").equalTo(e.getKey()))
          .withColumn("copies", when(col(Tables.LABEL).equalTo(0),
              lit(whole).plus(when(pmod(xxhash64(lit(seed), col("key")), lit(1_000_000L)).divide(1e6).lt(frac), 1).otherwise(0)))
              .otherwise(lit(1L)))
          .withColumn("copy", explode(sequence(lit(1L), col("copies"))))
          .orderBy(xxhash64(lit(seed), col("key"), col("copy")));
      long[] n = new long[2];
      for (Row r : split.groupBy(Tables.LABEL).count().collectAsList()) {
        n[SparkTables.intValue(r, Tables.LABEL) == 1 ? 1 : 0] = SparkTables.longValue(r, SparkTables.COUNT);
      }
      written.put(e.getKey(), n);
      writeSingle(fs, split.select("trl"), out, e.getKey() + ".jsonl");
      writeSingle(fs, split.select("llamafactory"), out, "llamafactory_" + e.getKey() + ".jsonl");
      LOG.info("export-finetune: {} examples: {} HGG, {} LGG (LGG x{} oversampled from {})", e.getKey(), n[1], n[0],
          String.format(Locale.ROOT, "%.2f", ratio), lgg);
    }
    examples.unpersist();
    writeDatasetInfo(fs, out, written.keySet());
    return new Summary(out, written, images);
  }

  /** The export folder as an absolute path: a plain path on the local disk, the full URI elsewhere (hdfs://, s3a://). */
  static String absoluteRoot(FileSystem fs, String dir) {
    Path q = fs.makeQualified(new Path(dir));
    String scheme = q.toUri().getScheme();
    return scheme == null || scheme.equals("file") ? q.toUri().getPath().replaceAll("/+$", "") : q.toString().replaceAll("/+$", "");
  }

  /** One JSONL file from a one-column dataset, through a staging folder. */
  private static void writeSingle(FileSystem fs, Dataset<Row> lines, String dir, String name) throws IOException {
    Path staging = new Path(dir, "_staging-" + name);
    lines.coalesce(1).write().mode(SaveMode.Overwrite).text(staging.toString());
    Path target = new Path(dir, name);
    fs.delete(target, false);
    for (FileStatus s : fs.listStatus(staging)) {
      if (s.getPath().getName().startsWith("part-")) {
        if (!fs.rename(s.getPath(), target)) {
          throw new IOException("cannot move " + s.getPath() + " to " + target);
        }
      }
    }
    fs.delete(staging, true);
  }

  private static void writeDatasetInfo(FileSystem fs, String dir, Iterable<String> splits) throws IOException {
    ObjectNode info = JSON.createObjectNode();
    for (String split : splits) {
      ObjectNode d = info.putObject("glioma_" + split);
      d.put("file_name", "llamafactory_" + split + ".jsonl");
      d.put("formatting", "sharegpt");
      d.putObject("columns").put("messages", "messages").put("images", "images");
      d.putObject("tags").put("role_tag", "role").put("content_tag", "content").put("user_tag", "user").put("assistant_tag", "assistant");
    }
    try (OutputStream o = fs.create(new Path(dir, "dataset_info.json"), true)) {
      o.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
    }
  }

  private static Iterator<Row> examples(Iterator<Row> rows) {
    String prompt = PromptTemplates.CLASSIFY_V1.text();
    List<Row> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      int label = r.getAs(Tables.LABEL);
      String answer = "Choice: " + label + " Reasoning: " + reasoning(r, label);
      String image = r.getAs("image_path");
      ObjectNode trl = JSON.createObjectNode();
      ArrayNode messages = trl.putArray("messages");
      ObjectNode user = messages.addObject().put("role", "user");
      ArrayNode content = user.putArray("content");
      content.addObject().put("type", "image");
      content.addObject().put("type", "text").put("text", prompt);
      messages.addObject().put("role", "assistant").putArray("content").addObject().put("type", "text").put("text", answer);
      trl.putArray("images").add(image);
      ObjectNode lf = JSON.createObjectNode();
      ArrayNode lfm = lf.putArray("messages");
      lfm.addObject().put("role", "user").put("content", "<image>" + prompt);
      lfm.addObject().put("role", "assistant").put("content", answer);
      lf.putArray("images").add(image);
      out.add(RowFactory.create(r.getAs("split"), label, (String) r.getAs("image"), trl.toString(), lf.toString()));
    }
    return out.iterator();
  }

  /** Ten keywords from what the mask says about the slice, plus its plane and grade. */
  static String reasoning(Row r, int label) {
    String plane = r.getAs(Tables.PLANE);
    int w = r.getAs(Slices.WIDTH);
    int h = r.getAs(Slices.HEIGHT);
    long pixels = r.getAs(Slices.TUMOUR_PIXELS);
    double share = (double) pixels / ((long) w * h);
    String size = share < 0.01 ? "small lesion" : share < 0.04 ? "medium lesion" : "large lesion";
    String first = "unlocalised";
    String second = "unlocalised";
    if (!r.isNullAt(r.fieldIndex(Slices.MASK_X0))) {
      double cx = ((int) r.getAs(Slices.MASK_X0) + (int) r.getAs(Slices.MASK_X1)) / 2.0;
      double cy = ((int) r.getAs(Slices.MASK_Y0) + (int) r.getAs(Slices.MASK_Y1)) / 2.0;
      // radiological convention: the patient's right is on the image's left; axial anterior up; sagittal anterior left
      String side = cx < w / 2.0 ? "right hemisphere" : "left hemisphere";
      switch (plane) {
        case "axial" -> {
          first = side;
          second = cy < h / 2.0 ? "anterior" : "posterior";
        }
        case "coronal" -> {
          first = side;
          second = cy < h / 2.0 ? "superior" : "inferior";
        }
        default -> {
          first = cx < w / 2.0 ? "anterior" : "posterior";
          second = cy < h / 2.0 ? "superior" : "inferior";
        }
      }
    }
    return String.join(", ", "FLAIR", "hyperintense", size, first, second, plane + " plane", "glioma",
        label == 1 ? "high-grade" : "low-grade", "tumour-bearing slice", pixels + " tumour pixels");
  }
}
