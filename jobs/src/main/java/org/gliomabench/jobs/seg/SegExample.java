package org.gliomabench.jobs.seg;

import java.io.Serializable;

/**
 * One patient's U-Net input as the volumes table stores it: the float32 LE tensor over [C, D, H, W], the
 * uint8 BraTS label mask over [D, H, W], and where the grid lies in the original volume.
 */
public record SegExample(String patientId, byte[] tensor, byte[] mask, int[] cropOrigin, int[] cropExtent)
    implements Serializable {}
