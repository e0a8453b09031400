package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.MultitaskHistory;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.metrics.DeLong;
import org.gliomabench.core.metrics.McNemar;
import org.gliomabench.core.metrics.WilcoxonSignedRank;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aggregate and report on the results fixture plus the multi-task arm's rows (predictions per fold, segmentation
 * beside the U-Net's, its history): the multitask_ensemble, its paired tests against the CNN, its headline row and
 * the report's multi-task section.
 */
class MultitaskResultsTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;
  static final String RUN = ResultsFixture.RUN;
  static final double[] THRESHOLD = {0.5, 0.55};

  /** The multi-task fold model's P(HGG): unlike the CNN's, wrong on T03 (HGG) and T08 (LGG) where the CNN is right. */
  static double multitaskScore(String patient, int foldModel) {
    int i = Integer.parseInt(patient.substring(1));
    int label = ResultsFixture.LABELS.get(patient);
    double wrong = patient.equals("T03") ? -0.3 : patient.equals("T08") ? 0.2 : 0;
    return Math.min(0.98, 0.3 + 0.3 * label + 0.05 * ((i * 7 + foldModel * 3) % 6) + wrong);
  }

  /** Dice of a model on a patient and region: the multi-task U-Net better on WT for most patients. */
  static double dice(String model, String patient, String region, int foldModel) {
    int i = Integer.parseInt(patient.substring(1));
    double base = region.equals("WT") ? 0.8 : region.equals("TC") ? 0.6 : 0.4;
    double shift = model.equals(Segmentation.MODEL_MULTITASK_SEG) ? (region.equals("WT") ? 0.02 + 0.003 * (i % 4) : 0)
        : 0;
    return base + 0.01 * ((i + foldModel) % 5) + shift;
  }

  @BeforeAll
  static void aggregateAndReport() {
    spark = SharedSpark.session();
    warehouse = tmp.resolve("wh").toString();
    Warehouse wh = new Warehouse(spark, warehouse);
    ResultsFixture.write(wh);
    List<Row> predictions = new ArrayList<>();
    List<Row> segmentation = new ArrayList<>();
    for (String p : ResultsFixture.LABELS.keySet()) {
      for (int f : p.startsWith("T") ? new int[] {0, 1} : new int[] {ResultsFixture.fold(p)}) {
        double s = multitaskScore(p, f);
        predictions.add(SparkTables.row(Predictions.TABLE).set(Tables.RUN_ID, RUN)
            .set(Predictions.MODEL, Predictions.MODEL_MULTITASK).set(Tables.COHORT, ResultsFixture.cohort(p))
            .set(Tables.FOLD, f).set(Tables.PATIENT_ID, p).set(Tables.LABEL, ResultsFixture.LABELS.get(p))
            .set(Predictions.SCORE, s).set(Predictions.PRED, s >= THRESHOLD[f] ? 1 : 0)
            .set(Predictions.THRESHOLD, THRESHOLD[f]).build());
        for (String model : List.of(Segmentation.MODEL_CNN_SEG, Segmentation.MODEL_MULTITASK_SEG)) {
          for (String region : List.of("WT", "TC", "ET")) {
            segmentation.add(SparkTables.row(Segmentation.TABLE).set(Tables.RUN_ID, RUN).set(Segmentation.MODEL, model)
                .set(Tables.PATIENT_ID, p).set(Tables.LABEL, ResultsFixture.LABELS.get(p))
                .set(Tables.COHORT, ResultsFixture.cohort(p)).set(Tables.FOLD, f).set(Segmentation.REGION, region)
                .set(Segmentation.DICE, dice(model, p, region, f)).set(Segmentation.HD95, 3.0)
                .set(Segmentation.REFERENCE, Segmentation.REFERENCE_PHANTOM).build());
          }
        }
      }
    }
    SparkTables.overwritePartitions(wh, Predictions.TABLE, SparkTables.frame(spark, Predictions.TABLE, predictions));
    SparkTables.overwritePartitions(wh, Segmentation.TABLE, SparkTables.frame(spark, Segmentation.TABLE, segmentation));
    List<Row> history = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      for (int e = 1; e <= 4; e++) {
        history.add(SparkTables.row(MultitaskHistory.TABLE).set(Tables.RUN_ID, RUN).set(Tables.FOLD, f)
            .set(MultitaskHistory.EPOCH, e).set(MultitaskHistory.VAL_LOSS, 1.5 / e).set(MultitaskHistory.VAL_AUC, 0.5 + 0.1 * e)
            .set(MultitaskHistory.VAL_DICE_WT, 0.2 * e).set(MultitaskHistory.SECONDS, 2.0)
            .set(MultitaskHistory.TRAIN_EXAMPLES, 12L).build());
      }
    }
    SparkTables.overwritePartitions(wh, MultitaskHistory.TABLE, SparkTables.frame(spark, MultitaskHistory.TABLE, history));
    // A database of its own: the results fixture's tables stay registered under glioma_bench for AggregateJobTest.
    assertEquals(0, Main.run("aggregate", "--warehouse", warehouse, "--run-id", RUN, "--resamples", "50",
        "--set", "warehouse.database=glioma_bench_multitask"));
    assertEquals(0, Main.run("report", "--warehouse", warehouse, "--run-id", RUN));
  }

  static List<Row> rows(String table) {
    return spark.read().option("mergeSchema", "true").parquet(warehouse + "/" + table)
        .filter(col(Tables.RUN_ID).equalTo(RUN)).collectAsList();
  }

  static Map<String, Row> byPatient(String model) {
    Map<String, Row> m = new HashMap<>();
    rows(Predictions.NAME).stream().filter(r -> model.equals(r.getAs(Predictions.MODEL)))
        .forEach(r -> m.put(r.getAs(Tables.PATIENT_ID), r));
    return m;
  }

  @Test
  void theMultitaskEnsembleIsTheMeanOfItsFoldModelsTestScoresByTheCnnEnsemblesRule() {
    Map<String, Row> ensemble = byPatient(Predictions.MODEL_MULTITASK_ENSEMBLE);
    assertEquals(10, ensemble.size(), "every test patient once");
    double threshold = (THRESHOLD[0] + THRESHOLD[1]) / 2;
    ensemble.forEach((p, r) -> {
      double mean = (multitaskScore(p, 0) + multitaskScore(p, 1)) / 2;
      assertEquals(mean, r.<Double>getAs(Predictions.SCORE), 1e-12, p);
      assertEquals(mean >= threshold ? 1 : 0, (int) r.<Integer>getAs(Predictions.PRED), p);
      assertEquals(threshold, r.<Double>getAs(Predictions.THRESHOLD), 1e-12);
      assertEquals("0,1", r.getAs(Predictions.FOLD_MODELS));
      assertEquals(ResultRows.SCORE_FOLD_MEAN, r.getAs(Tables.Results.LlmVotes.SCORE_SOURCE));
      assertNull(r.getAs(Tables.FOLD));
    });
    assertEquals(10, byPatient(Predictions.MODEL_CNN_ENSEMBLE).size(), "the CNN's ensemble is still there");
  }

  @Test
  void segmentingAgainstNotSegmentingIsTestedOnTheSamePatientsAndHeadlinesTheAnswer() {
    Map<String, Row> cnn = byPatient(Predictions.MODEL_CNN_ENSEMBLE);
    Map<String, Row> mt = byPatient(Predictions.MODEL_MULTITASK_ENSEMBLE);
    List<String> ids = new ArrayList<>(cnn.keySet());
    ids.sort(null);
    int[] labels = ids.stream().mapToInt(p -> cnn.get(p).<Integer>getAs(Tables.LABEL)).toArray();
    McNemar m = McNemar.test(labels, ids.stream().mapToInt(p -> cnn.get(p).<Integer>getAs(Predictions.PRED)).toArray(),
        ids.stream().mapToInt(p -> mt.get(p).<Integer>getAs(Predictions.PRED)).toArray());
    DeLong d = DeLong.test(labels, ids.stream().mapToDouble(p -> cnn.get(p).<Double>getAs(Predictions.SCORE)).toArray(),
        ids.stream().mapToDouble(p -> mt.get(p).<Double>getAs(Predictions.SCORE)).toArray());
    List<Row> comparisons = rows(Comparisons.NAME);
    Row c = comparisons.stream().filter(r -> Predictions.MODEL_CNN_ENSEMBLE.equals(r.getAs(Comparisons.MODEL_A))
        && Predictions.MODEL_MULTITASK_ENSEMBLE.equals(r.getAs(Comparisons.MODEL_B))).findFirst().orElseThrow();
    assertEquals(10, (int) c.<Integer>getAs(Comparisons.N));
    assertEquals(m.onlyFirstCorrect(), (int) c.<Integer>getAs(Comparisons.ONLY_A_CORRECT));
    assertEquals(m.onlySecondCorrect(), (int) c.<Integer>getAs(Comparisons.ONLY_B_CORRECT));
    assertEquals(m.pValue(), c.<Double>getAs(Comparisons.MCNEMAR_P), 1e-15);
    assertEquals(d.pValue(), c.<Double>getAs(Comparisons.DELONG_P), 1e-15);
    assertEquals(List.of(2, 0), List.of(m.onlyFirstCorrect(), m.onlySecondCorrect()), "T03 and T08: the CNN only");
    // Each fold's two models on the fold's validation patients and on the test cohort: 2 folds x 2 cohorts.
    assertEquals(4, comparisons.stream().filter(r -> Predictions.MODEL_CNN.equals(r.getAs(Comparisons.MODEL_A))
        && Predictions.MODEL_MULTITASK.equals(r.getAs(Comparisons.MODEL_B))).count());
    // The multi-task ensemble against each LLM arm too, as every CNN-side answer is.
    assertTrue(comparisons.stream().anyMatch(r -> Predictions.MODEL_MULTITASK_ENSEMBLE.equals(r.getAs(Comparisons.MODEL_A))
        && ResultsFixture.SIM_ARM.equals(r.getAs(Comparisons.MODEL_B))));

    List<Row> headline = rows(Headline.NAME).stream()
        .sorted(java.util.Comparator.comparingInt(r -> r.<Integer>getAs(Headline.POSITION))).toList();
    List<String> roles = headline.stream().map(r -> r.<String>getAs(Headline.ROLE)).toList();
    assertEquals(List.of(Headline.ROLE_ENSEMBLE, Headline.ROLE_SELECTED, Headline.ROLE_MULTITASK),
        roles.subList(0, 3), "the multi-task ensemble follows the CNN's answers: " + roles);
    Row row = headline.get(2);
    assertEquals(Predictions.MODEL_CNN_ENSEMBLE, row.getAs(Headline.VERSUS));
    assertEquals(m.pValue(), row.<Double>getAs(Headline.MCNEMAR_P), 1e-15);
    assertEquals("multi-task U-Net, fold ensemble", row.getAs(Headline.LABEL));
    assertTrue(row.<String>getAs(Headline.DETAIL).contains("mean P(HGG) of the multi-task fold models 0, 1"));
    assertTrue(row.<String>getAs(Headline.FINDING).contains("the multi-task U-Net (segmenting as well as grading)"
        + " reached balanced accuracy"), row.<String>getAs(Headline.FINDING));
  }

  @Test
  void theReportPairsTheTwoUNetsDicePerPatientAndShowsTheGradingTests() throws IOException {
    Path html = Path.of(warehouse, ReportJob.REPORTS, RUN, ReportJob.HTML);
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertTrue(page.contains("The multi-task U-Net: does segmenting change grading"), "the section");
    assertTrue(page.contains("id=\"multitask-grading\""));
    assertTrue(Files.isRegularFile(html.resolveSibling("multitask_fold0.png")), "training curves per fold");

    // The test cohort's WT row: each patient's Dice is the mean over the two fold models, paired by patient.
    List<String> test = ResultsFixture.LABELS.keySet().stream().filter(p -> p.startsWith("T")).sorted().toList();
    double[] unet = test.stream().mapToDouble(p -> (dice("cnn_seg", p, "WT", 0) + dice("cnn_seg", p, "WT", 1)) / 2)
        .toArray();
    double[] mt = test.stream().mapToDouble(p -> (dice("multitask_seg", p, "WT", 0) + dice("multitask_seg", p, "WT", 1))
        / 2).toArray();
    WilcoxonSignedRank w = WilcoxonSignedRank.test(unet, mt);
    List<MultitaskSection.RegionPair> pairs = MultitaskSection.pairs(MultitaskSection.perPatient(rows(Segmentation.NAME)));
    MultitaskSection.RegionPair wt = pairs.get(0);
    assertEquals(List.of(Tables.COHORT_TEST, "WT", 10, 10, 0), List.of(wt.cohort(), wt.region(), wt.patients(),
        wt.better(), wt.worse()));
    assertEquals(w.pValue(), wt.test().pValue(), 1e-12);
    assertTrue(wt.test().pValue() < 0.01, "every test patient's WT Dice is higher: " + wt.test());
    assertEquals(1.0, pairs.get(1).test().pValue(), "TC: the same Dice for both, no patient differs");
    assertEquals(6, pairs.size(), "WT, TC, ET on the test and the validation patients");
    assertTrue(page.contains("<td>test</td><td>WT</td><td>10</td>"), "the pair in the page's table");
    assertTrue(page.contains(HeadlineTable.p(w.pValue())));
  }
}
