package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Results.ConsistencyByGrade;
import org.gliomabench.core.Tables.Results.ModelOrInput;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.MetricsAcrossFolds;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.metrics.Bootstrap;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.warehouse.WarehouseCatalog;
import org.gliomabench.jobs.results.ResultRows.AcrossFolds;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.HeadlineRow;
import org.gliomabench.jobs.results.ResultRows.MetricValue;
import org.gliomabench.jobs.results.ResultRows.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aggregate} for one run: the LLM arms' votes into predictions (this run's run_id x arm x fold
 * partitions only, the layout the CNN writes too; the CNN's rows stay), the locate arms' localisation
 * ({@link LocalisationJob}: llm_localisation, llm_centre_bias, the LLM rows of segmentation), the CNN's
 * answers on the test cohort ({@link CnnTestModels}: cnn_ensemble and cnn_selected predictions rows) and the
 * multi-task U-Net's ({@link MultitaskResults}: multitask_ensemble rows, its paired tests against the CNN), then
 * metrics, metrics_across_folds, comparisons and the headline ({@link HeadlineTable}) (this run's partition
 * only), registered in the Spark SQL database. Rerunning replaces exactly what it wrote before.
 */
public final class AggregateJob {
  private static final Logger LOG = LoggerFactory.getLogger(AggregateJob.class);

  private final Settings settings;
  private final Warehouse warehouse;
  private final String runId;

  public AggregateJob(Settings settings, Warehouse warehouse, String runId) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public record Summary(long llmPredictionRows, int predictionRows, List<MetricValue> metrics,
      List<Comparison> comparisons, Set<String> simulatedArms, LocalisationJob.Summary localisation,
      List<HeadlineRow> headline, String finding, List<ModelOrInputTable.ArmRow> modelOrInput, double seconds) {}

