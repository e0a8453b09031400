package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.metrics.RocAuc;
import org.gliomabench.jobs.results.ResultRows.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNN's two answers on the held-out test cohort, from train-cnn's rows (one set of test-cohort scores
 * per fold model) and cnn_models:
 * <ul>
 *   <li>{@code cnn_ensemble}: per patient the mean of the fold models' scores, HGG when it reaches the mean
 *   of the fold models' thresholds (0.5 when every fold uses the fixed 0.5; with Youden thresholds per fold,
 *   their mean), as nnU-Net and MONAI users expect;</li>
 *   <li>{@code cnn_selected}: the test rows of the one fold model that validation prefers, as the study did:
 *   the best value of cnn_models' criterion among the kept epochs (lowest val_loss, or highest val_auc when
 *   every fold kept its epoch by AUC; ties go to the other figure, then the lower fold); without cnn_models
 *   rows, the highest AUC on the fold's own validation patients.</li>
 * </ul>
 */
final class CnnTestModels {
  private static final Logger LOG = LoggerFactory.getLogger(CnnTestModels.class);

  /** One cnn_models row. */
  record FoldModel(int fold, String criterion, Double valLoss, Double valAuc, Double threshold) {}

  /** The rows to write (model, fold null) and what they are made of, for the headline's detail column. */
  record Result(List<Prediction> ensemble, List<Prediction> selected, List<Integer> folds, int selectedFold,
      String ensembleDetail, String selectedDetail) {
    boolean isEmpty() {
      return ensemble.isEmpty();
    }
  }

  private CnnTestModels() {}

  /**
   * A fold ensemble on the test cohort: per patient the mean of a model's fold scores, HGG at the mean of the folds'
   * thresholds (with the folds' rows and thresholds it was made of); no rows when no fold model scored the test cohort.
   */
  record Ensemble(List<Prediction> rows, List<Integer> folds, Map<Integer, List<Prediction>> testByFold,
      Map<Integer, Double> thresholds, String detail) {}

  /**
   * @param models fold models' records (cnn_models) for a threshold a fold's rows lack; may be empty
   * @param what the fold models' name in the detail, e.g. "CNN"
   */
  static Ensemble ensemble(List<Prediction> predictions, String foldModel, String ensembleModel,
      Map<Integer, FoldModel> models, String what) {
    Map<Integer, List<Prediction>> testByFold = new TreeMap<>();
    for (Prediction p : predictions) {
      if (foldModel.equals(p.model()) && Tables.COHORT_TEST.equals(p.cohort()) && p.fold() != null
          && p.score() != null) {
        testByFold.computeIfAbsent(p.fold(), f -> new ArrayList<>()).add(p);
      }
    }
    List<Integer> folds = new ArrayList<>(testByFold.keySet());
    Map<Integer, Double> thresholds = new TreeMap<>();
    for (int f : folds) {
      thresholds.put(f, threshold(testByFold.get(f), models.get(f)));
    }
    double threshold = thresholds.values().stream().mapToDouble(Double::doubleValue).average().orElse(0.5);

    Map<String, List<Prediction>> byPatient = new TreeMap<>();
    testByFold.values().forEach(rows -> rows.forEach(p -> byPatient.computeIfAbsent(p.patientId(), k -> new ArrayList<>()).add(p)));
    List<Prediction> ensemble = new ArrayList<>();
    byPatient.forEach((patient, rows) -> {
      if (rows.size() < folds.size()) {
        LOG.warn("test patient {} was scored by {} of the {} {} fold models; its ensemble score averages those", patient,
            rows.size(), folds.size(), what);
      }
      double score = rows.stream().mapToDouble(Prediction::score).average().orElseThrow();
      ensemble.add(new Prediction(ensembleModel, null, Tables.COHORT_TEST, null, patient,
          rows.get(0).label(), score, score >= threshold ? 1 : 0, ResultRows.SCORE_FOLD_MEAN, threshold));
    });
    String foldList = folds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    boolean sameThreshold = new TreeSet<>(thresholds.values()).size() == 1;
    String detail = String.format(Locale.ROOT, "mean P(HGG) of the %s fold models %s; HGG at %.3f, %s", what, foldList,
        threshold, sameThreshold ? "their common threshold" : "the mean of their thresholds");
    return new Ensemble(ensemble, folds, testByFold, thresholds, detail);
  }

