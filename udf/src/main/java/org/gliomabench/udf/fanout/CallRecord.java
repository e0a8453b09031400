package org.gliomabench.udf.fanout;

import java.util.List;

/**
 * One row of the call log (llm_calls), without the run id, which the job adds. {@code examples}: the ids of the
 * labelled examples the request carried (empty without); {@code images}: images in the request;
 * {@code statedPHgg}: the CNN's score the prompt stated (cnn-informed arms).
 */
public record CallRecord(String callKey, String arm, boolean simulated, String endpoint, String model,
    String serverModel, String promptVersion, String patientId, Integer label, String cohort, Integer fold,
    String plane, int sliceIndex, int sample, String status, int attempts, Integer httpStatus, long latencyMs,
    String rawText, Integer choice, Boolean strictFormat, Double pHgg, String locationKind, double[] location,
    String error, long finishedAtMillis, Boolean logprobsReturned, List<String> examples, Integer images,
    Double statedPHgg) {}