  public Summary run() {
    long t0 = System.nanoTime();
    VoteRule rule;
    try {
      rule = new VoteRule(settings.getList(ConfigKeys.AGGREGATE_VOTE_TIE_ORDER));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.AGGREGATE_VOTE_TIE_ORDER + ": " + e.getMessage());
    }
    Dataset<Row> llm = new LlmPredictions(warehouse, rule, settings.get(ConfigKeys.AGGREGATE_LLM_SCORE)).of(runId);
    long llmRows = 0;
    if (llm != null) {
      llm = llm.cache();
      llmRows = llm.count();
      LOG.info("aggregate {}: {} LLM predictions rows (arm x plane x patient)", runId, llmRows);
      SparkTables.overwritePartitions(warehouse, Predictions.LLM_ROWS, llm);
      llm.unpersist();
    }
    // Before the classify metrics, so that a run of locate arms alone still gets its localisation tables.
    LocalisationJob.Summary localisation = new LocalisationJob(warehouse, runId).run();
    List<Prediction> predictions = readPredictions();
    if (predictions.isEmpty()) {
      if (localisation.localisationRows() == 0 && !hasSegmentation()) {
        throw new IllegalStateException("no predictions of run " + runId + " in " + warehouse.path(Predictions.NAME)
            + ": run train-cnn and/or llm-slices (or train-seg) with --run-id " + runId + " first");
      }
      // A segmentation-only run (train-seg and/or locate arms): nothing to classify, the tables are written.
      LOG.info("aggregate {}: no classification predictions; segmentation and localisation only", runId);
      WarehouseCatalog.registerOrDefer(warehouse, settings.get(ConfigKeys.DATABASE));
      return new Summary(llmRows, 0, List.of(), List.of(), simulatedArms(), localisation, List.of(), null, List.of(),
          (System.nanoTime() - t0) / 1e9);
    }
    // The CNN's answers on the test cohort (fold ensemble, fold selected by validation), from train-cnn's rows, and
    // the multi-task U-Net's fold ensemble from train-multitask's.
    CnnTestModels.Result cnnTest = CnnTestModels.of(predictions, readCnnModels());
    CnnTestModels.Ensemble multitask = MultitaskResults.ensemble(predictions);
    List<Prediction> testRows = new ArrayList<>(cnnTest.ensemble());
    testRows.addAll(cnnTest.selected());
    testRows.addAll(multitask.rows());
    if (!testRows.isEmpty()) {
      if (!cnnTest.isEmpty()) {
        LOG.info("aggregate {}: {} test patients scored by the CNN fold ensemble ({}); selected: {}", runId,
            cnnTest.ensemble().size(), cnnTest.ensembleDetail(), cnnTest.selectedDetail());
      }
      if (!multitask.rows().isEmpty()) {
        LOG.info("aggregate {}: {} test patients scored by the multi-task fold ensemble ({})", runId,
            multitask.rows().size(), multitask.detail());
      }
      Map<String, String> foldModels = Map.of(Predictions.MODEL_CNN_ENSEMBLE, folds(cnnTest.folds()),
          Predictions.MODEL_CNN_SELECTED, Integer.toString(cnnTest.selectedFold()),
          Predictions.MODEL_MULTITASK_ENSEMBLE, folds(multitask.folds()));
      SparkTables.overwritePartitions(warehouse, Predictions.CNN_TEST_ROWS, SparkTables.frame(warehouse.spark(),
          Predictions.CNN_TEST_ROWS, ResultTables.cnnTestRows(runId, testRows, foldModels)).coalesce(1));
      predictions = readPredictions();
    }
    Bootstrap bootstrap = new Bootstrap(
        settings.getInt(ConfigKeys.AGGREGATE_BOOTSTRAP_RESAMPLES), settings.getDouble(ConfigKeys.AGGREGATE_BOOTSTRAP_LEVEL),
        settings.getLong(ConfigKeys.AGGREGATE_BOOTSTRAP_SEED));
    MetricsCalculator calculator = new MetricsCalculator(bootstrap);
    LOG.info("aggregate {}: metrics with bootstrap intervals for {} predictions rows", runId, predictions.size());
    List<MetricValue> metrics = new ArrayList<>(calculator.metrics(predictions));
    metrics.addAll(calculator.baseline(labelsByCohortFold()));
    List<AcrossFolds> acrossFolds = MetricsCalculator.acrossFolds(metrics);
    List<Comparison> comparisons = new ArrayList<>(MetricsCalculator.comparisons(predictions));
    comparisons.addAll(MultitaskResults.versusCnn(predictions));
    Set<String> simulated = simulatedArms();
    List<HeadlineRow> headline = HeadlineTable.build(metrics, comparisons, simulated, cnnTest,
        settings.get(ConfigKeys.LLM_COMPARE_GENERAL), multitask);
    Map<String, String> shown = shownByArm();
    Set<String> cnnInformed = new TreeSet<>();
    shown.forEach((arm, what) -> {
      if (org.gliomabench.udf.prompt.Shown.CNN_INFORMED.code().equals(what)) {
        cnnInformed.add(arm);
      }
    });
    String finding = HeadlineTable.finding(headline, cnnInformed);

