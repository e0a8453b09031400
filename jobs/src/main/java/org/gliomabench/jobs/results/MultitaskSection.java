package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.MultitaskHistory;
import org.gliomabench.core.Tables.Predictions;
import org.gliomabench.core.Tables.Results.Comparisons;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.metrics.WilcoxonSignedRank;

/**
 * The report's multi-task part: did segmenting change grading (the CNN against the multi-task U-Net on the same
 * patients: McNemar and DeLong, from aggregate's comparisons), did grading change segmentation (the multi-task
 * U-Net's Dice per region against the U-Net's, paired per patient: Wilcoxon's signed-rank test), and the multi-task
 * training curves per fold.
 */
final class MultitaskSection {
  private static final List<String> REGIONS = List.of(Segmentation.REGION_WT, Segmentation.REGION_TC,
      Segmentation.REGION_ET);
  private static final Set<String> CNN_SIDE = Set.of(Predictions.MODEL_CNN, Predictions.MODEL_CNN_ENSEMBLE);
  private static final Set<String> MULTITASK_SIDE = Set.of(Predictions.MODEL_MULTITASK,
      Predictions.MODEL_MULTITASK_ENSEMBLE);

  private final ReportJob page;

  MultitaskSection(ReportJob page) {
    this.page = page;
  }

  /** One patient's Dice of one model and region: the mean over the fold models that scored the patient. */
  record PatientDice(String model, String cohort, String patientId, String region, double dice) {}

  /** The U-Net against the multi-task U-Net on one cohort and region, paired per patient. */
  record RegionPair(String cohort, String region, int patients, double unet, double multitask, int better, int worse,
      WilcoxonSignedRank test) {}

  void write() {
    List<Row> comparisons = page.runRows(Comparisons.NAME).stream().filter(r -> CNN_SIDE.contains(
        r.<String>getAs(Comparisons.MODEL_A)) && MULTITASK_SIDE.contains(r.<String>getAs(Comparisons.MODEL_B))).toList();
    List<PatientDice> dice = perPatient(page.runRows(Segmentation.NAME));
    boolean history = !page.runRows(MultitaskHistory.NAME).isEmpty();
    if (comparisons.isEmpty() && dice.stream().noneMatch(d -> Segmentation.MODEL_MULTITASK_SEG.equals(d.model()))
        && !history) {
      return; // no multi-task arm in this run
    }
    page.section("The multi-task U-Net: does segmenting change grading, does grading change segmentation?");
    page.html().append("<p>The multi-task arm is the U-Net of the segmentation arm with a grade head on its bottleneck"
        + " (global average pooling, dense, sigmoid), trained on both losses; the same folds and patients as the CNN and"
        + " the U-Net.</p>\n");
    grading(comparisons);
    segmentation(pairs(dice));
    if (history) {
      page.openDetails("Multi-task training: validation loss, grade AUC and whole-tumour Dice per epoch, per fold");
      Map<String, String> series = new LinkedHashMap<>();
      series.put("grade AUC", MultitaskHistory.VAL_AUC);
      series.put("Dice WT", MultitaskHistory.VAL_DICE_WT);
      series.put("joint loss", MultitaskHistory.VAL_LOSS);
      page.foldCurves(MultitaskHistory.NAME, "multitask_fold%d.png", "Multi-task U-Net fold %d: validation",
          "AUC, Dice, loss", series);
      page.closeDetails();
    }
  }

  private void grading(List<Row> comparisons) {
    StringBuilder html = page.html();
    html.append("<h3>Grading: the CNN against the multi-task U-Net on the same patients</h3>\n");
    if (comparisons.isEmpty()) {
      html.append("<p>No paired test: the run lacks the CNN's or the multi-task U-Net's predictions (train-cnn,"
          + " train-multitask, then aggregate).</p>\n");
      return;
    }
    html.append("<table id=\"multitask-grading\"><tr><th>cohort</th><th>fold</th><th>CNN</th><th>multi-task</th>"
        + "<th>n</th><th>both right</th><th>only CNN right</th><th>only multi-task right</th><th>both wrong</th>"
        + "<th>McNemar p</th><th>AUC CNN</th><th>AUC multi-task</th><th>DeLong p</th></tr>\n");
    comparisons.stream().sorted(java.util.Comparator.comparing((Row r) -> r.getAs(Tables.FOLD) == null ? -1
            : r.<Integer>getAs(Tables.FOLD)).thenComparing(r -> String.valueOf((Object) r.getAs(Tables.COHORT))))
        .forEach(r -> {
          html.append("<tr><td>").append(ReportJob.esc(r.getAs(Tables.COHORT))).append("</td><td>")
              .append(ReportJob.esc(r.getAs(Tables.FOLD))).append("</td><td>")
              .append(ReportJob.esc(r.getAs(Comparisons.MODEL_A))).append("</td><td>")
              .append(ReportJob.esc(r.getAs(Comparisons.MODEL_B)));
          for (String c : List.of(Comparisons.N, Comparisons.BOTH_CORRECT, Comparisons.ONLY_A_CORRECT,
              Comparisons.ONLY_B_CORRECT, Comparisons.BOTH_WRONG)) {
            html.append("</td><td>").append(r.<Integer>getAs(c));
          }
          html.append("</td><td>").append(HeadlineTable.p(r.getAs(Comparisons.MCNEMAR_P))).append("</td><td>")
              .append(HeadlineTable.num(r.getAs(Comparisons.AUC_A))).append("</td><td>")
              .append(HeadlineTable.num(r.getAs(Comparisons.AUC_B))).append("</td><td>")
              .append(HeadlineTable.p(r.getAs(Comparisons.DELONG_P))).append("</td></tr>\n");
        });
    html.append("</table>\n<p class=\"note\">The fold ensembles on the test cohort (fold empty), then each fold's two"
        + " models on that fold's validation patients (cv) and on the test cohort. McNemar's exact test on the errors,"
        + " DeLong's on the AUC (n/a when a class has fewer than two patients).</p>\n");
  }

