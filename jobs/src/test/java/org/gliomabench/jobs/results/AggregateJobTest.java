package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Results.ConsistencyByGrade;
import org.gliomabench.core.Tables.Results.ModelOrInput;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.core.Tables.Results.Metrics;
import org.gliomabench.core.Tables.Results.MetricsAcrossFolds;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.LlmVotes;
import org.gliomabench.core.metrics.Bootstrap;
import org.gliomabench.core.metrics.DeLong;
import org.gliomabench.core.metrics.FoldSummary;
import org.gliomabench.core.metrics.McNemar;
import org.gliomabench.core.metrics.Metric;
import org.gliomabench.core.metrics.PatientSample;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** aggregate end to end on fixture tables, in a real local Spark session, through the command line. */
class AggregateJobTest {
  static final int RESAMPLES = ResultsFixture.RESAMPLES;
  static final long SEED = ResultsFixture.SEED;

  static SparkSession spark;
  static String warehouse;

  @BeforeAll
  static void aggregateTwice() {
    spark = SharedSpark.session();
    warehouse = ResultsFixture.aggregated().warehouse();
  }

  private static final Map<String, List<Row>> TABLES = new HashMap<>();

  /** This run's rows of a table, read once. */
  static synchronized List<Row> table(String name) {
    return TABLES.computeIfAbsent(name, n -> read(n));
  }

  private static List<Row> read(String name) {
    return spark.read().option("mergeSchema", "true").parquet(warehouse + "/" + name)
        .filter(col(Tables.RUN_ID).equalTo(ResultsFixture.RUN)).collectAsList();
  }

