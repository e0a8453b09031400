package org.gliomabench.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TumourCropTest {

  private static TumourRegion tumourAt(int nx, int ny, int nz, int i, int j, int k) {
    byte[] labels = new byte[nx * ny * nz];
    labels[i + nx * (j + ny * k)] = 2;
    return TumourRegion.of(labels, new int[] {nx, ny, nz}, Orientation.identity());
  }

  @Test
  void centresOnTheTumourAndStaysInsideTheVolume() {
    TumourCrop c = TumourCrop.around(tumourAt(100, 100, 60, 50, 50, 30), new int[] {100, 100, 60},
        new int[] {40, 40, 20}, new int[] {10, 20, 20});
    // origin = round(centre - (extent - 1) / 2): the centre voxel sits in the middle of the box
    assertArrayEquals(new int[] {31, 31, 21}, c.origin());
    TumourCrop edge = TumourCrop.around(tumourAt(100, 100, 60, 2, 97, 59), new int[] {100, 100, 60},
        new int[] {40, 40, 20}, new int[] {10, 20, 20});
    assertArrayEquals(new int[] {0, 60, 40}, edge.origin());
  }

  @Test
  void identityResampleReproducesTheCropInDisplayOrder() {
    int nx = 6;
    int ny = 5;
    int nz = 4;
    float[] data = new float[nx * ny * nz];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    Orientation.Indexer v = Orientation.identity().indexer(new int[] {nx, ny, nz});
    TumourCrop c = TumourCrop.around(tumourAt(nx, ny, nz, 3, 2, 2), new int[] {nx, ny, nz}, new int[] {nx, ny, nz},
        new int[] {nz, ny, nx});
    float[] out = new float[nx * ny * nz];
    c.resample(data, v, out, 0);
    // out[d][h][w] = v(i = nx-1-w, j = ny-1-h, k = d): right on the left, anterior up.
    for (int d = 0; d < nz; d++) {
      for (int h = 0; h < ny; h++) {
        for (int w = 0; w < nx; w++) {
          assertEquals(data[v.index(nx - 1 - w, ny - 1 - h, d)], out[(d * ny + h) * nx + w], 1e-4);
        }
      }
    }
  }

  @Test
  void downsamplingALinearRampInterpolates() {
    int n = 8;
    float[] data = new float[n * n * n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          data[i + n * (j + n * k)] = k;
        }
      }
    }
    TumourCrop c = TumourCrop.around(tumourAt(n, n, n, 4, 4, 4), new int[] {n, n, n}, new int[] {n, n, n},
        new int[] {4, 4, 4});
    float[] out = new float[64];
    Orientation.Indexer cube = Orientation.identity().indexer(new int[] {n, n, n});
    c.resample(data, cube, out, 0);
    // output slice d samples z = (d + 0.5) * 2 - 0.5
    assertEquals(0.5f, out[0], 1e-5);
    assertEquals(6.5f, out[3 * 16], 1e-5);
    byte[] labels = new byte[n * n * n];
    labels[5 + n * (5 + n * 5)] = 4; // on the sampling grid 1, 3, 5, 7
    byte[] small = c.resampleLabels(labels, cube);
    int nonZero = 0;
    for (byte b : small) {
      nonZero += b != 0 ? 1 : 0;
    }
    assertEquals(1, nonZero, "nearest neighbour keeps label values, no blending");
  }
}
