package org.gliomabench.core.nifti;

/** The NIfTI voxel types this reader supports (codes from nifti1.h). */
public enum NiftiDataType {
  UINT8(2, 1),
  INT16(4, 2),
  INT32(8, 4),
  FLOAT32(16, 4),
  FLOAT64(64, 8),
  INT8(256, 1),
  UINT16(512, 2);

  private final int code;
  private final int bytesPerVoxel;

  NiftiDataType(int code, int bytesPerVoxel) {
    this.code = code;
    this.bytesPerVoxel = bytesPerVoxel;
  }

  public int code() {
    return code;
  }

  public int bytesPerVoxel() {
    return bytesPerVoxel;
  }

  public static NiftiDataType fromCode(int code) throws NiftiException {
    for (NiftiDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new NiftiException(NiftiException.Kind.UNSUPPORTED_DATATYPE, "unsupported NIfTI datatype code " + code
        + " (supported: uint8 2, int16 4, int32 8, float32 16, float64 64, int8 256, uint16 512)");
  }
}
