package org.gliomabench.core.nifti;

import java.io.Serializable;

/** A NIfTI image: header plus voxels as floats (scaling applied), in the file's order (x fastest). */
public final class NiftiVolume implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NiftiHeader header;
  private final float[] data;

  public NiftiVolume(NiftiHeader header, float[] data) {
    if (header.voxelCount() != data.length) {
      throw new IllegalArgumentException("header says " + header.voxelCount() + " voxels, data has " + data.length);
    }
    this.header = header;
    this.data = data;
  }

  public NiftiHeader header() {
    return header;
  }

  public int[] shape() {
    return header.shape();
  }

  public int nx() {
    return dim(0);
  }

  public int ny() {
    return dim(1);
  }

  public int nz() {
    return dim(2);
  }

  private int dim(int i) {
    int[] s = header.shape();
    return i < s.length ? s[i] : 1;
  }

  public float[] data() {
    return data;
  }

  public float get(int x, int y, int z) {
    return data[x + nx() * (y + ny() * z)];
  }

  public double[][] affine() {
    return header.affine();
  }

  public double[] voxelSize() {
    return header.voxelSize();
  }
}
