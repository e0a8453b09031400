package org.gliomabench.core.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * A row of the patients table before the split adds cohort and fold. Bounding box in the files' voxel
 * indices (inclusive, per array axis i, j, k); slice ranges in slice_index units per plane.
 */
public record PatientRecord(
    String patientId,
    String grade,
    int label,
    String source,
    List<String> modalities,
    boolean cnnUsable,
    String cnnUnusableReason,
    int[] shape,
    double[] voxelSize,
    String orientation,
    int[] bbox,
    int axialFirst,
    int axialLast,
    int coronalFirst,
    int coronalLast,
    int sagittalFirst,
    int sagittalLast,
    long tumourVoxels,
    long voxelsNcr,
    long voxelsEd,
    long voxelsEt,
    String labelConvention,
    String fingerprint) implements Serializable {}
