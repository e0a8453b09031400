package org.gliomabench.jobs.train;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gliomabench.core.seg.SegSpec;
import org.gliomabench.core.seg.SegTensors;

/**
 * How a patient becomes a U-Net's training row: the padded features and region labels of a volume (3D) or of one
 * axial slice (2D: only that slice of each channel and of the mask is read from the store); for the multi-task
 * U-Net the grade (the slot's label, HGG = 1) follows the regions.
 */
public final class UNetRows {
  private UNetRows() {}

  /** A patient's training examples: its volume (3D), or one per axial slice (2D). */
  public static List<EpochData.Slot> slots(SegSpec spec, String patientId, int label) {
    if (spec.is3d()) {
      return List.of(new EpochData.Slot(patientId, label, -1));
    }
    List<EpochData.Slot> slices = new ArrayList<>(spec.depth());
    for (int d = 0; d < spec.depth(); d++) {
      slices.add(new EpochData.Slot(patientId, label, d));
    }
    return slices;
  }

  /** The segmentation U-Net's rows. */
  public static EpochData.Rows of(SegSpec spec, int[] shape) {
    return rows(spec, shape, false);
  }

  /** The multi-task U-Net's rows: the regions, then the grade. */
  public static EpochData.Rows graded(SegSpec spec, int[] shape) {
    return rows(spec, shape, true);
  }

  private static EpochData.Rows rows(SegSpec spec, int[] shape, boolean graded) {
    return new EpochData.Rows() {
      private static final long serialVersionUID = 1L;

      @Override
      public int featureLength() {
        return spec.featureLength();
      }

      @Override
      public int labelLength() {
        return spec.labelLength() + (graded ? 1 : 0);
      }

      @Override
      public void write(TensorStore store, EpochData.Slot slot, FloatBuffer features, float[] labels)
          throws IOException {
        float[] row = new float[spec.featureLength()];
        Arrays.fill(labels, 0f);
        if (spec.is3d()) {
          SegTensors.features(store.tensorFloats(slot.patientId()), spec, -1, row, 0);
          SegTensors.labels(mask(store, slot.patientId()), spec, -1, labels, 0);
        } else {
          SegTensors.sliceFeatures(store.tensorSlice(slot.patientId(), shape, slot.slice()), spec, row, 0);
          SegTensors.sliceLabels(store.maskSlice(slot.patientId(), shape, slot.slice()), spec, labels, 0);
        }
        if (graded) {
          labels[spec.labelLength()] = slot.label();
        }
        features.put(row);
      }
    };
  }

  private static byte[] mask(TensorStore store, String patientId) throws IOException {
    byte[] m = store.mask(patientId);
    if (m == null) {
      throw new IOException("patient " + patientId + " has no label mask in the volumes table");
    }
    return m;
  }
}
