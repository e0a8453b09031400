package org.gliomabench.core.synth;

import org.gliomabench.core.brats.Grade;

/**
 * One generated patient: its id (the folder and file prefix), grade, and the voxels written per label
 * of its segmentation (1 necrotic / non-enhancing core, 2 oedema, 4 enhancing tumour).
 */
public record SyntheticPatient(String id, Grade grade, int label1Voxels, int label2Voxels, int label4Voxels) {

  public int tumourVoxels() {
    return label1Voxels + label2Voxels + label4Voxels;
  }
}
