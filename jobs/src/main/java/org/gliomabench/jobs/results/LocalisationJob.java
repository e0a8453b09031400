package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.gliomabench.jobs.warehouse.SparkTables.boolOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.doubleOrNull;
import static org.gliomabench.jobs.warehouse.SparkTables.doubleValue;
import static org.gliomabench.jobs.warehouse.SparkTables.longValue;
import static org.gliomabench.jobs.warehouse.SparkTables.string;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.gliomabench.core.Tables.CentreBias;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmLocalisation;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.ReferenceMasks;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.CentreBiasRule;
import org.gliomabench.core.seg.LocationGeometry.Mask;
import org.gliomabench.core.seg.LocationGeometry;
import org.gliomabench.core.synth.SyntheticCohort;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The localisation part of {@code aggregate}: the run's answered locate calls (sample 0) scored against
 * their slices' whole-tumour masks into llm_localisation, with the image-centre baseline on the same slices;
 * then llm_centre_bias per arm x plane x kind ({@link CentreBiasRule}) and the LLM arms' segmentation rows
 * per arm x patient x plane x kind. segmentation is written only in this run's (run_id, model = arm)
 * partitions, so the CNN's cnn_seg partitions are never touched. Without locate calls, or without the
 * slices' masks, it writes nothing. See docs/segmentation.md.
 */
public final class LocalisationJob {
  private static final Logger LOG = LoggerFactory.getLogger(LocalisationJob.class);
  private static final String BOX_WIDTH = "box_width";
  private static final String BOX_HEIGHT = "box_height";

  /** What it did: rows written per table, and the verdicts. */
  public record Summary(long localisationRows, long skipped, List<Row> centreBias, long segmentationRows) {
    static Summary none() {
      return new Summary(0, 0, List.of(), 0);
    }
  }

  private final Warehouse warehouse;
  private final String runId;

  public LocalisationJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public Summary run() {
    Dataset<Row> input = scoringInput();
    if (input == null) {
      return Summary.none();
    }
    SparkSession spark = warehouse.spark();
    Map<String, double[]> boxes = meanTrueBoxSize(input);
    LongAccumulator skipped = spark.sparkContext().longAccumulator("localisation rows skipped");
    Dataset<Row> scored = input.mapPartitions(new Scorer(runId, boxes, skipped),
        Encoders.row(SparkTables.schema(LlmLocalisation.TABLE))).cache();
    try {
      long rows = scored.count();
      if (skipped.value() > 0) {
        LOG.warn("aggregate {}: {} locate answers or baseline slices could not be scored (see the warnings above)",
            runId, skipped.value());
      }
      if (rows == 0) {
        LOG.info("aggregate {}: no locate answer could be scored; llm_localisation not written", runId);
        return new Summary(0, skipped.value(), List.of(), 0);
      }
      SparkTables.overwritePartitions(warehouse, LlmLocalisation.TABLE, scored.coalesce(1));
      List<Row> bias = centreBias(scored);
      SparkTables.overwritePartitions(warehouse, CentreBias.TABLE, SparkTables.frame(spark, CentreBias.TABLE, bias).coalesce(1));
      Dataset<Row> seg = segmentation(scored).cache();
      long segRows = seg.count();
      SparkTables.overwritePartitions(warehouse, Segmentation.TABLE, seg.coalesce(1));
      seg.unpersist();
      LOG.info("aggregate {}: {} localisation rows, {} centre-bias rows, {} segmentation rows", runId, rows, bias.size(),
          segRows);
      return new Summary(rows, skipped.value(), bias, segRows);
    } finally {
      scored.unpersist();
    }
  }

