package org.gliomabench.jobs.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.ingest.IngestException;
import org.gliomabench.core.ingest.IngestIssue;
import org.gliomabench.core.ingest.IngestOptions;
import org.gliomabench.core.ingest.PatientProcessor;
import org.gliomabench.core.ingest.PatientRecord;
import org.gliomabench.core.ingest.PatientResult;
import org.gliomabench.core.ingest.PatientTask;
import org.gliomabench.core.nifti.NiftiReader;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.gliomabench.core.split.CohortSplitter;
import org.gliomabench.jobs.HadoopConf;
import org.gliomabench.jobs.ProgressReporter;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: discovers patients on the driver, reads and preprocesses them on executors, splits the
 * accepted ones into cohorts and folds, and replaces the patients, volumes, reference_masks, slices and
 * ingest_errors tables. Bad patients become ingest_errors rows; the run goes on unless strict.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  /** What the run did, for the command's summary and exit status. */
  public record Summary(int discovered, int accepted, int rejected, int cnnUsable, int carriedOver, long slices,
      Map<String, Integer> rejectedByKind, double seconds) {}

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;

  public IngestJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public Summary run() throws IOException {
    long start = System.nanoTime();
    SparkSession spark = warehouse.spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String dataDir = settings.get(ConfigKeys.DATA_DIR);
    boolean strict = settings.getBoolean(ConfigKeys.INGEST_STRICT);
    IngestOptions options = IngestOptions.from(settings);
    CohortSplitter splitter = new CohortSplitter(settings.getDouble(ConfigKeys.SPLIT_TEST_FRACTION),
        settings.getInt(ConfigKeys.SPLIT_FOLDS), settings.getLong(ConfigKeys.SPLIT_SEED));

    PatientDiscovery.Result found = new PatientDiscovery(jsc.hadoopConfiguration())
        .discover(dataDir, settings.has(ConfigKeys.DATA_LABELS) ? settings.get(ConfigKeys.DATA_LABELS) : null);
    LOG.info("ingest: {} patient folders under {} (grades from {})", found.tasks().size(), dataDir, found.gradeSource());
    List<IngestIssue> issues = new ArrayList<>(found.issues());
    if (strict) {
      issues.stream().filter(IngestIssue::rejected).findFirst().ifPresent(i -> {
        throw new IngestException(i);
      });
    }

    // A rerun carries over the rows of patients whose files and preprocessing settings did not change.
    PreviousIngest previous = PreviousIngest.read(warehouse);
    List<PreviousIngest.Kept> kept = previous.unchanged(found.tasks(), options.key());
    Set<String> keptIds = new HashSet<>();
    kept.forEach(k -> keptIds.add(k.patientId()));
    List<PatientTask> tasks = new ArrayList<>();
    found.tasks().stream().filter(t -> !keptIds.contains(t.patientId())).forEach(tasks::add);
    if (!kept.isEmpty()) {
      LOG.info("ingest: {} patients unchanged since the previous ingest are carried over; {} to read", kept.size(),
          tasks.size());
    }

    int perPartition = Math.max(1, settings.getInt(ConfigKeys.INGEST_PATIENTS_PER_PARTITION));
    int partitions = Math.max(1, (tasks.size() + perPartition - 1) / perPartition);
    HadoopConf hadoopConf = new HadoopConf(jsc.hadoopConfiguration());
    LongAccumulator done = spark.sparkContext().longAccumulator("ingest.patients");
    JavaRDD<PatientResult> results = jsc.parallelize(tasks, partitions)
        .mapPartitions(it -> processPartition(it, options, hadoopConf, strict, done))
        .persist(StorageLevel.MEMORY_AND_DISK());

    List<PatientRecord> accepted = new ArrayList<>();
    try (ProgressReporter progress = new ProgressReporter("ingest patients", tasks.size(), done::value, 5)) {
      // Only the small parts come back to the driver; tensors, reference masks and PNGs stay on executors.
      for (PatientResult r : results.map(r -> new PatientResult(r.patient(), null, null, List.of(), r.issues())).collect()) {
        issues.addAll(r.issues());
        if (r.accepted()) {
          accepted.add(r.patient());
        }
      }
      LOG.info(progress.line());
    }

    Map<String, String> grades = new LinkedHashMap<>();
    accepted.forEach(p -> grades.put(p.patientId(), p.grade()));
    kept.forEach(k -> grades.put(k.patientId(), k.grade()));
    Map<String, Assignment> assignments = splitter.assign(grades, previous.assignments(splitter.key()));
    Broadcast<Map<String, Assignment>> byPatient = jsc.broadcast(assignments);
    String run = runId;

    List<Row> patientRows = new ArrayList<>();
    for (PatientRecord p : accepted) {
      patientRows.add(IngestRows.patient(run, p, assignments.get(p.patientId()), options.key(), splitter.key()));
    }
    List<Row> issueRows = new ArrayList<>();
    for (IngestIssue i : issues) {
      issueRows.add(IngestRows.issue(run, i));
    }
    JavaRDD<Row> volumeRows = results.filter(r -> r.volume() != null)
        .map(r -> IngestRows.volume(run, r.volume(), byPatient.value().get(r.patient().patientId())));
    JavaRDD<Row> referenceRows = results.filter(r -> r.reference() != null)
        .map(r -> ReferenceMaskRows.toRow(run, r.reference()));
    JavaRDD<Row> sliceRows = results.filter(PatientResult::accepted).flatMap(r -> {
      Assignment a = byPatient.value().get(r.patient().patientId());
      List<Row> rows = new ArrayList<>(r.slices().size());
      r.slices().forEach(s -> rows.add(IngestRows.slice(run, r.patient().patientId(), r.patient().label(), a, s)));
      return rows.iterator();
    });

    Dataset<Row> patients = SparkTables.frame(spark, Tables.Patients.TABLE, patientRows);
    Dataset<Row> volumes = SparkTables.frame(spark, Tables.Volumes.TABLE, volumeRows);
    Dataset<Row> slices = SparkTables.frame(spark, Tables.Slices.TABLE, sliceRows);
    Dataset<Row> references = SparkTables.frame(spark, Tables.ReferenceMasks.TABLE, referenceRows);
    Dataset<Row> errors = SparkTables.frame(spark, Tables.IngestErrors.TABLE, issueRows);
    if (!kept.isEmpty()) {
      Dataset<Row> split = assignmentFrame(spark, assignments, keptIds);
      patients = patients.union(previous.carryOver(Tables.Patients.TABLE, keptIds, split, run, null));
      volumes = volumes.union(previous.carryOver(Tables.Volumes.TABLE, keptIds, split, run, null));
      slices = slices.union(previous.carryOver(Tables.Slices.TABLE, keptIds, split, run, null));
      references = references.union(previous.carryOver(Tables.ReferenceMasks.TABLE, keptIds, split, run, null));
      errors = errors.union(previous.carryOver(Tables.IngestErrors.TABLE, keptIds, split, run, "not " + Tables.IngestErrors.REJECTED));
    }
    // Staged writes: each old table stays readable (and is read for carried-over rows) until its swap.
    warehouse.replace(Tables.Volumes.NAME, volumes);
    warehouse.replace(Tables.Slices.NAME, slices);
    warehouse.replace(Tables.ReferenceMasks.NAME, references);
    warehouse.replace(Tables.IngestErrors.NAME, errors.coalesce(1));
    warehouse.replace(Tables.Patients.NAME, patients.coalesce(1));
    long sliceCount = warehouse.read(Tables.Slices.NAME).count();
    results.unpersist();
    byPatient.destroy();

    Map<String, Integer> byKind = new TreeMap<>();
    int rejected = 0;
    for (IngestIssue i : issues) {
      if (i.rejected()) {
        rejected++;
        byKind.merge(i.kind().code(), 1, Integer::sum);
      }
    }
    int cnnUsable = (int) (accepted.stream().filter(PatientRecord::cnnUsable).count()
        + kept.stream().filter(PreviousIngest.Kept::cnnUsable).count());
    int total = accepted.size() + kept.size();
    return new Summary(total + rejected, total, rejected, cnnUsable, kept.size(), sliceCount, byKind,
        (System.nanoTime() - start) / 1e9);
  }

  private static Dataset<Row> assignmentFrame(SparkSession spark, Map<String, Assignment> assignments, Set<String> ids) {
    List<Row> rows = new ArrayList<>();
    for (String id : ids) {
      Assignment a = assignments.get(id);
      rows.add(RowFactory.create(id, a.cohort(), a.fold()));
    }
    StructType schema = new StructType()
        .add(Tables.PATIENT_ID, DataTypes.StringType, false)
        .add(Tables.COHORT, DataTypes.StringType, false)
        .add(Tables.FOLD, DataTypes.IntegerType, true);
    return spark.createDataFrame(rows, schema);
  }

  private static Iterator<PatientResult> processPartition(Iterator<PatientTask> tasks, IngestOptions options,
      HadoopConf conf, boolean strict, LongAccumulator done) {
    PatientProcessor processor = new PatientProcessor(options, path -> {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf.get());
      try (FSDataInputStream in = fs.open(p)) {
        return NiftiReader.read(in);
      }
    });
    List<PatientResult> out = new ArrayList<>();
    while (tasks.hasNext()) {
      PatientTask task = tasks.next();
      long t0 = System.nanoTime();
      PatientResult r = processor.process(task);
      done.add(1);
      if (!r.accepted()) {
        LOG.warn("ingest: {}", r.issues().get(0));
        if (strict) {
          throw new IngestException(r.issues().get(0));
        }
      } else {
        LOG.debug("ingest: {} in {} ms", task.patientId(), (System.nanoTime() - t0) / 1_000_000);
      }
      out.add(r);
    }
    return out.iterator();
  }
}
