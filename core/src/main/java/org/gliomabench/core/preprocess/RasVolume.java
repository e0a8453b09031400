package org.gliomabench.core.preprocess;

/**
 * A 3-D image copied into canonical RAS index order: {@code data[i + nx * (j + ny * k)]} with i towards
 * the patient's Right, j Anterior, k Superior. Every preprocessing step works in this order.
 */
public final class RasVolume {
  private final int nx;
  private final int ny;
  private final int nz;
  private final float[] data;

  public RasVolume(int nx, int ny, int nz, float[] data) {
    if ((long) nx * ny * nz != data.length) {
      throw new IllegalArgumentException("shape " + nx + "x" + ny + "x" + nz + " does not match " + data.length + " voxels");
    }
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.data = data;
  }

  /** Copies a file-ordered 3-D array (x fastest) into RAS order. */
  public static RasVolume of(float[] fileData, int[] fileShape, Orientation orientation) {
    Orientation.CanonicalView view = orientation.view(fileData, fileShape);
    int nx = view.nx();
    int ny = view.ny();
    int nz = view.nz();
    float[] out = new float[nx * ny * nz];
    int p = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          out[p++] = view.get(i, j, k);
        }
      }
    }
    return new RasVolume(nx, ny, nz, out);
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

  public int size(int rasAxis) {
    return rasAxis == 0 ? nx : rasAxis == 1 ? ny : nz;
  }

  public float[] data() {
    return data;
  }

  public float get(int i, int j, int k) {
    return data[i + nx * (j + ny * k)];
  }

  public int index(int i, int j, int k) {
    return i + nx * (j + ny * k);
  }
}
