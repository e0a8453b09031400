package org.gliomabench.jobs.results;

import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.results.AggregateJob;
import org.gliomabench.jobs.results.LocalisationJob;
import org.gliomabench.jobs.results.MetricsTable;

/** {@code aggregate}: LLM votes into predictions, then the metrics, fold summaries and paired tests of a run. */
public final class AggregateCommand implements Command {

  @Override
  public String name() {
    return "aggregate";
  }

  @Override
  public String summary() {
    return "LLM votes and GLDR into predictions; metrics with bootstrap intervals, baseline, McNemar/DeLong";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--resamples", ConfigKeys.AGGREGATE_BOOTSTRAP_RESAMPLES, "N", "bootstrap resamples per interval"),
        CliOption.value("--llm-score", ConfigKeys.AGGREGATE_LLM_SCORE, "SCORE", "the LLM arms' AUC score: gldr, mean_p_hgg or auto"));
  }

  @Override
  public String details() {
    return "Reads llm_calls, patients, predictions and cnn_models of the run; writes the LLM arms' predictions\n"
        + "rows and the CNN's two answers on the test cohort, cnn_ensemble (the mean of the fold models' scores,\n"
        + "HGG at the mean of their thresholds) and cnn_selected (the fold model validation prefers), as\n"
        + "predictions rows (partitions run_id x model x fold, train-cnn's rows untouched); then the metrics,\n"
        + "metrics_across_folds, comparisons, headline, model_or_input (every LLM arm against the general arm\n"
        + "and the CNN fold ensemble on the same test patients) and llm_consistency_grades tables (partition\n"
        + "run_id), registered in the catalog\n"
        + "(deferred to the next sql / sql-server when another process holds it).\n"
        + "Vote ties: see aggregate.vote.tie.order. The queries are in the jar under sql/ (llm_calls_latest.sql,\n"
        + "llm_tally.sql, llm_votes.sql). Locate arms' answers are scored against the slices' tumour masks into llm_localisation, llm_centre_bias and segmentation\n"
        + "(partitions run_id x model = arm; the CNN's cnn_seg rows untouched): see docs/segmentation.md.";
  }

  @Override
  public int run(JobContext context) {
    AggregateJob.Summary s = new AggregateJob(context.settings(), context.warehouse(), context.runId()).run();
    System.out.printf("aggregate %s: %d predictions rows (%d from the LLM arms), %d metric values, %d paired "
        + "comparisons; %.1f s%n", context.runId(), s.predictionRows(), s.llmPredictionRows(), s.metrics().size(),
        s.comparisons().size(), s.seconds());
    if (!s.headline().isEmpty()) {
      System.out.println("  The answer (table headline; p-values: paired tests against the CNN fold ensemble):");
      System.out.print(MetricsTable.headlineText(s.headline()));
      System.out.println("  " + s.finding());
    }
    if (!s.modelOrInput().isEmpty()) {
      System.out.println("  Model or input? (table model_or_input; each arm against the general arm on its plane and"
          + " against the CNN fold ensemble, same test patients):");
      System.out.print(ModelOrInputTable.text(s.modelOrInput()));
      ModelOrInputTable.cnnInformedFindings(s.modelOrInput()).forEach(f -> System.out.println("  " + f));
    }
    if (!s.metrics().isEmpty()) {
      System.out.println("  Every model, plane and fold:");
      System.out.print(MetricsTable.text(s.metrics(), s.simulatedArms()));
    } else {
      System.out.println("  no classification predictions in this run: segmentation and localisation tables only");
    }
    LocalisationJob.Summary loc = s.localisation();
    if (loc.localisationRows() > 0) {
      System.out.printf("  localisation: %d scored answers (baseline %s included), %d segmentation rows%s%n",
          loc.localisationRows(), Tables.LlmLocalisation.BASELINE_ARM, loc.segmentationRows(),
          loc.skipped() > 0 ? ", " + loc.skipped() + " not scorable (see the log)" : "");
      for (Row r : loc.centreBias()) {
        System.out.printf("    %-24s %-9s %-8s n=%-5d distance %6.1f px (baseline %6.1f), to image centre %6.1f px "
            + "(tumours %6.1f): %s%s%n", r.getAs(Tables.LlmLocalisation.ARM), r.getAs(Tables.PLANE),
            r.getAs(Tables.LlmLocalisation.LOCATION_KIND), r.<Long>getAs(Tables.CentreBias.N),
            r.<Double>getAs(Tables.CentreBias.MEAN_DISTANCE_PX), r.<Double>getAs(Tables.CentreBias.BASELINE_DISTANCE_PX),
            r.<Double>getAs(Tables.CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX),
            r.<Double>getAs(Tables.CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX), r.getAs(Tables.CentreBias.VERDICT),
            Boolean.TRUE.equals(r.getAs(Tables.LlmCalls.SIMULATED)) ? " (SIMULATED server)" : "");
      }
    }
    System.out.println("  tables under " + context.warehouse().root() + " (database "
        + context.settings().get(ConfigKeys.DATABASE) + ": " + Tables.Results.Metrics.NAME + ", ...)");
    return 0;
  }
}
