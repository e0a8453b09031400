package org.gliomabench.udf.fanout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.udf.client.CallOutcome;
import org.gliomabench.udf.client.ChatCompletion;
import org.gliomabench.udf.client.ChatRequestBody;
import org.gliomabench.udf.client.LlmClient;
import org.gliomabench.udf.client.LlmClients;
import org.gliomabench.udf.parse.AnswerParser;
import org.gliomabench.udf.parse.ChoiceProbability;
import org.gliomabench.udf.parse.ParsedAnswer;
import org.gliomabench.udf.prompt.PromptKind;
import org.gliomabench.udf.prompt.PromptTemplate;
import org.gliomabench.udf.prompt.PromptTemplates;

/** Turns a slice call into a request for one arm, and its outcome into a call-log record. */
public final class ArmCaller {
  private final ArmSpec arm;
  private final PromptTemplate template;
  private final LlmClient client;

  public ArmCaller(ArmSpec arm) {
    this(arm, LlmClients.get(arm.client()));
  }

  public ArmCaller(ArmSpec arm, LlmClient client) {
    this.arm = arm;
    this.template = PromptTemplates.byId(arm.promptId());
    this.client = client;
  }

  public ArmSpec arm() {
    return arm;
  }

  public LlmClient client() {
    return client;
  }

  /** Sends the call (the caller holds a permit of {@link LlmClient#permits()}); never completes exceptionally. */
  public CompletableFuture<CallRecord> call(SliceCall c) {
    List<ChatRequestBody.Part> content;
    try {
      content = RequestContent.of(template, c);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(c, e));
    }
    int images = RequestContent.images(content);
    byte[] body = ChatRequestBody.build(arm.model(), content, arm.decoding(), c.sample(), template.kind(), arm.server());
    return client.post(body, c.callKey()).handle((outcome, ex) -> ex == null ? record(c, outcome, images) : failed(c, ex));
  }

  CallRecord record(SliceCall c, CallOutcome o, int images) {
    if (!o.answered()) {
      return build(c, o.status(), o.attempts(), o.httpStatus(), o.latencyMs(), null, null, null, o.error(), images);
    }
    ChatCompletion done = o.completion();
    String text = client.redact(done.text());
    ParsedAnswer p = AnswerParser.parse(template.kind(), text, c.width(), c.height());
    Double pHgg = p.ok() && template.kind() == PromptKind.CLASSIFY ? ChoiceProbability.pHgg(done.tokens(), p.choiceOffset()) : null;
    return new CallRecord(c.callKey(), arm.name(), arm.simulated(), arm.displayEndpoint(), arm.model(),
        done.serverModel(), template.id(), c.patientId(), c.label(), c.cohort(), c.fold(), c.plane(), c.sliceIndex(),
        c.sample(), p.ok() ? LlmCalls.STATUS_OK : LlmCalls.STATUS_PARSE_ERROR, o.attempts(), o.httpStatus(),
        o.latencyMs(), text, p.choice(), p.ok() ? p.strictFormat() : Boolean.FALSE, pHgg, p.locationKind(),
        p.location(), p.error(), System.currentTimeMillis(), arm.decoding().logprobs() ? !done.tokens().isEmpty() : null,
        c.exampleIds(), images, c.statedPHgg());
  }

  /** A record for a call that broke outside the client (a bug or an interrupted task): kept, retried by a rerun. */
  public CallRecord failed(SliceCall c, Throwable ex) {
    return build(c, LlmCalls.STATUS_ERROR, 0, null, 0, null, null, null, client.redact(String.valueOf(ex)), null);
  }

  private CallRecord build(SliceCall c, String status, int attempts, Integer http, long latency, String text,
      Integer choice, Double pHgg, String error, Integer images) {
    return new CallRecord(c.callKey(), arm.name(), arm.simulated(), arm.displayEndpoint(), arm.model(), null,
        template.id(), c.patientId(), c.label(), c.cohort(), c.fold(), c.plane(), c.sliceIndex(), c.sample(), status,
        attempts, http, latency, text, choice, null, pHgg, null, null, error, System.currentTimeMillis(), null,
        c.exampleIds(), images, c.statedPHgg());
  }
}
