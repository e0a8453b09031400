package org.gliomabench.core.image;

import java.util.List;

/**
 * Images side by side in a grid, each under its label (drawn with {@link BitmapFont}): the four-modality montage
 * and the one-image form of a few-shot request. Cells are as large as the largest image; smaller images are centred.
 */
public final class LabelledGrid {
  /** One cell: a label over an image. */
  public record Tile(String label, Canvas image) {}

  private static final int WHITE = 0xffffff;

  private LabelledGrid() {}

  /** Label scale: 1 for small images, 2 from 128 pixels wide, so that labels stay legible at any size. */
  public static int scaleFor(int cellWidth) {
    return cellWidth >= 128 ? 2 : 1;
  }

  /** The tiles in rows of {@code columns}, row by row; RGB if any tile is, gray otherwise. */
  public static Canvas compose(List<Tile> tiles, int columns) {
    if (tiles.isEmpty() || columns < 1) {
      throw new IllegalArgumentException("a grid needs at least one tile and one column");
    }
    int cellW = tiles.stream().mapToInt(t -> t.image().width()).max().orElseThrow();
    int cellH = tiles.stream().mapToInt(t -> t.image().height()).max().orElseThrow();
    int scale = scaleFor(cellW);
    for (Tile t : tiles) {
      if (BitmapFont.width(t.label(), scale) > cellW - 4 * scale) {
        scale = 1; // a long label on a small tile: the smallest type
      }
    }
    int pad = 2 * scale;
    int strip = BitmapFont.height(scale) + 2 * pad;
    int rows = (tiles.size() + columns - 1) / columns;
    int gap = Math.max(2, cellW / 64);
    int width = columns * cellW + (columns - 1) * gap;
    int height = rows * (cellH + strip) + (rows - 1) * gap;
    boolean rgb = tiles.stream().anyMatch(t -> t.image().isRgb());
    Canvas out = rgb ? Canvas.rgb(width, height) : Canvas.gray(width, height);
    for (int i = 0; i < tiles.size(); i++) {
      Tile t = tiles.get(i);
      int x = (i % columns) * (cellW + gap);
      int y = (i / columns) * (cellH + strip + gap);
      out.text(t.label(), x + pad, y + pad, scale, WHITE);
      out.paste(t.image(), x + (cellW - t.image().width()) / 2, y + strip + (cellH - t.image().height()) / 2);
    }
    return out;
  }
}
