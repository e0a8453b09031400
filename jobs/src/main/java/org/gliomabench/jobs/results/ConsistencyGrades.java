package org.gliomabench.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmConsistency;
import org.gliomabench.core.Tables.Results.ConsistencyByGrade;
import org.gliomabench.core.metrics.Bootstrap;
import org.gliomabench.jobs.warehouse.SparkTables;

/**
 * The stratified consistency test per arm, plane and grade, from llm-slices' per-slice rows: the answers pooled
 * over the grade's slices (each from another patient), the mean share of each slice's majority answer with a
 * percentile bootstrap interval over the slices, the share of answers naming the true grade, and the study's own
 * figure for its one slice of that grade beside it.
 */
final class ConsistencyGrades {
  /** The study's consistency figures: its HGG slice answered 95 of 95 times alike, its LGG slice split 77 / 18. */
  static final double STUDY_HGG_SHARE = 95 / 95.0;
  static final double STUDY_LGG_SHARE = 77 / 95.0;

  private ConsistencyGrades() {}

  static List<Row> rows(String runId, List<Row> perSlice, Bootstrap bootstrap) {
    if (perSlice.isEmpty() || !perSlice.get(0).schema().getFieldIndex(Tables.LABEL).isDefined()) {
      return List.of(); // none, or written by a version without labels: the report shows the slices alone
    }
    Map<String, List<Row>> groups = new TreeMap<>();
    for (Row r : perSlice) {
      Integer label = SparkTables.intOrNull(r, Tables.LABEL);
      if (label == null) {
        continue;
      }
      groups.computeIfAbsent(SparkTables.string(r, LlmCalls.ARM) + "|" + SparkTables.string(r, Tables.PLANE) + "|" + label,
          k -> new ArrayList<>()).add(r);
    }
    List<Row> out = new ArrayList<>();
    groups.forEach((key, slices) -> {
      Row first = slices.get(0);
      int label = SparkTables.intValue(first, Tables.LABEL);
      long[] sums = new long[6];
      double[] shares = new double[slices.size()];
      long correct = 0;
      for (int i = 0; i < slices.size(); i++) {
        Row r = slices.get(i);
        long n = SparkTables.longValue(r, LlmConsistency.SAMPLES);
        long lgg = SparkTables.longValue(r, LlmConsistency.N_LGG);
        long hgg = SparkTables.longValue(r, LlmConsistency.N_HGG);
        sums[0] += n;
        sums[1] += lgg;
        sums[2] += hgg;
        sums[3] += SparkTables.longValue(r, LlmConsistency.N_NO_GLIOMA);
        sums[4] += SparkTables.longValue(r, LlmConsistency.N_PARSE_ERROR);
        sums[5] += SparkTables.longValue(r, LlmConsistency.N_FAILED);
        long none = SparkTables.longValue(r, LlmConsistency.N_NO_GLIOMA);
        correct += label == 1 ? hgg : lgg;
        shares[i] = n == 0 ? 0 : (double) Math.max(lgg, Math.max(hgg, none)) / n; // llm_consistency's modal_share
      }
      Bootstrap.Interval ci = bootstrap.interval(shares.length, idx -> {
        double s = 0;
        for (int i : idx) {
          s += shares[i];
        }
        return s / idx.length;
      });
      out.add(SparkTables.row(ConsistencyByGrade.TABLE).set(Tables.RUN_ID, runId)
          .set(LlmCalls.ARM, SparkTables.string(first, LlmCalls.ARM))
          .set(LlmCalls.SIMULATED, first.schema().getFieldIndex(LlmCalls.SIMULATED).isDefined()
              && Boolean.TRUE.equals(SparkTables.boolOrNull(first, LlmCalls.SIMULATED)))
          .set(Tables.PLANE, SparkTables.string(first, Tables.PLANE)).set(Tables.LABEL, label)
          .set(ConsistencyByGrade.GRADE, label == 1 ? "HGG" : "LGG").set(ConsistencyByGrade.SLICES, slices.size())
          .set(LlmConsistency.SAMPLES, sums[0]).set(LlmConsistency.N_LGG, sums[1]).set(LlmConsistency.N_HGG, sums[2])
          .set(LlmConsistency.N_NO_GLIOMA, sums[3]).set(LlmConsistency.N_PARSE_ERROR, sums[4])
          .set(LlmConsistency.N_FAILED, sums[5]).set(ConsistencyByGrade.MEAN_MODAL_SHARE, ci.estimate())
          .set(ConsistencyByGrade.CI_LOW, MetricsCalculator.number(ci.low()))
          .set(ConsistencyByGrade.CI_HIGH, MetricsCalculator.number(ci.high()))
          .set(ConsistencyByGrade.CORRECT_SHARE, sums[0] == 0 ? null : (double) correct / sums[0])
          .set(ConsistencyByGrade.STUDY_MODAL_SHARE, label == 1 ? STUDY_HGG_SHARE : STUDY_LGG_SHARE).build());
    });
    return out;
  }
}
