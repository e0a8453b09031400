package org.gliomabench.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.gliomabench.core.image.BitmapFont;
import org.gliomabench.core.image.Canvas;
import org.junit.jupiter.api.Test;

class MontageRendererTest {

  @Test
  void eachModalityLandsInItsNamedTileWhereTheFlairSliceShowsTheSameVoxel() {
    int nx = 10;
    int ny = 8;
    int nz = 6;
    int[] shape = {nx, ny, nz};
    Orientation o = Orientation.fromAffine(OrientationTest.LPS);
    Orientation.Indexer v = o.indexer(shape);
    List<MontageRenderer.Channel> channels = new ArrayList<>();
    for (int m = 0; m < 4; m++) {
      float[] data = new float[nx * ny * nz];
      java.util.Arrays.fill(data, 10);
      // modality m is bright at its own voxel of canonical axial slice 2: (m + 1, 2, 2)
      data[v.index(m + 1, 2, 2)] = 100;
      channels.add(new MontageRenderer.Channel(data, 0f, 0, 100));
    }
    byte[] png = new MontageRenderer(channels, shape, o).render(Plane.AXIAL, 2);
    Canvas montage = Canvas.fromPng(png);
    int strip = BitmapFont.height(1) + 4;
    int gap = 2;
    assertEquals(2 * nx + gap, montage.width());
    assertEquals(2 * (ny + strip) + gap, montage.height());
    for (int m = 0; m < 4; m++) {
      int x0 = (m % 2) * (nx + gap);
      int y0 = (m / 2) * (ny + strip + gap) + strip;
      // SliceGeometry: canonical (i, j) of an axial slice shows at column nx-1-i, row ny-1-j
      int col = nx - 1 - (m + 1);
      int row = ny - 1 - 2;
      assertEquals(255, montage.level(x0 + col, y0 + row), MontageRenderer.TILES.get(m) + " tile shows its bright voxel");
      assertEquals(Math.round(10 * 2.55f), montage.level(x0 + col + (m == 0 ? -1 : 1), y0 + row),
          "the rest of the tile is windowed like the FLAIR slice");
    }
    assertThrows(IllegalArgumentException.class, () -> new MontageRenderer(channels.subList(0, 3), shape, o));
  }
}
