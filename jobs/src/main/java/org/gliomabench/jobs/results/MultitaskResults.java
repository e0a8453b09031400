package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.jobs.results.ResultRows.Comparison;
import org.gliomabench.jobs.results.ResultRows.Group;
import org.gliomabench.jobs.results.ResultRows.Prediction;

/**
 * The multi-task arm in aggregate: its fold ensemble on the test cohort (multitask_ensemble, the cnn_ensemble rule)
 * and whether segmenting changed grading: McNemar and DeLong of the CNN (a) against the multi-task U-Net (b) on the
 * same patients, the two ensembles on the test cohort and each fold's two models on the fold's validation patients
 * and on the test cohort.
 */
final class MultitaskResults {
  private MultitaskResults() {}

  /** The mean of the multi-task fold models' test scores, HGG at the mean of their thresholds. */
  static CnnTestModels.Ensemble ensemble(List<Prediction> predictions) {
    return CnnTestModels.ensemble(predictions, Predictions.MODEL_MULTITASK, Predictions.MODEL_MULTITASK_ENSEMBLE,
        Map.of(), "multi-task");
  }

  /** The paired tests, CNN against multi-task, wherever both scored the same patients. */
  static List<Comparison> versusCnn(List<Prediction> predictions) {
    Map<Group, List<Prediction>> groups = MetricsCalculator.groups(predictions);
    List<Comparison> out = new ArrayList<>();
    groups.forEach((g, cnnRows) -> {
      String other = Predictions.MODEL_CNN.equals(g.model()) ? Predictions.MODEL_MULTITASK
          : Predictions.MODEL_CNN_ENSEMBLE.equals(g.model()) ? Predictions.MODEL_MULTITASK_ENSEMBLE : null;
      List<Prediction> multitask = other == null ? null : groups.get(new Group(other, g.plane(), g.cohort(), g.fold()));
      if (multitask == null) {
        return;
      }
      Map<String, Prediction> byPatient = new TreeMap<>();
      multitask.forEach(p -> byPatient.put(p.patientId(), p));
      List<Prediction> a = new ArrayList<>();
      List<Prediction> b = new ArrayList<>();
      cnnRows.stream().sorted(java.util.Comparator.comparing(Prediction::patientId)).forEach(p -> {
        Prediction q = byPatient.get(p.patientId());
        if (q != null) {
          a.add(p);
          b.add(q);
        }
      });
      if (!a.isEmpty()) {
        out.add(MetricsCalculator.compare(g, other, null, a, b));
      }
    });
    return out;
  }
}
