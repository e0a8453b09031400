package org.gliomabench.jobs.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.jobs.results.ResultRows.Prediction;
import org.junit.jupiter.api.Test;

/** The CNN's test-cohort answers from fold models' rows, without Spark. */
class CnnTestModelsTest {
  /** Three fold models; test patients T1 (HGG) and T2 (LGG); validation patients V{fold}{a,b}. */
  private static List<Prediction> rows() {
    List<Prediction> p = new ArrayList<>();
    double[][] test = {{0.9, 0.3}, {0.6, 0.5}, {0.3, 0.2}};
    double[] thresholds = {0.5, 0.4, 0.6};
    for (int f = 0; f < 3; f++) {
      p.add(cnn(Tables.COHORT_TEST, f, "T1", 1, test[f][0], thresholds[f]));
      p.add(cnn(Tables.COHORT_TEST, f, "T2", 0, test[f][1], thresholds[f]));
      // Validation: fold 1 ranks its two patients right, the others wrong.
      p.add(cnn(Tables.COHORT_CV, f, "V" + f + "a", 1, f == 1 ? 0.8 : 0.2, thresholds[f]));
      p.add(cnn(Tables.COHORT_CV, f, "V" + f + "b", 0, f == 1 ? 0.1 : 0.7, thresholds[f]));
    }
    p.add(new Prediction("llm", "axial", Tables.COHORT_TEST, null, "T1", 1, 0.9, 1, "gldr", null));
    return p;
  }

  private static Prediction cnn(String cohort, int fold, String patient, int label, double score, double threshold) {
    return new Prediction(Predictions.MODEL_CNN, null, cohort, fold, patient, label, score, score >= threshold ? 1 : 0,
        "p_hgg", threshold);
  }

  @Test
  void theEnsembleIsTheMeanScoreCutAtTheMeanThreshold() {
    CnnTestModels.Result r = CnnTestModels.of(rows(), List.of());
    assertEquals(List.of(0, 1, 2), r.folds());
    assertEquals(2, r.ensemble().size());
    Prediction t1 = r.ensemble().get(0);
    assertEquals("T1", t1.patientId());
    assertEquals(0.6, t1.score(), 1e-12);
    assertEquals(0.5, t1.threshold(), 1e-12);
    assertEquals(1, t1.pred());
    assertEquals(0, r.ensemble().get(1).pred(), "T2: mean 1/3 below 0.5");
    assertEquals(null, t1.fold());
    assertTrue(r.ensembleDetail().contains("the mean of their thresholds"), r.ensembleDetail());
  }

  @Test
  void theSelectedFoldFollowsCnnModelsCriterion() {
    List<CnnTestModels.FoldModel> byLoss = List.of(new CnnTestModels.FoldModel(0, "val_loss", 0.40, 0.90, 0.5),
        new CnnTestModels.FoldModel(1, "val_loss", 0.30, 0.60, 0.4), new CnnTestModels.FoldModel(2, "val_loss", 0.30, 0.70, 0.6));
    CnnTestModels.Result r = CnnTestModels.of(rows(), byLoss);
    assertEquals(2, r.selectedFold(), "lowest loss, tie broken by the higher AUC");
    assertEquals(List.of(0.3, 0.2), r.selected().stream().map(Prediction::score).toList());
    assertEquals(0.6, r.selected().get(0).threshold(), 1e-12);

    List<CnnTestModels.FoldModel> byAuc = byLoss.stream().map(m -> new CnnTestModels.FoldModel(m.fold(), "val_auc",
        m.valLoss(), m.valAuc(), m.threshold())).toList();
    assertEquals(0, CnnTestModels.of(rows(), byAuc).selectedFold(), "highest validation AUC");
  }

  @Test
  void withoutCnnModelsTheFoldWithTheBestValidationAucIsSelected() {
    CnnTestModels.Result r = CnnTestModels.of(rows(), List.of());
    assertEquals(1, r.selectedFold());
    assertTrue(r.selectedDetail().contains("no cnn_models rows"), r.selectedDetail());
  }

  @Test
  void noCnnTestRowsNoAnswer() {
    assertTrue(CnnTestModels.of(rows().subList(12, 13), List.of()).isEmpty());
  }
}