  static Result of(List<Prediction> predictions, List<FoldModel> foldModels) {
    Map<Integer, FoldModel> models = new TreeMap<>();
    foldModels.forEach(m -> models.put(m.fold(), m));
    Ensemble e = ensemble(predictions, Predictions.MODEL_CNN, Predictions.MODEL_CNN_ENSEMBLE, models, "CNN");
    if (e.rows().isEmpty()) {
      return new Result(List.of(), List.of(), List.of(), -1, null, null);
    }
    List<Integer> folds = e.folds();
    Map<Integer, List<Prediction>> testByFold = e.testByFold();
    Map<Integer, Double> thresholds = e.thresholds();

    int chosen;
    String why;
    List<FoldModel> candidates = folds.stream().map(models::get).filter(Objects::nonNull).toList();
    if (!candidates.isEmpty()) {
      boolean byAuc = candidates.stream().allMatch(m -> "val_auc".equals(m.criterion()));
      Comparator<FoldModel> loss = Comparator.comparing(FoldModel::valLoss, Comparator.nullsLast(Comparator.naturalOrder()));
      Comparator<FoldModel> auc = Comparator.comparing(FoldModel::valAuc, Comparator.nullsLast(Comparator.reverseOrder()));
      Comparator<FoldModel> order = (byAuc ? auc.thenComparing(loss) : loss.thenComparing(auc))
          .thenComparingInt(FoldModel::fold);
      FoldModel best = candidates.stream().min(order).orElseThrow();
      chosen = best.fold();
      why = byAuc
          ? String.format(Locale.ROOT, "highest validation AUC of the folds' kept epochs (%s)", fmt(best.valAuc()))
          : String.format(Locale.ROOT, "lowest validation loss of the folds' kept epochs (%s)", fmt(best.valLoss()));
    } else {
      // No cnn_models rows for the run: the fold's AUC on its own validation patients (cohort cv).
      chosen = folds.get(0);
      double bestAuc = Double.NaN;
      for (int f : folds) {
        List<Prediction> val = predictions.stream().filter(p -> Predictions.MODEL_CNN.equals(p.model())
            && Tables.COHORT_CV.equals(p.cohort()) && Objects.equals(p.fold(), f) && p.score() != null).toList();
        double a = val.isEmpty() ? Double.NaN : RocAuc.auc(val.stream().mapToInt(Prediction::label).toArray(),
            val.stream().mapToDouble(Prediction::score).toArray());
        if (!Double.isNaN(a) && (Double.isNaN(bestAuc) || a > bestAuc)) {
          bestAuc = a;
          chosen = f;
        }
      }
      why = Double.isNaN(bestAuc) ? "the lowest fold: no validation figures for this run"
          : String.format(Locale.ROOT, "highest AUC on its own validation patients (%.3f; no cnn_models rows)", bestAuc);
    }
    final int selectedFold = chosen;
    List<Prediction> selected = testByFold.get(selectedFold).stream()
        .sorted(Comparator.comparing(Prediction::patientId))
        .map(p -> new Prediction(Predictions.MODEL_CNN_SELECTED, null, Tables.COHORT_TEST, null, p.patientId(), p.label(),
            p.score(), p.pred(), ResultRows.SCORE_P_HGG, thresholds.get(selectedFold)))
        .toList();
    String selectedDetail = String.format(Locale.ROOT, "fold %d's model: %s; HGG at %.3f", selectedFold, why,
        thresholds.get(selectedFold));
    return new Result(e.rows(), selected, folds, selectedFold, e.detail(), selectedDetail);
  }

  /** A fold's threshold: its predictions rows' threshold, else cnn_models', else the fixed 0.5. */
  private static double threshold(List<Prediction> rows, FoldModel model) {
    for (Prediction p : rows) {
      if (p.threshold() != null && Double.isFinite(p.threshold())) {
        return p.threshold();
      }
    }
    return model != null && model.threshold() != null ? model.threshold() : 0.5;
  }

  private static String fmt(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
