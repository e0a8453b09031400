package org.gliomabench.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.gliomabench.core.preprocess.PngEncoder;

/**
 * An 8-bit image in memory, gray (1 channel) or RGB (3), row by row: what the images an LLM is shown are
 * composed on (montage tiles, few-shot grids, a predicted outline over a slice) before they are encoded as PNG.
 */
public final class Canvas {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels;

  private Canvas(int width, int height, int channels, byte[] pixels) {
    if (width <= 0 || height <= 0 || pixels.length != width * height * channels) {
      throw new IllegalArgumentException("a " + width + " x " + height + " x " + channels + " canvas cannot hold "
          + pixels.length + " bytes");
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels = pixels;
  }

  /** A black gray canvas. */
  public static Canvas gray(int width, int height) {
    return new Canvas(width, height, 1, new byte[width * height]);
  }

  /** A black RGB canvas. */
  public static Canvas rgb(int width, int height) {
    return new Canvas(width, height, 3, new byte[width * height * 3]);
  }

  /** Gray pixels (row by row, {@code width * height} bytes), kept as they are. */
  public static Canvas ofGray(byte[] pixels, int width, int height) {
    return new Canvas(width, height, 1, pixels);
  }

  /** A PNG decoded: gray stays gray, anything else becomes RGB. */
  public static Canvas fromPng(byte[] png) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the PNG (" + png.length + " bytes)", e);
    }
    if (img == null) {
      throw new IllegalArgumentException("not a readable image (" + png.length + " bytes)");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    Raster r = img.getRaster();
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] p = new byte[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          p[y * w + x] = (byte) r.getSample(x, y, 0);
        }
      }
      return new Canvas(w, h, 1, p);
    }
    byte[] p = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        p[i] = (byte) (argb >> 16);
        p[i + 1] = (byte) (argb >> 8);
        p[i + 2] = (byte) argb;
      }
    }
    return new Canvas(w, h, 3, p);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public boolean isRgb() {
    return channels == 3;
  }

  /** The same picture with three channels. */
  public Canvas toRgb() {
    if (channels == 3) {
      return this;
    }
    byte[] p = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      p[3 * i] = pixels[i];
      p[3 * i + 1] = pixels[i];
      p[3 * i + 2] = pixels[i];
    }
    return new Canvas(width, height, 3, p);
  }

  /** Gray level of (x, y) (the mean of the channels of an RGB canvas). */
  public int level(int x, int y) {
    int i = (y * width + x) * channels;
    return channels == 1 ? pixels[i] & 0xff : ((pixels[i] & 0xff) + (pixels[i + 1] & 0xff) + (pixels[i + 2] & 0xff)) / 3;
  }

  /** Sets (x, y) to {@code rgb} (0xRRGGBB; a gray canvas takes the mean); outside the canvas nothing happens. */
  public void set(int x, int y, int rgb) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      return;
    }
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    int i = (y * width + x) * channels;
    if (channels == 1) {
      pixels[i] = (byte) ((r + g + b) / 3);
    } else {
      pixels[i] = (byte) r;
      pixels[i + 1] = (byte) g;
      pixels[i + 2] = (byte) b;
    }
  }

  /** Copies {@code other} with its top-left corner at (x, y), converting gray to RGB where this canvas is RGB. */
  public void paste(Canvas other, int x, int y) {
    Canvas src = channels == 3 ? other.toRgb() : other;
    if (src.channels != channels) {
      throw new IllegalArgumentException("cannot paste an RGB image into a gray canvas");
    }
    for (int row = 0; row < src.height; row++) {
      int ty = y + row;
      if (ty < 0 || ty >= height) {
        continue;
      }
      for (int col = 0; col < src.width; col++) {
        int tx = x + col;
        if (tx >= 0 && tx < width) {
          System.arraycopy(src.pixels, (row * src.width + col) * channels, pixels, (ty * width + tx) * channels, channels);
        }
      }
    }
  }

  /** Writes {@code text} in {@code rgb} with its top-left corner at (x, y) (see {@link BitmapFont}). */
  public void text(String text, int x, int y, int scale, int rgb) {
    BitmapFont.draw(text, x, y, scale, (px, py) -> set(px, py, rgb));
  }

  /**
   * Draws the outline of {@code mask} ({@code width * height} values, row by row, the canvas's own grid) in
   * {@code rgb}: every mask pixel with a 4-neighbour outside the mask, thickened to {@code thickness} pixels inward.
   */
  public void outline(boolean[] mask, int thickness, int rgb) {
    if (mask.length != width * height) {
      throw new IllegalArgumentException("a mask of " + mask.length + " pixels does not fit a " + width + " x " + height
          + " image");
    }
    boolean[] inside = mask.clone();
    for (int t = 0; t < Math.max(1, thickness); t++) {
      boolean[] edge = new boolean[inside.length];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int i = y * width + x;
          edge[i] = inside[i] && (x == 0 || y == 0 || x == width - 1 || y == height - 1 || !inside[i - 1]
              || !inside[i + 1] || !inside[i - width] || !inside[i + width]);
        }
      }
      for (int i = 0; i < edge.length; i++) {
        if (edge[i]) {
          set(i % width, i / width, rgb);
          inside[i] = false;
        }
      }
    }
  }

  public byte[] toPng() {
    return channels == 3 ? PngEncoder.rgb8(pixels, width, height) : PngEncoder.gray8(pixels, width, height);
  }
}
