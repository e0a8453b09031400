package org.gliomabench.core.ingest;

import java.io.Serializable;
import java.util.List;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.preprocess.Plane;
import org.gliomabench.core.preprocess.SliceRenderer;

/** Preprocessing settings, read once from the configuration and shipped to executors. */
public record IngestOptions(
    int[] cropExtentXyz,
    int[] volumeShapeDhw,
    List<Plane> planes,
    SliceRenderer.Scope sliceScope,
    double windowLowPercentile,
    double windowHighPercentile,
    boolean montage) implements Serializable {

  public static IngestOptions from(Settings s) {
    int[] extent = s.getInts(ConfigKeys.INGEST_CROP_EXTENT);
    int[] shape = s.getInts(ConfigKeys.INGEST_VOLUME_SHAPE);
    if (extent.length != 3 || shape.length != 3) {
      throw new org.gliomabench.core.config.ConfigException(ConfigKeys.INGEST_CROP_EXTENT + " and "
          + ConfigKeys.INGEST_VOLUME_SHAPE + " take three integers each");
    }
    List<Plane> planes = s.getList(ConfigKeys.INGEST_PLANES).stream().map(Plane::parse).toList();
    SliceRenderer.Scope scope;
    try {
      scope = SliceRenderer.Scope.valueOf(s.get(ConfigKeys.INGEST_SLICE_SCOPE).toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new org.gliomabench.core.config.ConfigException(ConfigKeys.INGEST_SLICE_SCOPE + " must be all, brain or tumour");
    }
    return new IngestOptions(extent, shape, planes, scope,
        s.getDouble(ConfigKeys.INGEST_WINDOW_LOW), s.getDouble(ConfigKeys.INGEST_WINDOW_HIGH),
        s.getBoolean(ConfigKeys.INGEST_MONTAGE));
  }

  /** Changes whenever a setting that shapes the output changes (a re-ingest then redoes every patient). */
  public String key() {
    return "v1;extent=" + java.util.Arrays.toString(cropExtentXyz) + ";shape=" + java.util.Arrays.toString(volumeShapeDhw)
        + ";planes=" + planes + ";scope=" + sliceScope + ";window=" + windowLowPercentile + "," + windowHighPercentile
        + (montage ? ";montage=v1" : ""); // without montages the key of earlier warehouses: nothing is read again
  }

  /** Normalisation method, recorded beside each tensor. */
  public static final String NORMALISATION =
      "per-modality z-score over brain voxels (voxels differing from the corner background), background 0";
}
