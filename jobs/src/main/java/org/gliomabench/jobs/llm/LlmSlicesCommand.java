package org.gliomabench.jobs.llm;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.StopSignals;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.udf.client.FailureReason;

/** {@code llm-slices}: the LLM arm over the slices table into llm_calls (and llm_consistency). */
public final class LlmSlicesCommand implements Command {
  /** Distinct failure reasons printed per arm (the report lists them all). */
  private static final int REASONS_SHOWN = 5;

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
        CliOption.value("--prompt", ConfigKeys.LLM_PROMPT, "ID", "prompt template: classify-v1, classify-montage-v1, classify-fewshot-v1,"
            + " classify-fewshot-grid-v1, classify-cnn-informed-v1, locate-centre-v1, locate-box-v1, locate-polygon-v1"),
        CliOption.value("--concurrency", ConfigKeys.LLM_CONCURRENCY, "N", "calls in flight per executor"),
        CliOption.value("--server", ConfigKeys.LLM_SERVER, "KIND", "server kind: auto, vllm, ollama, llamacpp, transformers, openai"));
  }

  @Override
  public String details() {
    return "Each call is one row of llm_calls (status ok, parse_error, http_error, timeout, connection_error,\n"
        + "bad_response, error). Rerunning with the same --run-id resumes: calls with an ok or parse_error row are\n"
        + "never sent again, the others are retried. Client errors (HTTP 400, 401, 403, 404, 422) are not retried:\n"
        + "the summary names each distinct reason (status and the server's message) and what to change.\n"
        + "llm.server (auto, vllm, ollama, llamacpp, transformers, openai) says what the server supports.\n"
        + "Exit status: 0 all calls answered, 3 some failed for reasons a rerun may not meet again (rerun to retry),\n"
        + "6 the failed calls all met client errors (fix the setting named, then rerun), 1 failure, 2 usage error,\n"
        + "5 another llm-slices sends this run's calls, 7 stopped by SIGUSR1/SIGTERM (answers kept; rerun to go on).\n"
        + "Without --endpoint the SIMULATED server answers (model name simulated-..., column simulated = true);\n"
        + "its behaviour is set by the llm.sim.* keys.\n"
        + "An arm is a prompt plus what it is shown: arms named montage (four-modality tiles), few-shot-K and\n"
        + "few-shot-knn-K (K labelled examples, at random or nearest by the CNN's embeddings; llm.fewshot.*) and\n"
        + "cnn-informed (the U-Net's outline and the CNN's P(HGG), of llm.cnn.run) get their prompt from the name,\n"
        + "e.g. --set llm.arms=general,montage,few-shot-4,few-shot-knn-4,cnn-informed. Before any call each arm's\n"
        + "requests, images and skipped patients (with why) are printed and written to llm_arm_plans.\n"
        + "Consistency: llm.consistency.slices=N slices per grade from different patients, --repeat times each.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    // Two senders of one run's calls would send them twice: the second is refused (exit 5), naming the first.
    context.warehouse().claim(name() + "/run_id=" + context.runId());
    LlmSlicesJob.Summary s;
    try (StopSignals.Handle stoppable = StopSignals.stoppable()) {
      s = new LlmSlicesJob(context.settings(), context.warehouse(), context.runId()).run();
    } catch (StopSending.Stopped e) {
      System.err.println("llm-slices " + context.runId() + ": stopped by " + StopSignals.reason() + "; the answers received"
          + " (those in flight included) are in llm_calls; rerun with --run-id " + context.runId()
          + " to send the rest");
      return ExitStatus.STOPPED;
    }
    System.out.printf("llm-slices %s: %d calls planned, %d already answered, %d sent%s; %.1f s%n", context.runId(),
        s.planned(), s.skipped(), s.sent(), s.recovered() > 0 ? ", " + s.recovered() + " recovered from the journal" : "",
        s.seconds());
    for (LlmSlicesJob.ArmSummary a : s.arms()) {
      System.out.printf("  arm %s%s (model %s): %s%n", a.arm(), a.simulated() ? " [SIMULATED]" : "", a.model(), a.byStatus());
      a.notes().forEach(n -> System.out.println("    note: " + n));
      if (a.logprobsMissing()) {
        System.out.printf("    logprobs: asked for, but none of %d answers carried any: p_hgg is empty and this arm's AUC uses"
            + " GLDR (the server ignores logprobs: set llm.server to its kind, or llm.logprobs=false)%n", a.withoutLogprobs());
      }
      int shown = 0;
      for (Map.Entry<FailureReason, Long> e : a.reasons().entrySet()) {
        if (shown++ == REASONS_SHOWN) {
          System.out.printf("    ... %d more reasons (the report lists them all)%n", a.reasons().size() - REASONS_SHOWN);
          break;
        }
        FailureReason r = e.getKey();
        System.out.printf("    %d calls failed%s: %s%n      -> %s%n", e.getValue(), r.permanent() ? " (not retried)" : "",
            r.label(), r.advice(a.model(), a.endpoint()));
      }
    }
    for (Row r : s.consistency()) {
      System.out.printf("  consistency %s %s/%s/%s (label %s): %d samples: LGG %d, HGG %d, no glioma %d, unparsed %d, failed %d%n",
          r.getAs(LlmCalls.ARM), r.getAs("patient_id"), r.getAs("plane"), r.getAs("slice_index"), r.getAs("label"),
          r.getAs("samples"), r.getAs("n_lgg"), r.getAs("n_hgg"), r.getAs("n_no_glioma"), r.getAs("n_parse_error"), r.getAs("n_failed"));
    }
    System.out.println("  tables under " + context.warehouse().root() + ": llm_calls" + (s.consistency().isEmpty() ? "" : ", llm_consistency"));
    if (StopSignals.requested()) {
      System.err.println("llm-slices " + context.runId() + ": stopped by " + StopSignals.reason() + "; rerun with --run-id "
          + context.runId() + " to send the calls not answered yet");
      return ExitStatus.STOPPED;
    }
    if (s.unfinished() > 0) {
      long permanent = s.arms().stream().flatMap(a -> a.reasons().entrySet().stream()).filter(e -> e.getKey().permanent())
          .mapToLong(Map.Entry::getValue).sum();
      long transient_ = s.unfinished() - permanent;
      if (transient_ > 0) {
        System.out.println("  " + transient_ + " calls ended without an answer for reasons a rerun may not meet again; rerun with --run-id "
            + context.runId() + " to retry them");
      }
      if (permanent > 0) {
        System.out.println("  " + permanent + " calls failed with client errors that a rerun alone does not fix: change what is named"
            + " above, then rerun with --run-id " + context.runId() + " (answered calls are kept)");
      }
      return transient_ > 0 ? ExitStatus.PARTIAL : ExitStatus.PERMANENT_FAILURES;
    }
    return 0;
  }
}
