package org.gliomabench.jobs.llm;

import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code llm-slices}: the LLM arm over the slices table into llm_calls (and llm_consistency). */
public final class LlmSlicesCommand implements Command {
  /** Exit status when every call was made but some ended without an answer (rerun to retry them). */
  public static final int EXIT_SOME_FAILED = 3;

  @Override
  public String name() {
    return "llm-slices";
  }

  @Override
  public String summary() {
    return "send tumour slices to an OpenAI-compatible vision LLM (the SIMULATED one without --endpoint) into llm_calls";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--endpoint", ConfigKeys.LLM_ENDPOINT, "URL", "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (default: start the SIMULATED server)"),
        CliOption.value("--model", ConfigKeys.LLM_MODEL, "NAME", "model name sent to the server"),
        CliOption.value("--arm", ConfigKeys.LLM_ARM, "NAME", "name of this arm in llm_calls (several arms: --set llm.arms=a,b)"),
        CliOption.value("--planes", ConfigKeys.LLM_PLANES, "LIST", "planes to send: axial,coronal,sagittal"),
        CliOption.value("--repeat", ConfigKeys.LLM_REPEAT, "N", "consistency test: samples per chosen slice (the study: 95; 0 skips it)"),
        CliOption.value("--api-key-env", ConfigKeys.LLM_API_KEY_ENV, "VAR", "environment variable holding the API key"),
        CliOption.value("--prompt", ConfigKeys.LLM_PROMPT, "ID", "prompt template: classify-v1, locate-centre-v1, locate-box-v1, locate-polygon-v1"),
        CliOption.value("--concurrency", ConfigKeys.LLM_CONCURRENCY, "N", "calls in flight per executor"));
  }

  @Override
  public String details() {
    return "Each call is one row of llm_calls (status ok, parse_error, http_error, timeout, connection_error,\n"
        + "bad_response, error). Rerunning with the same --run-id resumes: calls with an ok or parse_error row are\n"
        + "never sent again, the others are retried. Exit status: 0 all calls answered, 3 some failed (rerun to\n"
        + "retry them), 1 failure, 2 usage error. Without --endpoint the SIMULATED server answers (model name\n"
        + "simulated-..., column simulated = true); its behaviour is set by the llm.sim.* keys.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    LlmSlicesJob.Summary s = new LlmSlicesJob(context.settings(), context.warehouse(), context.runId()).run();
    System.out.printf("llm-slices %s: %d calls planned, %d already answered, %d sent%s; %.1f s%n", context.runId(),
        s.planned(), s.skipped(), s.sent(), s.recovered() > 0 ? ", " + s.recovered() + " recovered from the journal" : "",
        s.seconds());
    for (LlmSlicesJob.ArmSummary a : s.arms()) {
      System.out.printf("  arm %s%s (model %s): %s%n", a.arm(), a.simulated() ? " [SIMULATED]" : "", a.model(), a.byStatus());
    }
    for (Row r : s.consistency()) {
      System.out.printf("  consistency %s %s/%s/%s (label %s): %d samples: LGG %d, HGG %d, no glioma %d, unparsed %d, failed %d%n",
          r.getAs(LlmCalls.ARM), r.getAs("patient_id"), r.getAs("plane"), r.getAs("slice_index"), r.getAs("label"),
          r.getAs("samples"), r.getAs("n_lgg"), r.getAs("n_hgg"), r.getAs("n_no_glioma"), r.getAs("n_parse_error"), r.getAs("n_failed"));
    }
    System.out.println("  tables under " + context.warehouse().root() + ": llm_calls" + (s.consistency().isEmpty() ? "" : ", llm_consistency"));
    if (s.unfinished() > 0) {
      System.out.println("  " + s.unfinished() + " calls ended without an answer; rerun with --run-id " + context.runId() + " to retry them");
      return EXIT_SOME_FAILED;
    }
    return 0;
  }
}
