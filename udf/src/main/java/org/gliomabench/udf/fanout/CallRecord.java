package org.gliomabench.udf.fanout;

/** One row of the call log (llm_calls), without the run id, which the job adds. */
public record CallRecord(String callKey, String arm, boolean simulated, String endpoint, String model,
    String serverModel, String promptVersion, String patientId, Integer label, String cohort, Integer fold,
    String plane, int sliceIndex, int sample, String status, int attempts, Integer httpStatus, long latencyMs,
    String rawText, Integer choice, Boolean strictFormat, Double pHgg, String locationKind, double[] location,
    String error, long finishedAtMillis, Boolean logprobsReturned) {}
