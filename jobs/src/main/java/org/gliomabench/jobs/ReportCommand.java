package org.gliomabench.jobs;

import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.results.ReportJob;

/** {@code report}: PNG charts, an HTML page and a Markdown summary of a run under warehouse/reports/RUN_ID/. */
public final class ReportCommand implements Command {

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "charts (PNG), an HTML page and a Markdown summary of a run under <warehouse>/reports/<run_id>/";
  }

  @Override
  public String details() {
    return "Reads the run's headline, metrics, comparisons, predictions, cnn_history, llm_consistency (or\n"
        + "repeated llm_calls) and runs rows; run aggregate first. The page and summary.md open with the answer\n"
        + "(the finding, the headline table, ROC / GLDR / confusion charts of the test cohort); every per-fold table\n"
        + "and chart follows folded away. Check it in a browser with scripts/check-report-browser.py. Arms whose\n"
        + "name or model contains 'simulated' are marked SIMULATED everywhere.";
  }

  @Override
  public int run(JobContext context) {
    ReportJob.Summary s = new ReportJob(context.settings(), context.warehouse(), context.runId()).run();
    System.out.printf("report %s: %d files%s%n  open %s/%s%n", context.runId(), s.files().size(),
        s.simulatedArms().isEmpty() ? "" : " (SIMULATED arms: " + String.join(", ", s.simulatedArms()) + ")",
        s.directory(), ReportJob.HTML);
    return 0;
  }
}
