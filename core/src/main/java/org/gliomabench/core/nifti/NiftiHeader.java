package org.gliomabench.core.nifti;

import java.io.Serializable;
import java.nio.ByteOrder;

/** The parts of a NIfTI-1 or NIfTI-2 header that the pipeline uses. */
public final class NiftiHeader implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int version;
  private final transient ByteOrder byteOrder;
  private final boolean bigEndian;
  private final int[] shape;
  private final double[] voxelSize;
  private final NiftiDataType dataType;
  private final long voxOffset;
  private final double sclSlope;
  private final double sclInter;
  private final int qformCode;
  private final int sformCode;
  private final double[][] affine;
  private final String description;

  public NiftiHeader(int version, ByteOrder byteOrder, int[] shape, double[] voxelSize, NiftiDataType dataType,
      long voxOffset, double sclSlope, double sclInter, int qformCode, int sformCode, double[][] affine,
      String description) {
    this.version = version;
    this.byteOrder = byteOrder;
    this.bigEndian = byteOrder == ByteOrder.BIG_ENDIAN;
    this.shape = shape.clone();
    this.voxelSize = voxelSize.clone();
    this.dataType = dataType;
    this.voxOffset = voxOffset;
    this.sclSlope = sclSlope;
    this.sclInter = sclInter;
    this.qformCode = qformCode;
    this.sformCode = sformCode;
    this.affine = affine;
    this.description = description;
  }

  public int version() {
    return version;
  }

  public ByteOrder byteOrder() {
    return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  public int[] shape() {
    return shape.clone();
  }

  public double[] voxelSize() {
    return voxelSize.clone();
  }

  public NiftiDataType dataType() {
    return dataType;
  }

  public long voxOffset() {
    return voxOffset;
  }

  public double sclSlope() {
    return sclSlope;
  }

  public double sclInter() {
    return sclInter;
  }

  public int qformCode() {
    return qformCode;
  }

  public int sformCode() {
    return sformCode;
  }

  /** Voxel to world (RAS+ mm): sform if its code is set, else qform, else the voxel sizes. */
  public double[][] affine() {
    double[][] a = new double[4][];
    for (int i = 0; i < 4; i++) {
      a[i] = affine[i].clone();
    }
    return a;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return "NIfTI-" + version + " " + java.util.Arrays.toString(shape) + " " + dataType + " " + byteOrder()
        + " voxel " + java.util.Arrays.toString(voxelSize) + " qform " + qformCode + " sform " + sformCode;
  }

  /** Whether scl_slope/scl_inter change the values: slope 0 or NaN means "unscaled" (nifti1.h), as does 1/0. */
  public boolean hasScaling() {
    if (sclSlope == 0 || !Double.isFinite(sclSlope)) {
      return false;
    }
    double inter = Double.isFinite(sclInter) ? sclInter : 0;
    return !(sclSlope == 1 && inter == 0);
  }

  public long voxelCount() {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }
}
