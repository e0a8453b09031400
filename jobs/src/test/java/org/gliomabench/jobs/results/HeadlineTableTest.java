package org.gliomabench.jobs.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.Tables.Results.Headline;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.HeadlineRow;
import org.gliomabench.jobs.results.ResultRows.MetricValue;
import org.junit.jupiter.api.Test;

/** The one sentence: what it says for each shape of run. */
class HeadlineTableTest {
  private static HeadlineRow row(int position, String model, String plane, String role, boolean simulated, double balAcc,
      double auc, double[] counts, Double mcnemar, Double delong) {
    Group g = new Group(model, plane, "test", null);
    Map<String, MetricValue> m = new LinkedHashMap<>();
    m.put("balanced_accuracy", new MetricValue(g, "balanced_accuracy", balAcc, balAcc - 0.1, Math.min(1, balAcc + 0.1), 8, null));
    m.put("auc", new MetricValue(g, "auc", auc, null, null, 8, null));
    m.put("accuracy", new MetricValue(g, "accuracy", 0.75, 0.5, 1.0, 8, null));
    m.put("specificity", new MetricValue(g, "specificity", 0.0, 0.0, 0.0, 8, null));
    String[] c = {"tp", "fp", "tn", "fn"};
    for (int i = 0; i < 4; i++) {
      m.put(c[i], new MetricValue(g, c[i], counts[i], null, null, 8, null));
    }
    String versus = mcnemar == null && delong == null ? null : "cnn_ensemble";
    return new HeadlineRow(position, model, plane, role, model, null, simulated, 8, m, null, versus, mcnemar, delong);
  }

  private static final double[] ALWAYS_HGG = {6, 2, 0, 0};

  @Test
  void theEnsembleAgainstTheBestArmWithBothTests() {
    List<HeadlineRow> rows = List.of(
        row(0, "cnn_ensemble", null, Headline.ROLE_ENSEMBLE, false, 0.9, 0.95, new double[] {6, 0, 2, 0}, null, null),
        row(1, "general", "axial", Headline.ROLE_LLM, true, 0.5, 0.6, ALWAYS_HGG, 0.25, 0.04),
        row(2, "lora", "axial", Headline.ROLE_LLM, false, 0.7, 0.8, new double[] {5, 1, 1, 1}, 0.5, 0.2),
        row(3, "baseline_always_hgg", null, Headline.ROLE_BASELINE, false, 0.5, 0.5, ALWAYS_HGG, 0.125, null));
    assertEquals("On the held-out test cohort (8 patients: 6 HGG, 2 LGG), the CNN fold ensemble reached balanced accuracy"
        + " 0.90 (95 % CI 0.80\u20131.00) and AUC 0.95, against 0.70 (0.60\u20130.80) and 0.80 for the best LLM arm,"
        + " lora on the axial plane; on the same patients the difference is not significant in either test at the"
        + " 5 % level (McNemar p = 0.500, DeLong p = 0.200); answering HGG for every patient scores accuracy 0.75"
        + " with specificity 0.00.", HeadlineTable.finding(rows));
  }

  @Test
  void anLlmOnlyRunNamesTheBestArmAndTheBaseline() {
    List<HeadlineRow> rows = List.of(
        row(0, "general", "coronal", Headline.ROLE_LLM, true, 0.55, 0.6, ALWAYS_HGG, null, null),
        row(1, "baseline_always_hgg", null, Headline.ROLE_BASELINE, false, 0.5, 0.5, ALWAYS_HGG, null, null));
    assertEquals("On the held-out test cohort (8 patients: 6 HGG, 2 LGG), the best LLM arm, general on the coronal plane"
        + " (SIMULATED answers), reached balanced accuracy 0.55 (95 % CI 0.45\u20130.65) and AUC 0.60; answering HGG"
        + " for every patient scores accuracy 0.75 with specificity 0.00.", HeadlineTable.finding(rows));
  }

  @Test
  void aRunWithoutTestCohortSaysSo() {
    assertEquals("No model was scored on a held-out test cohort in this run.", HeadlineTable.finding(List.of()));
  }
}