    write(Metrics.TABLE, ResultTables.metricRows(runId, metrics));
    write(MetricsAcrossFolds.TABLE, ResultTables.acrossFoldRows(runId, acrossFolds));
    write(Comparisons.TABLE, ResultTables.comparisonRows(runId, comparisons));
    write(Headline.TABLE, HeadlineTable.sparkRows(runId, headline, finding));
    List<ModelOrInputTable.ArmRow> modelOrInput = ModelOrInputTable.build(predictions, metrics, simulated, shown,
        settings.get(ConfigKeys.LLM_COMPARE_GENERAL));
    write(ModelOrInput.TABLE, ModelOrInputTable.sparkRows(runId, modelOrInput));
    List<Row> consistency = ConsistencyGrades.rows(runId, runRows(Tables.LlmConsistency.NAME), bootstrap);
    if (!consistency.isEmpty()) {
      write(ConsistencyByGrade.TABLE, consistency);
    }
    WarehouseCatalog.registerOrDefer(warehouse, settings.get(ConfigKeys.DATABASE));
    return new Summary(llmRows, predictions.size(), metrics, comparisons, simulated, localisation, headline, finding,
        modelOrInput, (System.nanoTime() - t0) / 1e9);
  }

  /** What each LLM arm of the run showed (llm_arm_plans), by arm. */
  private Map<String, String> shownByArm() {
    Map<String, String> out = new TreeMap<>();
    for (Row r : runRows(Tables.LlmArmPlans.NAME)) {
      out.put(SparkTables.string(r, Tables.LlmCalls.ARM), SparkTables.string(r, Tables.LlmArmPlans.SHOWN));
    }
    return out;
  }

  /** This run's rows of a run-partitioned table (empty when it does not exist). */
  private List<Row> runRows(String table) {
    if (!warehouse.exists(table)) {
      return List.of();
    }
    return warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(table))
        .filter(col(Tables.RUN_ID).equalTo(runId)).collectAsList();
  }

  /** "0,1,2,3,4": the fold models behind an ensemble. */
  private static String folds(List<Integer> folds) {
    return folds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
  }

  private void write(TableSpec table, List<Row> rows) {
    SparkTables.overwritePartitions(warehouse, table, SparkTables.frame(warehouse.spark(), table, rows).coalesce(1));
  }

  /** This run's predictions rows (the CNN's and the LLM arms'), columns the CNN may lack filled with null. */
  List<Prediction> readPredictions() {
    if (!warehouse.exists(Predictions.NAME)) {
      return List.of();
    }
    Dataset<Row> p = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(Predictions.NAME))
        .filter(col(Tables.RUN_ID).equalTo(runId));
    boolean hasSource = Arrays.asList(p.columns()).contains(LlmVotes.SCORE_SOURCE);
    boolean hasThreshold = Arrays.asList(p.columns()).contains(Predictions.THRESHOLD);
    List<Prediction> out = new ArrayList<>();
    int skipped = 0;
    for (Row r : p.collectAsList()) {
      Object fold = r.getAs(Tables.FOLD);
      Object score = r.getAs(Predictions.SCORE);
      Object label = r.getAs(Tables.LABEL);
      Object pred = r.getAs(Predictions.PRED);
      String model = r.getAs(Predictions.MODEL);
      String patient = r.getAs(Tables.PATIENT_ID);
      String problem = !binary(label) ? "true label " + label + " is not 0 or 1"
          : !binary(pred) ? "prediction " + pred + " is not 0 or 1"
          : score != null && !Double.isFinite(((Number) score).doubleValue()) ? "score " + score + " is not finite"
          : r.getAs(Tables.COHORT) == null ? "no cohort" : null;
      if (problem != null) {
        // One bad row must not sink the run's metrics: leave it out and say which and why.
        LOG.warn("predictions row of run {} model {} plane {} patient {} left out of the metrics: {}", runId, model,
            r.getAs(Tables.PLANE), patient, problem);
        skipped++;
        continue;
      }
      out.add(new Prediction(model, r.getAs(Tables.PLANE), r.getAs(Tables.COHORT),
          fold == null ? null : ((Number) fold).intValue(), patient, ((Number) label).intValue(),
          score == null ? null : ((Number) score).doubleValue(), ((Number) pred).intValue(),
          hasSource && r.getAs(LlmVotes.SCORE_SOURCE) != null ? r.getAs(LlmVotes.SCORE_SOURCE)
              : Predictions.MODEL_CNN_ENSEMBLE.equals(model) ? ResultRows.SCORE_FOLD_MEAN
              : MetricsCalculator.isCnn(model) ? ResultRows.SCORE_P_HGG : null,
          hasThreshold && r.getAs(Predictions.THRESHOLD) != null ? ((Number) r.getAs(Predictions.THRESHOLD)).doubleValue() : null));
    }
    if (skipped > 0) {
      LOG.warn("{} predictions rows of run {} were left out of the metrics (see the warnings above)", skipped, runId);
    }
    return out;
  }

  /** This run's cnn_models rows (empty when train-cnn has not written any). */
  private List<CnnTestModels.FoldModel> readCnnModels() {
    if (!warehouse.exists(Tables.CnnModels.NAME)) {
      return List.of();
    }
    Dataset<Row> m = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(Tables.CnnModels.NAME))
        .filter(col(Tables.RUN_ID).equalTo(runId));
    List<String> cols = Arrays.asList(m.columns());
    List<CnnTestModels.FoldModel> out = new ArrayList<>();
    for (Row r : m.collectAsList()) {
      out.add(new CnnTestModels.FoldModel(((Number) r.getAs(Tables.FOLD)).intValue(),
          cols.contains(Tables.CnnModels.CRITERION) ? r.getAs(Tables.CnnModels.CRITERION) : null,
          number(r, cols, Tables.CnnModels.VAL_LOSS), number(r, cols, Tables.CnnModels.VAL_AUC),
          number(r, cols, Tables.CnnModels.THRESHOLD)));
    }
    return out;
  }

  private static Double number(Row r, List<String> cols, String column) {
    Object v = cols.contains(column) ? r.getAs(column) : null;
    return v == null ? null : ((Number) v).doubleValue();
  }

  private static boolean binary(Object v) {
    return v instanceof Number n && (n.intValue() == 0 || n.intValue() == 1) && n.doubleValue() == n.intValue();
  }

  /**
   * The arms of this run whose answers came from the simulated server: the arm name or its served model
   * contains "simulated" (the predictions column simulated, written by llm_votes.sql).
   */
  Set<String> simulatedArms() {
    Set<String> arms = new TreeSet<>();
    if (!warehouse.exists(Predictions.NAME)) {
      return arms;
    }
    Dataset<Row> p = warehouse.spark().read().option("mergeSchema", "true").parquet(warehouse.path(Predictions.NAME))
        .filter(col(Tables.RUN_ID).equalTo(runId));
    boolean flagged = Arrays.asList(p.columns()).contains(LlmVotes.SIMULATED);
    for (Row r : p.select(col(Predictions.MODEL), (flagged ? col(LlmVotes.SIMULATED) : lit(false)).as(LlmVotes.SIMULATED))
        .distinct().collectAsList()) {
      String model = SparkTables.string(r, Predictions.MODEL);
      if (Boolean.TRUE.equals(SparkTables.boolOrNull(r, LlmVotes.SIMULATED)) || model.toLowerCase(Locale.ROOT).contains("simulated")) {
        arms.add(model);
      }
    }
    // Locate-only arms have no predictions rows: their localisation rows say whether they were simulated.
    if (warehouse.exists(Tables.LlmLocalisation.NAME)) {
      Dataset<Row> loc = warehouse.read(Tables.LlmLocalisation.NAME).filter(col(Tables.RUN_ID).equalTo(runId));
      if (Arrays.asList(loc.columns()).contains(LlmVotes.SIMULATED)) {
        loc.where(col(LlmVotes.SIMULATED)).select(Tables.LlmLocalisation.ARM).distinct().collectAsList()
            .forEach(r -> arms.add(SparkTables.string(r, Tables.LlmLocalisation.ARM)));
      }
    }
    return arms;
  }

  /** Whether the run has segmentation rows (train-seg's, or the LLM arms' written above). */
  boolean hasSegmentation() {
    return warehouse.exists(Tables.Segmentation.NAME)
        && !warehouse.read(Tables.Segmentation.NAME).where(col(Tables.RUN_ID).equalTo(runId)).isEmpty();
  }

  /** True labels of the patients table per cohort x fold, for the baseline rows. */
  private Map<Group, int[]> labelsByCohortFold() {
    Map<Group, List<Integer>> labels = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Row r : warehouse.read(Patients.NAME).select(Tables.COHORT, Tables.FOLD, Tables.LABEL).collectAsList()) {
      labels.computeIfAbsent(new Group(null, null, SparkTables.string(r, Tables.COHORT), SparkTables.intOrNull(r, Tables.FOLD)),
          g -> new ArrayList<>()).add(SparkTables.intValue(r, Tables.LABEL));
    }
    Map<Group, int[]> out = new TreeMap<>(Comparator.comparing(Object::toString));
    labels.forEach((g, l) -> out.put(g, l.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }
}
