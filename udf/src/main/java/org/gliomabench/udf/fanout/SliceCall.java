package org.gliomabench.udf.fanout;

/** One call to make: a slice (with its facts, carried into the call log) for one arm and sample. */
public record SliceCall(String callKey, String arm, String patientId, Integer label, String cohort, Integer fold,
    String plane, int sliceIndex, int sample, byte[] png, int width, int height) {}
