package org.gliomabench.core.ingest;

import java.io.Serializable;

/** A row of the volumes table: the CNN tensor (float32 little-endian over [C, D, H, W]) and its label mask. */
public record VolumeRecord(
    String patientId,
    int label,
    int[] shape,
    byte[] tensor,
    byte[] mask,
    int[] cropOrigin,
    int[] cropExtent) implements Serializable {}
