package org.gliomabench.core.nifti;

import java.io.Serializable;

/**
 * A NIfTI image: header plus voxels as floats (scaling applied), in the file's order: x fastest, then y,
 * z and (for 4-D) t, i.e. index {@code x + nx*(y + ny*(z + nz*t))}.
 */
public final class NiftiVolume implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NiftiHeader header;
  private final float[] data;
  // Cached so that get() costs no header copy per voxel.
  private final int nx;
  private final int ny;
  private final int nz;

  public NiftiVolume(NiftiHeader header, float[] data) {
    if (header.voxelCount() != data.length) {
      throw new IllegalArgumentException("header says " + header.voxelCount() + " voxels, data has " + data.length);
    }
    this.header = header;
    this.data = data;
    int[] s = header.shape();
    this.nx = s[0];
    this.ny = s.length > 1 ? s[1] : 1;
    this.nz = s.length > 2 ? s[2] : 1;
  }

  public NiftiHeader header() {
    return header;
  }

  public int[] shape() {
    return header.shape();
  }

  public int nx() {
    return nx;
  }

  public int ny() {
    return ny;
  }

  public int nz() {
    return nz;
  }

  /** The voxels themselves (not a copy). */
  public float[] data() {
    return data;
  }

  public float get(int x, int y, int z) {
    return data[x + nx * (y + ny * z)];
  }

  /** A voxel of the t-th 3-D volume of a 4-D image. */
  public float get(int x, int y, int z, int t) {
    return data[x + nx * (y + ny * (z + nz * t))];
  }

  public double[][] affine() {
    return header.affine();
  }

  public double[] voxelSize() {
    return header.voxelSize();
  }
}
