package org.gliomabench.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CanvasTest {

  @Test
  void anOutlineMarksTheMaskBoundaryAndLeavesItsInsideAndOutsideAlone() throws Exception {
    int w = 12;
    int h = 10;
    byte[] gray = new byte[w * h];
    java.util.Arrays.fill(gray, (byte) 100);
    Canvas c = Canvas.ofGray(gray, w, h).toRgb();
    boolean[] mask = new boolean[w * h];
    for (int y = 3; y <= 7; y++) {
      for (int x = 2; x <= 8; x++) {
        mask[y * w + x] = true;
      }
    }
    c.outline(mask, 1, 0xff0000);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.toPng()));
    assertEquals(0xff0000, img.getRGB(2, 3) & 0xffffff, "a corner of the mask is on the outline");
    assertEquals(0xff0000, img.getRGB(5, 7) & 0xffffff, "the bottom edge is on the outline");
    assertEquals(0x646464, img.getRGB(5, 5) & 0xffffff, "the inside keeps the slice");
    assertEquals(0x646464, img.getRGB(1, 5) & 0xffffff, "outside the mask is untouched");
    assertThrows(IllegalArgumentException.class, () -> c.outline(new boolean[3], 1, 0));
  }

  @Test
  void aGrayPngRoundTripsAndAnRgbPngDecodesAsRgb() {
    byte[] gray = new byte[6 * 4];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) (i * 10);
    }
    Canvas back = Canvas.fromPng(Canvas.ofGray(gray, 6, 4).toPng());
    assertFalse(back.isRgb());
    assertEquals(6, back.width());
    assertEquals(4, back.height());
    assertEquals(230, back.level(5, 3));
    Canvas rgb = Canvas.rgb(3, 2);
    rgb.set(1, 1, 0x102030);
    Canvas decoded = Canvas.fromPng(rgb.toPng());
    assertTrue(decoded.isRgb());
    assertEquals((0x10 + 0x20 + 0x30) / 3, decoded.level(1, 1));
  }

  @Test
  void aGridPlacesEachTileUnderItsLabelAndCentresSmallerTiles() throws Exception {
    Canvas bright = Canvas.ofGray(filled(20, 16, 200), 20, 16);
    Canvas small = Canvas.ofGray(filled(10, 8, 90), 10, 8);
    Canvas grid = LabelledGrid.compose(List.of(new LabelledGrid.Tile("1: HGG", bright),
        new LabelledGrid.Tile("?", small), new LabelledGrid.Tile("2: LGG", bright)), 2);
    int strip = BitmapFont.height(1) + 4;
    int gap = 2;
    assertEquals(2 * 20 + gap, grid.width());
    assertEquals(2 * (16 + strip) + gap, grid.height());
    assertEquals(200, grid.level(10, strip + 8), "first tile under its label");
    assertEquals(90, grid.level(20 + gap + 10, strip + 8), "the smaller tile is centred in its cell");
    assertEquals(0, grid.level(20 + gap + 1, strip + 1), "around the smaller tile: black");
    assertEquals(200, grid.level(5, 16 + strip + gap + strip + 3), "third tile on the second row");
    int ink = 0;
    for (int x = 0; x < 20; x++) {
      for (int y = 0; y < strip; y++) {
        ink += grid.level(x, y) == 255 ? 1 : 0;
      }
    }
    assertTrue(ink > 10, "the label is drawn in the strip above the tile: " + ink + " white pixels");
  }

  @Test
  void theFontDrawsTheLabelsItPromisesAndRefusesOthers() {
    assertTrue(BitmapFont.canDraw("T1CE FLAIR 1: HGG 2: lgg ?"));
    assertFalse(BitmapFont.canDraw("é"));
    Canvas c = Canvas.gray(40, 10);
    assertThrows(IllegalArgumentException.class, () -> c.text("é", 0, 0, 1, 0xffffff));
  }

  private static byte[] filled(int w, int h, int v) {
    byte[] b = new byte[w * h];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }
}