  /**
   * One row per answered locate call joined to its slice, plus the baseline's centre and box rows for every
   * distinct located slice; null when there is nothing to score.
   */
  Dataset<Row> scoringInput() {
    if (!warehouse.exists(LlmCalls.NAME)) {
      LOG.info("aggregate {}: no llm_calls table, no localisation to score", runId);
      return null;
    }
    List<String> callColumns = Arrays.asList(warehouse.read(LlmCalls.NAME).columns());
    if (!callColumns.containsAll(List.of(LlmCalls.LOCATION_KIND, LlmCalls.LOCATION, LlmCalls.FINISHED_AT))) {
      LOG.info("aggregate {}: llm_calls has no location answers (written before locate prompts); nothing to score", runId);
      return null;
    }
    Dataset<Row> calls = LlmCallsView.latestOfRun(warehouse, runId)
        .where(col(LlmCalls.STATUS).equalTo(LlmCalls.STATUS_OK).and(col(LlmCalls.SAMPLE).equalTo(0))
            .and(col(LlmCalls.PROMPT_VERSION).startsWith("locate"))
            .and(col(LlmCalls.LOCATION_KIND).isNotNull()).and(col(LlmCalls.LOCATION).isNotNull()))
        .select(col(LlmCalls.ARM), col(LlmCalls.CALL_KEY), col(LlmCalls.SIMULATED), col(LlmCalls.MODEL),
            col(LlmCalls.PROMPT_VERSION), col(LlmCalls.LOCATION_KIND), col(LlmCalls.LOCATION), col(Tables.PATIENT_ID),
            col(Tables.PLANE), col(Tables.SLICE_INDEX));
    long answered = calls.count();
    if (answered == 0) {
      LOG.info("aggregate {}: no answered locate call in this run; no localisation tables written", runId);
      return null;
    }
    if (!warehouse.exists(Slices.NAME)) {
      LOG.warn("aggregate {}: {} locate answers but no slices table to score them against", runId, answered);
      return null;
    }
    List<String> sliceColumns = Arrays.asList(warehouse.read(Slices.NAME).columns());
    if (!sliceColumns.contains(Slices.MASK_PNG)) {
      LOG.warn("aggregate {}: the slices table has no {} column (an ingest without masks): {} locate answers left "
          + "unscored", runId, Slices.MASK_PNG, answered);
      return null;
    }
    Dataset<Row> slices = warehouse.read(Slices.NAME).select(col(Tables.PATIENT_ID), col(Tables.LABEL), col(Tables.COHORT),
        col(Tables.FOLD), col(Tables.PLANE), col(Tables.SLICE_INDEX), col(Slices.WIDTH), col(Slices.HEIGHT),
        col(Slices.MASK_PNG), optionalInt(sliceColumns, Slices.MASK_X0), optionalInt(sliceColumns, Slices.MASK_Y0),
        optionalInt(sliceColumns, Slices.MASK_X1), optionalInt(sliceColumns, Slices.MASK_Y1));
    String[] sliceKey = {Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX};
    Dataset<Row> joined = calls.join(slices, sliceKey, "inner");
    long matched = joined.count();
    if (matched < answered) {
      LOG.warn("aggregate {}: {} of {} locate answers name a slice missing from the slices table; left unscored",
          runId, answered - matched, answered);
    }
    if (matched == 0) {
      return null;
    }
    // The baseline answers every located slice once per kind it can give: the image centre, and a box.
    Dataset<Row> baseline = joined.dropDuplicates(sliceKey)
        .withColumn(LlmCalls.ARM, lit(LlmLocalisation.BASELINE_ARM))
        .withColumn(LlmCalls.CALL_KEY, lit(null).cast(DataTypes.StringType))
        .withColumn(LlmCalls.SIMULATED, lit(false))
        .withColumn(LlmCalls.MODEL, lit(null).cast(DataTypes.StringType))
        .withColumn(LlmCalls.PROMPT_VERSION, lit(null).cast(DataTypes.StringType))
        .withColumn(LlmCalls.LOCATION_KIND, explode(array(lit(LocationGeometry.KIND_CENTRE), lit(LocationGeometry.KIND_BOX))))
        .withColumn(LlmCalls.LOCATION, lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType)));
    return joined.unionByName(baseline);
  }

  private static org.apache.spark.sql.Column optionalInt(List<String> columns, String name) {
    return (columns.contains(name) ? col(name) : lit(null)).cast(DataTypes.IntegerType).as(name);
  }

  /**
   * Per plane, the mean size {width, height} of the true tumour boxes of the located slices (inclusive pixel
   * boxes, so x1 - x0 + 1): the only information the baseline's box gets.
   */
  private static Map<String, double[]> meanTrueBoxSize(Dataset<Row> input) {
    Map<String, double[]> out = new HashMap<>();
    for (Row r : input.dropDuplicates(Tables.PATIENT_ID, Tables.PLANE, Tables.SLICE_INDEX)
        .where(col(Slices.MASK_X0).isNotNull().and(col(Slices.MASK_Y0).isNotNull())
            .and(col(Slices.MASK_X1).isNotNull()).and(col(Slices.MASK_Y1).isNotNull()))
        .groupBy(Tables.PLANE)
        .agg(avg(col(Slices.MASK_X1).minus(col(Slices.MASK_X0)).plus(1)).as(BOX_WIDTH),
            avg(col(Slices.MASK_Y1).minus(col(Slices.MASK_Y0)).plus(1)).as(BOX_HEIGHT))
        .collectAsList()) {
      out.put(string(r, Tables.PLANE), new double[] {doubleValue(r, BOX_WIDTH), doubleValue(r, BOX_HEIGHT)});
    }
    return out;
  }

  /** Scores each input row; a row that cannot be scored is counted, logged and left out. */
  static final class Scorer implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final HashMap<String, double[]> baselineBox;
    private final LongAccumulator skipped;

    Scorer(String runId, Map<String, double[]> baselineBox, LongAccumulator skipped) {
      this.runId = runId;
      this.baselineBox = new HashMap<>(baselineBox);
      this.skipped = skipped;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      List<Row> out = new ArrayList<>();
      int logged = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        try {
          Row scored = score(r);
          if (scored != null) {
            out.add(scored);
          }
        } catch (RuntimeException e) {
          skipped.add(1);
          // a few examples per task: a table without masks must not flood the log with one line per slice
          if (logged++ < 5) {
            LOG.warn("localisation: arm {} patient {} {} slice {} not scored: {}", r.getAs(LlmCalls.ARM),
                r.getAs(Tables.PATIENT_ID), r.getAs(Tables.PLANE), r.getAs(Tables.SLICE_INDEX), e.getMessage());
          }
        }
      }
      return out.iterator();
    }

    Row score(Row r) {
      String arm = r.getAs(LlmCalls.ARM);
      String kind = r.getAs(LlmCalls.LOCATION_KIND);
      String plane = r.getAs(Tables.PLANE);
      int width = r.<Integer>getAs(Slices.WIDTH);
      int height = r.<Integer>getAs(Slices.HEIGHT);
      byte[] png = r.getAs(Slices.MASK_PNG);
      if (png == null) {
        throw new IllegalArgumentException("the slice has no tumour mask (mask_png is null)");
      }
      double[] location;
      if (LlmLocalisation.BASELINE_ARM.equals(arm)) {
        location = baselineLocation(kind, plane, width, height);
        if (location == null) {
          return null; // no true box sizes in this plane: the baseline gives no box here
        }
      } else {
        List<Double> l = SparkTables.list(r, LlmCalls.LOCATION);
        location = l.stream().mapToDouble(Double::doubleValue).toArray();
      }
      Mask truth = LocationGeometry.decodeWholeTumour(png, width, height);
      double[] centroid = truth.centroid();
      if (centroid == null) {
        throw new IllegalArgumentException("the slice's mask holds no tumour pixel");
      }
      double[] c = LocationGeometry.centre(kind, location);
      Mask pred = LocationGeometry.rasterise(kind, location, width, height);
      double[] ic = LocationGeometry.imageCentre(width, height);
      return SparkTables.row(LlmLocalisation.TABLE).set(Tables.RUN_ID, runId).set(LlmLocalisation.ARM, arm)
          .set(LlmCalls.SIMULATED, r.getAs(LlmCalls.SIMULATED)).set(LlmCalls.MODEL, r.getAs(LlmCalls.MODEL))
          .set(LlmCalls.PROMPT_VERSION, r.getAs(LlmCalls.PROMPT_VERSION)).set(LlmCalls.CALL_KEY, r.getAs(LlmCalls.CALL_KEY))
          .set(Tables.PATIENT_ID, r.getAs(Tables.PATIENT_ID)).set(Tables.LABEL, r.getAs(Tables.LABEL))
          .set(Tables.COHORT, r.getAs(Tables.COHORT)).set(Tables.FOLD, r.getAs(Tables.FOLD)).set(Tables.PLANE, plane)
          .set(Tables.SLICE_INDEX, r.getAs(Tables.SLICE_INDEX)).set(Slices.WIDTH, width).set(Slices.HEIGHT, height)
          .set(LlmLocalisation.LOCATION_KIND, kind).set(LlmLocalisation.DICE, pred == null ? null : LocationGeometry.dice(pred, truth))
          .set(LlmLocalisation.HIT, truth.contains(c[0], c[1])).set(LlmLocalisation.PRED_X, c[0]).set(LlmLocalisation.PRED_Y, c[1])
          .set(LlmLocalisation.TRUE_X, centroid[0]).set(LlmLocalisation.TRUE_Y, centroid[1])
          .set(LlmLocalisation.DISTANCE_PX, LocationGeometry.distance(c[0], c[1], centroid[0], centroid[1]))
          .set(LlmLocalisation.PRED_TO_IMAGE_CENTRE_PX, LocationGeometry.distance(c[0], c[1], ic[0], ic[1]))
          .set(LlmLocalisation.TRUE_TO_IMAGE_CENTRE_PX, LocationGeometry.distance(centroid[0], centroid[1], ic[0], ic[1]))
          .set(LlmLocalisation.PRED_PIXELS, pred == null ? null : pred.count()).set(LlmLocalisation.TRUE_PIXELS, truth.count())
          .build();
    }

    /** The image centre; a box of the plane's mean true box size centred on it. */
    private double[] baselineLocation(String kind, String plane, int width, int height) {
      double cx = width / 2.0;
      double cy = height / 2.0;
      if (LocationGeometry.KIND_CENTRE.equals(kind)) {
        return new double[] {cx, cy};
      }
      double[] size = baselineBox.get(plane);
      return size == null ? null : new double[] {cx - size[0] / 2, cy - size[1] / 2, cx + size[0] / 2, cy + size[1] / 2};
    }
  }

  /**
   * Per arm x plane x kind: means, correlations and the verdict. The baseline's distance on the same slices
   * is the mean distance of their true centroids to the image centre (the baseline's centre answer).
   */
  private List<Row> centreBias(Dataset<Row> scored) {
    List<Row> out = new ArrayList<>();
    for (Row r : scored.groupBy(LlmCalls.ARM, Tables.PLANE, LlmLocalisation.LOCATION_KIND)
        .agg(max(col(LlmCalls.SIMULATED)).as(LlmCalls.SIMULATED), count(lit(1)).as(CentreBias.N),
            avg(col(LlmLocalisation.HIT).cast(DataTypes.DoubleType)).as(CentreBias.HIT_RATE),
            avg(col(LlmLocalisation.DICE)).as(CentreBias.MEAN_DICE),
            avg(col(LlmLocalisation.DISTANCE_PX)).as(CentreBias.MEAN_DISTANCE_PX),
            avg(col(LlmLocalisation.PRED_TO_IMAGE_CENTRE_PX)).as(CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX),
            avg(col(LlmLocalisation.TRUE_TO_IMAGE_CENTRE_PX)).as(CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX),
            corr(col(LlmLocalisation.PRED_X), col(LlmLocalisation.TRUE_X)).as(CentreBias.CORR_X),
            corr(col(LlmLocalisation.PRED_Y), col(LlmLocalisation.TRUE_Y)).as(CentreBias.CORR_Y))
        .orderBy(LlmCalls.ARM, Tables.PLANE, LlmLocalisation.LOCATION_KIND)
        .collectAsList()) {
      long n = longValue(r, CentreBias.N);
      double distance = doubleValue(r, CentreBias.MEAN_DISTANCE_PX);
      double predToCentre = doubleValue(r, CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX);
      double trueToCentre = doubleValue(r, CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX);
      Double corrX = finiteOrNull(doubleOrNull(r, CentreBias.CORR_X));
      Double corrY = finiteOrNull(doubleOrNull(r, CentreBias.CORR_Y));
      String verdict = CentreBiasRule.verdict(n, predToCentre, trueToCentre, distance, trueToCentre, corrX, corrY);
      out.add(SparkTables.row(CentreBias.TABLE).set(Tables.RUN_ID, runId).set(LlmLocalisation.ARM, string(r, LlmCalls.ARM))
          .set(LlmCalls.SIMULATED, boolOrNull(r, LlmCalls.SIMULATED)).set(Tables.PLANE, string(r, Tables.PLANE))
          .set(LlmLocalisation.LOCATION_KIND, string(r, LlmLocalisation.LOCATION_KIND)).set(CentreBias.N, n)
          .set(CentreBias.HIT_RATE, doubleOrNull(r, CentreBias.HIT_RATE)).set(CentreBias.MEAN_DICE, doubleOrNull(r, CentreBias.MEAN_DICE))
          .set(CentreBias.MEAN_DISTANCE_PX, distance).set(CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX, predToCentre)
          .set(CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX, trueToCentre).set(CentreBias.CORR_X, corrX).set(CentreBias.CORR_Y, corrY)
          .set(CentreBias.BASELINE_DISTANCE_PX, trueToCentre).set(CentreBias.VERDICT, verdict).build());
    }
    return out;
  }

  private static Double finiteOrNull(Double v) {
    return v != null && Double.isFinite(v) ? v : null;
  }

  /** Per arm x patient x plane x kind, in the segmentation table's layout (model = the arm, region = the kind). */
  private Dataset<Row> segmentation(Dataset<Row> scored) {
    Dataset<Row> grouped = scored.groupBy(col(LlmCalls.ARM), col(Tables.PATIENT_ID), col(Tables.PLANE),
            col(LlmLocalisation.LOCATION_KIND))
        .agg(max(col(Tables.LABEL)).as(Tables.LABEL), max(col(Tables.COHORT)).as(Tables.COHORT),
            max(col(Tables.FOLD)).as(Tables.FOLD), avg(col(LlmLocalisation.DICE)).as(Segmentation.DICE),
            sum(col(LlmLocalisation.PRED_PIXELS)).as(Segmentation.PRED_VOXELS),
            sum(col(LlmLocalisation.TRUE_PIXELS)).as(Segmentation.TRUE_VOXELS),
            count(lit(1)).cast(DataTypes.IntegerType).as(Segmentation.SLICES),
            avg(col(LlmLocalisation.HIT).cast(DataTypes.DoubleType)).as(Segmentation.HIT_RATE),
            avg(col(LlmLocalisation.DISTANCE_PX)).as(Segmentation.MEAN_DISTANCE_PX));
    List<String> ids = grouped.select(Tables.PATIENT_ID).distinct().as(Encoders.STRING()).collectAsList();
    Dataset<Row> refs = warehouse.spark().createDataFrame(references(ids),
        new StructType().add(Tables.PATIENT_ID, DataTypes.StringType).add(Segmentation.REFERENCE, DataTypes.StringType));
    Dataset<Row> withRef = grouped.join(refs, new String[] {Tables.PATIENT_ID}, "left");
    return SparkTables.conform(withRef.select(ResultTables.segmentationColumns(runId)), Segmentation.TABLE);
  }

  /**
   * Per patient: 'synthetic_phantom' when synth wrote it (its id has synth's form, or ingest found synth's
   * marker file beside its folder: reference_masks.reference; for a warehouse ingested before that table,
   * the folder is looked at now), else 'brats_consensus' (the annotators' consensus, not ground truth).
   */
  List<Row> references(List<String> ids) {
    Map<String, String> ingested = new HashMap<>();
    if (warehouse.exists(ReferenceMasks.NAME)) {
      for (Row r : warehouse.read(ReferenceMasks.NAME).select(Tables.PATIENT_ID, ReferenceMasks.REFERENCE).collectAsList()) {
        ingested.put(SparkTables.string(r, Tables.PATIENT_ID), SparkTables.string(r, ReferenceMasks.REFERENCE));
      }
    }
    Map<String, String> sources = new HashMap<>();
    if (warehouse.exists(Patients.NAME) && Arrays.asList(warehouse.read(Patients.NAME).columns()).contains(Patients.SOURCE)) {
      for (Row r : warehouse.read(Patients.NAME).select(Tables.PATIENT_ID, Patients.SOURCE).collectAsList()) {
        sources.put(string(r, Tables.PATIENT_ID), string(r, Patients.SOURCE));
      }
    }
    Map<String, Boolean> markedParents = new HashMap<>();
    List<Row> out = new ArrayList<>();
    for (String id : ids) {
      boolean phantom = SyntheticCohort.isPatientId(id) || Segmentation.REFERENCE_PHANTOM.equals(ingested.get(id));
      String source = sources.get(id);
      if (!phantom && !ingested.containsKey(id) && source != null) {
        Path parent = new Path(source).getParent();
        if (parent != null) {
          phantom = markedParents.computeIfAbsent(parent.toString(), p -> hasMarker(new Path(p)));
        }
      }
      out.add(RowFactory.create(id, phantom ? Segmentation.REFERENCE_PHANTOM : Segmentation.REFERENCE_CONSENSUS));
    }
    return out;
  }

  private boolean hasMarker(Path folder) {
    try {
      return folder.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration())
          .exists(new Path(folder, SyntheticCohort.MARKER_FILE));
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("cannot look for the synth marker in {}: {}", folder, e.getMessage());
      return false;
    }
  }
}