  private static Map<String, Row> llmRows(String arm, String plane) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : table(Predictions.NAME)) {
      if (arm.equals(r.getAs(Predictions.MODEL)) && plane.equals(r.getAs(Tables.PLANE))) {
        m.put(r.getAs(Tables.PATIENT_ID), r);
      }
    }
    return m;
  }

  /** The fixture's tallies plus the retried calls that ended in an answer (T01 and T02 each one HGG). */
  private static int[] countedTally(String patient) {
    int[] t = ResultsFixture.SIM_AXIAL.get(patient).clone();
    if (patient.equals("T01") || patient.equals("T02")) {
      t[1]++;
    }
    return t;
  }

  @Test
  void succeedsAndARerunReplacesInsteadOfAdding() {
    ResultsFixture.Aggregated a = ResultsFixture.aggregated();
    assertEquals(0, a.status());
    assertEquals(0, a.rerunStatus());
    assertEquals(a.metricRowsAfterFirst(), table(Metrics.NAME).size());
    // 18 patients x 2 arm-planes on every patient + 10 coronal, the CNN's 28 rows + 1 bad row, and the 10 test
    // patients of the fold ensemble and of the selected fold, once each.
    assertEquals(18 + 18 + 10 + 28 + 1 + 10 + 10, table(Predictions.NAME).size());
  }

  @Test
  void talliesVotesAndGldrFollowTheRuleOnEveryPatient() {
    Map<String, Row> axial = llmRows(ResultsFixture.SIM_ARM, "axial");
    assertEquals(ResultsFixture.SIM_AXIAL.size(), axial.size());
    VoteRule rule = VoteRule.studyDefault();
    for (String p : ResultsFixture.SIM_AXIAL.keySet()) {
      Row r = axial.get(p);
      int[] t = countedTally(p);
      assertEquals(t[0], (int) r.<Integer>getAs(LlmVotes.N_LGG), p);
      assertEquals(t[1], (int) r.<Integer>getAs(LlmVotes.N_HGG), p);
      assertEquals(t[2], (int) r.<Integer>getAs(LlmVotes.N_NONE), p);
      assertEquals(t[3], (int) r.<Integer>getAs(LlmVotes.N_UNPARSEABLE), p);
      assertEquals(rule.vote(t), r.getAs(LlmVotes.VOTE), p);
      assertEquals("HGG".equals(rule.vote(t)) ? 1 : 0, (int) r.<Integer>getAs(Predictions.PRED), p);
      Double gldr = r.getAs(LlmVotes.GLDR);
      if (t[0] + t[1] == 0) {
        assertNull(gldr, p);
        assertEquals(0.5, r.<Double>getAs(Predictions.SCORE), 0, p);
      } else {
        assertEquals(t[1] / (double) (t[0] + t[1]), gldr, 1e-12, p);
        assertEquals(gldr, r.<Double>getAs(Predictions.SCORE), 0, p);
      }
      assertEquals("gldr", r.getAs(LlmVotes.SCORE_SOURCE));
      assertEquals(true, r.getAs(LlmVotes.SIMULATED));
      assertEquals(ResultsFixture.LABELS.get(p), r.<Integer>getAs(Tables.LABEL), p);
      assertEquals(ResultsFixture.cohort(p), r.getAs(Tables.COHORT));
      assertEquals(ResultsFixture.fold(p), r.getAs(Tables.FOLD));
    }
    assertEquals("LGG", axial.get("T08").getAs(LlmVotes.VOTE), "the study's [24, 20, 24, 10]");
    assertEquals(20 / 44.0, axial.get("T08").<Double>getAs(LlmVotes.GLDR), 1e-12);
    assertEquals("HGG", axial.get("T03").getAs(LlmVotes.VOTE), "HGG-none tie");
    assertEquals(VoteRule.NO_ANSWER, axial.get("T10").getAs(LlmVotes.VOTE));
    assertEquals(2, (int) axial.get("T10").<Integer>getAs(LlmVotes.N_FAILED));
    assertEquals(0, (int) axial.get("T01").<Integer>getAs(LlmVotes.N_FAILED), "the retried call answered");
    assertEquals(0, (int) axial.get("T02").<Integer>getAs(LlmVotes.N_FAILED), "an answer beats a later failure");
  }

  @Test
  void anArmWithLogProbabilitiesIsScoredByMeanPHgg() {
    Map<String, Row> rows = llmRows(ResultsFixture.P_ARM, "axial");
    assertEquals(ResultsFixture.LABELS.size(), rows.size());
    for (Row r : rows.values()) {
      assertEquals("mean_p_hgg", r.getAs(LlmVotes.SCORE_SOURCE));
      assertEquals(r.<Double>getAs(LlmVotes.MEAN_P_HGG), r.<Double>getAs(Predictions.SCORE));
      assertEquals(false, r.getAs(LlmVotes.SIMULATED));
      assertEquals(ResultsFixture.P_MODEL, r.getAs(LlmVotes.LLM_MODEL));
    }
  }

  @Test
  void theCnnRowsOfThisRunAndTheOtherRunAreKept() {
    long cnn = table(Predictions.NAME).stream().filter(r -> Predictions.MODEL_CNN.equals(r.getAs(Predictions.MODEL))).count();
    assertEquals(28 + 1, cnn);
    long other = spark.read().parquet(warehouse + "/" + Predictions.NAME)
        .filter(col(Tables.RUN_ID).equalTo(ResultsFixture.OTHER_RUN)).count();
    assertEquals(28, other, "the other run's CNN rows are untouched and it has no LLM rows");
  }

  /** The patients of one group, sorted by id, as the metrics library sees them. */
  private static PatientSample sample(String model, String plane, String cohort, Integer fold) {
    List<Row> rows = new ArrayList<>(table(Predictions.NAME).stream()
        .filter(r -> model.equals(r.getAs(Predictions.MODEL)) && Objects.equals(plane, r.getAs(Tables.PLANE))
            && cohort.equals(r.getAs(Tables.COHORT)) && Objects.equals(fold, r.getAs(Tables.FOLD))
            && r.getAs(Tables.LABEL) != null).toList());
    rows.sort((a, b) -> a.<String>getAs(Tables.PATIENT_ID).compareTo(b.getAs(Tables.PATIENT_ID)));
    return new PatientSample(rows.stream().mapToInt(r -> r.<Integer>getAs(Tables.LABEL)).toArray(),
        rows.stream().mapToInt(r -> r.<Integer>getAs(Predictions.PRED)).toArray(),
        rows.stream().mapToDouble(r -> r.<Double>getAs(Predictions.SCORE)).toArray());
  }

  private static Map<String, Row> metricRows(String model, String plane, String cohort, Integer fold) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : table(Metrics.NAME)) {
      if (model.equals(r.getAs(Predictions.MODEL)) && Objects.equals(plane, r.getAs(Tables.PLANE))
          && Objects.equals(cohort, r.getAs(Tables.COHORT)) && Objects.equals(fold, r.getAs(Tables.FOLD))) {
        m.put(r.getAs(Metrics.METRIC), r);
      }
    }
    return m;
  }

  @Test
  void metricValuesAndIntervalsAreTheLibrarysOnTheSamePatients() {
    Object[][] groups = {
        {ResultsFixture.SIM_ARM, "axial", Tables.COHORT_TEST, null},
        {ResultsFixture.SIM_ARM, "coronal", Tables.COHORT_TEST, null},
        {ResultsFixture.SIM_ARM, "axial", Tables.COHORT_CV, 1},
        {ResultsFixture.P_ARM, "axial", Tables.COHORT_TEST, null},
        {Predictions.MODEL_CNN, null, Tables.COHORT_TEST, 0},
        {Predictions.MODEL_CNN, null, Tables.COHORT_CV, 1},
        {Predictions.MODEL_CNN_ENSEMBLE, null, Tables.COHORT_TEST, null},
        {Predictions.MODEL_CNN_SELECTED, null, Tables.COHORT_TEST, null}};
    Bootstrap bootstrap = new Bootstrap(RESAMPLES, 0.95, SEED);
    for (Object[] g : groups) {
      PatientSample s = sample((String) g[0], (String) g[1], (String) g[2], (Integer) g[3]);
      Map<String, Row> rows = metricRows((String) g[0], (String) g[1], (String) g[2], (Integer) g[3]);
      assertEquals(Metric.values().length, rows.size(), Arrays.toString(g));
      for (Metric m : Metric.values()) {
        Row r = rows.get(m.id());
        Bootstrap.Interval ci = bootstrap.interval(s, m);
        String what = Arrays.toString(g) + " " + m.id();
        assertEquals(s.size(), (int) r.<Integer>getAs(Metrics.N), what);
        assertEquals(orNull(m.of(s)), r.getAs(Metrics.VALUE), what);
        assertEquals(orNull(ci.low()), r.getAs(Metrics.CI_LOW), what);
        assertEquals(orNull(ci.high()), r.getAs(Metrics.CI_HIGH), what);
      }
    }
    // A sanity anchor independent of the library: the simulated axial test votes.
    Map<String, Row> sim = metricRows(ResultsFixture.SIM_ARM, "axial", Tables.COHORT_TEST, null);
    // HGG votes on T01 T02 T03 T05 T09; true HGG T01-T07: tp 4 (T01 T02 T03 T05), fp 1 (T09), tn 2, fn 3.
    assertEquals(4.0, sim.get("tp").<Double>getAs(Metrics.VALUE));
    assertEquals(1.0, sim.get("fp").<Double>getAs(Metrics.VALUE));
    assertEquals(2.0, sim.get("tn").<Double>getAs(Metrics.VALUE));
    assertEquals(3.0, sim.get("fn").<Double>getAs(Metrics.VALUE));
    assertEquals(0.6, sim.get("accuracy").<Double>getAs(Metrics.VALUE), 1e-12);
    assertEquals("gldr", sim.get("auc").getAs(LlmVotes.SCORE_SOURCE));
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  @Test
  void aRowWithoutATrueLabelIsLeftOutOfTheMetricsNotTheRun() {
    Map<String, Row> cnnFold0 = metricRows(Predictions.MODEL_CNN, null, Tables.COHORT_TEST, 0);
    assertEquals(10, (int) cnnFold0.get("accuracy").<Integer>getAs(Metrics.N), "T99 has no label");
    assertTrue(table(Predictions.NAME).stream().anyMatch(r -> ResultsFixture.BAD_PATIENT.equals(r.getAs(Tables.PATIENT_ID))),
        "the row itself stays in predictions");
  }

  @Test
  void everyCohortAndFoldHasAnAlwaysHggBaseline() {
    for (Object[] g : new Object[][] {{Tables.COHORT_TEST, null, 10, 7}, {Tables.COHORT_CV, 0, 4, 3},
        {Tables.COHORT_CV, 1, 4, 2}}) {
      Map<String, Row> b = metricRows(Metrics.BASELINE_MODEL, null, (String) g[0], (Integer) g[1]);
      int n = (Integer) g[2];
      int hgg = (Integer) g[3];
      assertEquals(hgg / (double) n, b.get("accuracy").<Double>getAs(Metrics.VALUE), 1e-12);
      assertEquals(1.0, b.get("recall").<Double>getAs(Metrics.VALUE));
      assertEquals(0.0, b.get("specificity").<Double>getAs(Metrics.VALUE));
      assertEquals(0.5, b.get("auc").<Double>getAs(Metrics.VALUE));
      assertEquals(n, (int) b.get("accuracy").<Integer>getAs(Metrics.N));
    }
  }

  @Test
  void pairedTestsCompareTheCnnWithEachArmOnTheSamePatients() {
    List<Row> rows = table(Comparisons.NAME);
    // CNN groups: test folds 0, 1, the ensemble and the selected fold; cv folds 0, 1. Test: sim axial, sim
    // coronal, p-arm axial each, and the ensemble and selected fold also against the always-HGG baseline;
    // cv: sim axial and p-arm axial.
    assertEquals(4 * 3 + 2 + 2 * 2, rows.size());
    Row r = rows.stream().filter(x -> Tables.COHORT_TEST.equals(x.getAs(Tables.COHORT))
        && Integer.valueOf(1).equals(x.getAs(Tables.FOLD)) && ResultsFixture.SIM_ARM.equals(x.getAs(Comparisons.MODEL_B))
        && "axial".equals(x.getAs(Comparisons.PLANE_B))).findFirst().orElseThrow();
    PatientSample cnn = sample(Predictions.MODEL_CNN, null, Tables.COHORT_TEST, 1);
    PatientSample llm = sample(ResultsFixture.SIM_ARM, "axial", Tables.COHORT_TEST, null);
    McNemar m = McNemar.test(cnn.labels(), cnn.predictions(), llm.predictions());
    DeLong d = DeLong.test(cnn.labels(), cnn.scores(), llm.scores());
    assertEquals(10, (int) r.<Integer>getAs(Comparisons.N));
    assertEquals(m.onlyFirstCorrect(), (int) r.<Integer>getAs(Comparisons.ONLY_A_CORRECT));
    assertEquals(m.onlySecondCorrect(), (int) r.<Integer>getAs(Comparisons.ONLY_B_CORRECT));
    assertEquals(m.pValue(), r.<Double>getAs(Comparisons.MCNEMAR_P), 1e-15);
    assertEquals(d.auc1(), r.<Double>getAs(Comparisons.AUC_A), 1e-15);
    assertEquals(d.auc2(), r.<Double>getAs(Comparisons.AUC_B), 1e-15);
    assertEquals(d.pValue(), r.<Double>getAs(Comparisons.DELONG_P), 1e-15);
    assertNotEquals(r.<Double>getAs(Comparisons.AUC_A), r.<Double>getAs(Comparisons.AUC_B));
  }

  private static Map<String, Row> modelRows(String model) {
    Map<String, Row> m = new HashMap<>();
    table(Predictions.NAME).stream().filter(r -> model.equals(r.getAs(Predictions.MODEL)))
        .forEach(r -> m.put(r.getAs(Tables.PATIENT_ID), r));
    return m;
  }

  @Test
  void theFoldEnsembleAveragesTheFoldModelsTestScoresAndCutsAtTheMeanThreshold() {
    Map<String, Row> ensemble = modelRows(Predictions.MODEL_CNN_ENSEMBLE);
    assertEquals(10, ensemble.size(), "every labelled test patient once; T99 has no label");
    double threshold = (ResultsFixture.THRESHOLD[0] + ResultsFixture.THRESHOLD[1]) / 2;
    int predictedHgg = 0;
    for (Map.Entry<String, Row> e : ensemble.entrySet()) {
      String p = e.getKey();
      Row r = e.getValue();
      double mean = (ResultsFixture.cnnScore(p, 0) + ResultsFixture.cnnScore(p, 1)) / 2;
      assertEquals(mean, r.<Double>getAs(Predictions.SCORE), 1e-12, p);
      assertEquals(mean >= threshold ? 1 : 0, (int) r.<Integer>getAs(Predictions.PRED), p);
      predictedHgg += r.<Integer>getAs(Predictions.PRED);
      assertEquals(threshold, r.<Double>getAs(Predictions.THRESHOLD), 1e-12);
      assertNull(r.getAs(Tables.FOLD));
      assertEquals(Tables.COHORT_TEST, r.getAs(Tables.COHORT));
      assertEquals("0,1", r.getAs(Predictions.FOLD_MODELS));
      assertEquals(ResultsFixture.LABELS.get(p), r.<Integer>getAs(Tables.LABEL));
    }
    assertTrue(predictedHgg > 0 && predictedHgg < 10, "the fixture's ensemble makes both calls");
  }

  @Test
  void theSelectedFoldIsTheOneWithTheLowestValidationLoss() {
    Map<String, Row> selected = modelRows(Predictions.MODEL_CNN_SELECTED);
    assertEquals(10, selected.size());
    selected.forEach((p, r) -> {
      assertEquals(ResultsFixture.cnnScore(p, 1), r.<Double>getAs(Predictions.SCORE), 1e-15, p);
      assertEquals(ResultsFixture.cnnScore(p, 1) >= ResultsFixture.THRESHOLD[1] ? 1 : 0, (int) r.<Integer>getAs(Predictions.PRED));
      assertEquals("1", r.getAs(Predictions.FOLD_MODELS));
      assertNull(r.getAs(Tables.FOLD));
    });
  }

  @Test
  void theHeadlineHoldsEachTestModelWithItsMetricsAndTheTestsAgainstTheEnsemble() {
    List<Row> rows = new ArrayList<>(table(Headline.NAME));
    rows.sort((a, b) -> Integer.compare(a.<Integer>getAs(Headline.POSITION), b.<Integer>getAs(Headline.POSITION)));
    List<String> order = rows.stream().map(r -> r.<String>getAs(Predictions.MODEL) + "/" + r.getAs(Tables.PLANE)).toList();
    assertEquals(List.of("cnn_ensemble/null", "cnn_selected/null", ResultsFixture.P_ARM + "/axial",
        ResultsFixture.SIM_ARM + "/axial", ResultsFixture.SIM_ARM + "/coronal", Metrics.BASELINE_MODEL + "/null"), order,
        "the general arm (llm.compare.general) first among the LLM arms");
    String finding = rows.get(0).getAs(Headline.FINDING);
    for (Row r : rows) {
      String model = r.getAs(Predictions.MODEL);
      String plane = r.getAs(Tables.PLANE);
      Map<String, Row> metrics = metricRows(model, plane, Tables.COHORT_TEST, null);
      for (String m : List.of("accuracy", "specificity", "balanced_accuracy", "auc")) {
        assertEquals(metrics.get(m).<Double>getAs(Metrics.VALUE), r.<Double>getAs(m), model + " " + m);
        assertEquals(metrics.get(m).<Double>getAs(Metrics.CI_LOW), r.<Double>getAs(m + Headline.CI_LOW_SUFFIX));
        assertEquals(metrics.get(m).<Double>getAs(Metrics.CI_HIGH), r.<Double>getAs(m + Headline.CI_HIGH_SUFFIX));
      }
      assertEquals(metrics.get("accuracy").<Integer>getAs(Metrics.N), r.<Integer>getAs(Headline.N));
      assertEquals(finding, r.getAs(Headline.FINDING), "one sentence per run");
      assertEquals(ResultsFixture.SIM_ARM.equals(model), r.<Boolean>getAs(Headline.SIMULATED));
      boolean compared = plane != null || Metrics.BASELINE_MODEL.equals(model);
      assertEquals(compared ? Predictions.MODEL_CNN_ENSEMBLE : null, r.getAs(Headline.VERSUS), model);
      if (compared) {
        Row c = table(Comparisons.NAME).stream().filter(x -> Predictions.MODEL_CNN_ENSEMBLE.equals(x.getAs(Comparisons.MODEL_A))
            && model.equals(x.getAs(Comparisons.MODEL_B)) && Objects.equals(plane, x.getAs(Comparisons.PLANE_B)))
            .findFirst().orElseThrow();
        assertEquals(c.<Double>getAs(Comparisons.MCNEMAR_P), r.<Double>getAs(Headline.MCNEMAR_P));
        assertEquals(c.<Double>getAs(Comparisons.DELONG_P), r.<Double>getAs(Headline.DELONG_P));
      }
    }
    // The ensemble against the simulated axial arm, by hand: McNemar on the same ten patients.
    PatientSample ens = sample(Predictions.MODEL_CNN_ENSEMBLE, null, Tables.COHORT_TEST, null);
    PatientSample sim = sample(ResultsFixture.SIM_ARM, "axial", Tables.COHORT_TEST, null);
    assertEquals(McNemar.test(ens.labels(), ens.predictions(), sim.predictions()).pValue(),
        rows.get(3).<Double>getAs(Headline.MCNEMAR_P), 1e-15);
    assertTrue(finding.startsWith("On the held-out test cohort (10 patients: 7 HGG, 3 LGG), the CNN fold ensemble"), finding);
    assertTrue(finding.contains("for the best LLM arm, "), finding);
    assertTrue(finding.contains("McNemar p = "), finding);
    assertTrue(finding.contains("answering HGG for every patient scores accuracy 0.70 with specificity 0.00"), finding);
  }

  /** Model or input: each arm against the general arm on its plane and against the CNN fold ensemble, same patients. */
  @Test
  void modelOrInputComparesEveryArmWithTheGeneralArmAndTheCnnOnTheSameTestPatients() {
    List<Row> rows = new ArrayList<>(table(ModelOrInput.NAME));
    rows.sort((a, b) -> Integer.compare(a.<Integer>getAs(Headline.POSITION), b.<Integer>getAs(Headline.POSITION)));
    assertEquals(List.of(ResultsFixture.P_ARM + "/axial", ResultsFixture.SIM_ARM + "/axial", ResultsFixture.SIM_ARM + "/coronal"),
        rows.stream().map(r -> r.<String>getAs(Predictions.MODEL) + "/" + r.getAs(Tables.PLANE)).toList(),
        "the general arm first, then the others by name and plane; the CNN's own rows and the baseline are the reference");
    Row general = rows.get(0);
    assertNull(general.getAs(ModelOrInput.GENERAL_ARM), "the general arm is not compared with itself");
    Row simAxial = rows.get(1);
    assertEquals(ResultsFixture.P_ARM, simAxial.getAs(ModelOrInput.GENERAL_ARM));
    assertNull(rows.get(2).getAs(ModelOrInput.N_VS_GENERAL), "no general arm on the coronal plane");
    // Against the general arm, by hand on the same patients.
    PatientSample sim = sample(ResultsFixture.SIM_ARM, "axial", Tables.COHORT_TEST, null);
    PatientSample gen = sample(ResultsFixture.P_ARM, "axial", Tables.COHORT_TEST, null);
    assertEquals(McNemar.test(sim.labels(), sim.predictions(), gen.predictions()).pValue(),
        simAxial.<Double>getAs(ModelOrInput.MCNEMAR_P_VS_GENERAL), 1e-15);
    assertEquals(DeLong.test(sim.labels(), sim.scores(), gen.scores()).pValue(),
        simAxial.<Double>getAs(ModelOrInput.DELONG_P_VS_GENERAL), 1e-15);
    assertEquals(Metric.BALANCED_ACCURACY.of(sim) - Metric.BALANCED_ACCURACY.of(gen),
        simAxial.<Double>getAs(ModelOrInput.BALANCED_ACCURACY_VS_GENERAL), 1e-12);
    // Against the CNN fold ensemble: the same p-values the headline holds, and the agreement counted by hand.
    Row headline = table(Headline.NAME).stream().filter(r -> ResultsFixture.SIM_ARM.equals(r.getAs(Predictions.MODEL))
        && "axial".equals(r.getAs(Tables.PLANE))).findFirst().orElseThrow();
    assertEquals(headline.<Double>getAs(Headline.MCNEMAR_P), simAxial.<Double>getAs(ModelOrInput.MCNEMAR_P_VS_CNN));
    assertEquals(headline.<Double>getAs(Headline.BALANCED_ACCURACY), simAxial.<Double>getAs(Headline.BALANCED_ACCURACY));
    PatientSample ens = sample(Predictions.MODEL_CNN_ENSEMBLE, null, Tables.COHORT_TEST, null);
    int same = 0;
    int differ = 0;
    int simRight = 0;
    for (int i = 0; i < ens.size(); i++) {
      if (ens.predictions()[i] == sim.predictions()[i]) {
        same++;
      } else {
        differ++;
        simRight += sim.predictions()[i] == sim.labels()[i] ? 1 : 0;
      }
    }
    assertEquals((double) same / ens.size(), simAxial.<Double>getAs(ModelOrInput.AGREEMENT_WITH_CNN), 1e-12);
    assertEquals(differ, (int) simAxial.<Integer>getAs(ModelOrInput.DISAGREEMENTS));
    assertTrue(differ > 0, "the fixture's arm and ensemble disagree somewhere");
    assertEquals((double) simRight / differ, simAxial.<Double>getAs(ModelOrInput.ACCURACY_WHERE_DISAGREE), 1e-12);
    assertEquals("slice", simAxial.getAs(ModelOrInput.SHOWN), "without llm_arm_plans an arm shows the slice");
  }

  @Test
  void theConsistencyTestIsSummedPerGradeWithAnIntervalOverTheSlicesAndTheStudysFigures() {
    List<Row> rows = table(ConsistencyByGrade.NAME);
    assertEquals(2, rows.size());
    Row hgg = rows.stream().filter(r -> r.<Integer>getAs(Tables.LABEL) == 1).findFirst().orElseThrow();
    Row lgg = rows.stream().filter(r -> r.<Integer>getAs(Tables.LABEL) == 0).findFirst().orElseThrow();
    assertEquals(3, (int) hgg.<Integer>getAs(ConsistencyByGrade.SLICES));
    assertEquals(2, (int) lgg.<Integer>getAs(ConsistencyByGrade.SLICES));
    assertEquals(285L, (long) hgg.<Long>getAs(LlmConsistency.SAMPLES));
    assertEquals(90L + 95 + 80, (long) hgg.<Long>getAs(LlmConsistency.N_HGG));
    assertEquals((90 + 95 + 80) / 285.0, hgg.<Double>getAs(ConsistencyByGrade.CORRECT_SHARE), 1e-12);
    assertEquals((90 / 95.0 + 1 + 80 / 95.0) / 3, hgg.<Double>getAs(ConsistencyByGrade.MEAN_MODAL_SHARE), 1e-12);
    double low = hgg.getAs(ConsistencyByGrade.CI_LOW);
    double high = hgg.getAs(ConsistencyByGrade.CI_HIGH);
    assertTrue(low <= 80 / 95.0 + 1e-12 && low < high && high <= 1.0, low + " .. " + high);
    assertEquals((71 / 95.0 + 60 / 95.0) / 2, lgg.<Double>getAs(ConsistencyByGrade.MEAN_MODAL_SHARE), 1e-12);
    assertEquals((20 + 60) / 190.0, lgg.<Double>getAs(ConsistencyByGrade.CORRECT_SHARE), 1e-12);
    assertEquals(1.0, hgg.<Double>getAs(ConsistencyByGrade.STUDY_MODAL_SHARE), 1e-12);
    assertEquals(77 / 95.0, lgg.<Double>getAs(ConsistencyByGrade.STUDY_MODAL_SHARE), 1e-12);
    assertTrue(hgg.<Boolean>getAs(LlmCalls.SIMULATED));
  }

  @Test
  void foldSummariesAreMeanAndSdOfTheFoldRows() {
    List<Row> rows = table(MetricsAcrossFolds.NAME);
    Row cnnTestAuc = rows.stream().filter(r -> Predictions.MODEL_CNN.equals(r.getAs(Predictions.MODEL))
        && Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)) && "auc".equals(r.getAs(Metrics.METRIC)))
        .findFirst().orElseThrow();
    double f0 = metricRows(Predictions.MODEL_CNN, null, Tables.COHORT_TEST, 0).get("auc").getAs(Metrics.VALUE);
    double f1 = metricRows(Predictions.MODEL_CNN, null, Tables.COHORT_TEST, 1).get("auc").getAs(Metrics.VALUE);
    FoldSummary s = FoldSummary.of(f0, f1);
    assertEquals(s.mean(), cnnTestAuc.<Double>getAs(MetricsAcrossFolds.MEAN), 1e-15);
    assertEquals(s.sd(), cnnTestAuc.<Double>getAs(MetricsAcrossFolds.SD), 1e-15);
    assertEquals(2, (int) cnnTestAuc.<Integer>getAs(MetricsAcrossFolds.COUNTED));
    assertTrue(rows.stream().anyMatch(r -> ResultsFixture.SIM_ARM.equals(r.getAs(Predictions.MODEL))
        && Tables.COHORT_CV.equals(r.getAs(Tables.COHORT))), "the LLM arms' cv folds are summarised too");
    assertFalse(rows.stream().anyMatch(r -> ResultsFixture.SIM_ARM.equals(r.getAs(Predictions.MODEL))
        && Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT))), "the test cohort has one LLM row, no folds");
  }

  @Test
  void resultTablesAreRegisteredInTheDatabase() {
    long n = spark.sql("SELECT * FROM glioma_bench.metrics WHERE run_id = '" + ResultsFixture.RUN + "'").count();
    assertEquals(ResultsFixture.aggregated().metricRowsAfterFirst(), n);
    assertEquals(28, spark.sql("SELECT * FROM glioma_bench.predictions WHERE run_id = '" + ResultsFixture.OTHER_RUN
        + "' AND model = 'cnn'").count(), "partitioned by run_id and model, partitions recovered");
    assertTrue(spark.sql("SELECT * FROM glioma_bench.runs WHERE command = 'aggregate'").count() >= 1);
    assertEquals(6, spark.sql("SELECT * FROM glioma_bench.headline WHERE run_id = '" + ResultsFixture.RUN + "'").count());
  }
}