  private void segmentation(List<RegionPair> pairs) {
    StringBuilder html = page.html();
    html.append("<h3>Segmentation: the U-Net against the multi-task U-Net, Dice per region, paired per patient</h3>\n");
    if (pairs.isEmpty()) {
      html.append("<p>No paired Dice: the run lacks the U-Net's (" + Segmentation.MODEL_CNN_SEG + ") or the multi-task"
          + " U-Net's (" + Segmentation.MODEL_MULTITASK_SEG + ") segmentation rows on the same patients (train-seg,"
          + " train-multitask).</p>\n");
      return;
    }
    html.append("<table id=\"multitask-segmentation\"><tr><th>cohort</th><th>region</th><th>patients</th>"
        + "<th>mean Dice U-Net</th><th>mean Dice multi-task</th><th>mean difference</th><th>multi-task better</th>"
        + "<th>multi-task worse</th><th>Wilcoxon p</th></tr>\n");
    for (RegionPair p : pairs) {
      html.append("<tr><td>").append(ReportJob.esc(p.cohort())).append("</td><td>").append(ReportJob.esc(p.region()))
          .append("</td><td>").append(p.patients()).append("</td><td>").append(HeadlineTable.num(p.unet()))
          .append("</td><td>").append(HeadlineTable.num(p.multitask())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%+.3f", p.test().meanDifference())).append("</td><td>").append(p.better())
          .append("</td><td>").append(p.worse()).append("</td><td>").append(HeadlineTable.p(p.test().pValue()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n<p class=\"note\">Dice in the original volume's space; a test patient's Dice is the mean over"
        + " the fold models that segmented it, a validation patient's that of its own fold's model. Wilcoxon's"
        + " signed-rank test on the paired differences (multi-task minus U-Net), two-sided; p = 1 when no patient"
        + " differs.</p>\n");
  }

  /** The U-Net's and the multi-task U-Net's Dice per patient and region (mean over the fold models). */
  static List<PatientDice> perPatient(List<Row> segmentation) {
    Map<List<String>, double[]> sums = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (Row r : segmentation) {
      String model = r.getAs(Segmentation.MODEL);
      Object dice = SegmentationSection.opt(r, Segmentation.DICE);
      if ((!Segmentation.MODEL_CNN_SEG.equals(model) && !Segmentation.MODEL_MULTITASK_SEG.equals(model)) || dice == null
          || r.getAs(Tables.COHORT) == null) {
        continue;
      }
      double[] s = sums.computeIfAbsent(List.of(model, r.getAs(Tables.COHORT), r.getAs(Tables.PATIENT_ID),
          r.getAs(Segmentation.REGION)), k -> new double[2]);
      s[0] += ((Number) dice).doubleValue();
      s[1]++;
    }
    List<PatientDice> out = new ArrayList<>();
    sums.forEach((k, s) -> out.add(new PatientDice(k.get(0), k.get(1), k.get(2), k.get(3), s[0] / s[1])));
    return out;
  }

  /** Per cohort (test first) and region: the patients both models segmented, paired. */
  static List<RegionPair> pairs(List<PatientDice> dice) {
    List<RegionPair> out = new ArrayList<>();
    for (String cohort : List.of(Tables.COHORT_TEST, Tables.COHORT_CV)) {
      for (String region : REGIONS) {
        Map<String, Double> unet = new TreeMap<>();
        Map<String, Double> multitask = new TreeMap<>();
        for (PatientDice d : dice) {
          if (cohort.equals(d.cohort()) && region.equals(d.region())) {
            (Segmentation.MODEL_CNN_SEG.equals(d.model()) ? unet : multitask).put(d.patientId(), d.dice());
          }
        }
        List<String> both = unet.keySet().stream().filter(multitask::containsKey).toList();
        if (both.isEmpty()) {
          continue;
        }
        double[] a = both.stream().mapToDouble(unet::get).toArray();
        double[] b = both.stream().mapToDouble(multitask::get).toArray();
        int better = 0;
        int worse = 0;
        for (int i = 0; i < a.length; i++) {
          better += b[i] > a[i] ? 1 : 0;
          worse += b[i] < a[i] ? 1 : 0;
        }
        out.add(new RegionPair(cohort, region, both.size(), java.util.Arrays.stream(a).average().orElseThrow(),
            java.util.Arrays.stream(b).average().orElseThrow(), better, worse, WilcoxonSignedRank.test(a, b)));
      }
    }
    return out;
  }
}
