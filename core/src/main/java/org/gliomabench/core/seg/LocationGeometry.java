package org.gliomabench.core.seg;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * 2-D geometry of the LLM's localisation answers against a slice's tumour mask, in PNG pixels.
 *
 * <p>Coordinates are continuous: pixel (column i, row j) covers [i, i+1) x [j, j+1), its centre is
 * (i + 0.5, j + 0.5), x grows to the right and y downwards (the PNG's and the locate prompts' convention).
 * A shape covers a pixel when the pixel's centre lies inside it, by the even-odd rule with half-open edges
 * (a centre on a left or top edge is in, on a right or bottom edge out), so that a box and the polygon of
 * its four corners cover the same pixels, and two shapes that share an edge never both cover a pixel.
 * Shapes are clipped to the image.
 */
public final class LocationGeometry {
  private LocationGeometry() {}

  public static final String KIND_CENTRE = "centre";
  public static final String KIND_BOX = "box";
  public static final String KIND_POLYGON = "polygon";

  /** A binary mask over a width x height pixel grid, row-major (index y * width + x). */
  public static final class Mask {
    private final int width;
    private final int height;
    private final boolean[] pixels;

    public Mask(int width, int height, boolean[] pixels) {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("a mask needs a positive size, got " + width + " x " + height);
      }
      if (pixels.length != width * height) {
        throw new IllegalArgumentException("mask pixels " + pixels.length + " != " + width + " x " + height);
      }
      this.width = width;
      this.height = height;
      this.pixels = pixels;
    }

    public static Mask empty(int width, int height) {
      return new Mask(width, height, new boolean[width * height]);
    }

    public int width() {
      return width;
    }

    public int height() {
      return height;
    }

    /** A copy of the pixels, row-major (y * width + x). */
    public boolean[] toArray() {
      return pixels.clone();
    }

    public boolean get(int x, int y) {
      return pixels[y * width + x];
    }

    public long count() {
      long n = 0;
      for (boolean b : pixels) {
        n += b ? 1 : 0;
      }
      return n;
    }

    /** Mean of the covered pixels' centres, {x, y}; null for an empty mask. */
    public double[] centroid() {
      double sx = 0;
      double sy = 0;
      long n = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          if (pixels[y * width + x]) {
            sx += x + 0.5;
            sy += y + 0.5;
            n++;
          }
        }
      }
      return n == 0 ? null : new double[] {sx / n, sy / n};
    }

    /** Whether the point lies in a covered pixel (points on the image's far edge count in its last pixel). */
    public boolean contains(double x, double y) {
      if (!Double.isFinite(x) || !Double.isFinite(y) || x < 0 || y < 0 || x > width || y > height) {
        return false;
      }
      int i = Math.min(width - 1, (int) Math.floor(x));
      int j = Math.min(height - 1, (int) Math.floor(y));
      return pixels[j * width + i];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }
  }

  /** The box [x0, x1) x [y0, y1) (corners in any order) at the pixel-centre rule, clipped to the image. */
  public static Mask box(double x0, double y0, double x1, double y1, int width, int height) {
    requireFinite(x0, y0, x1, y1);
    Mask m = Mask.empty(width, height);
    int i0 = Math.min(width, Math.max(0, firstCentreAtOrAfter(Math.min(x0, x1))));
    int i1 = Math.min(width, firstCentreAtOrAfter(Math.max(x0, x1)));
    int j0 = Math.max(0, firstCentreAtOrAfter(Math.min(y0, y1)));
    int j1 = Math.min(height, firstCentreAtOrAfter(Math.max(y0, y1)));
    for (int j = j0; j < j1; j++) {
      Arrays.fill(m.pixels, j * width + i0, j * width + Math.max(i0, i1), true);
    }
    return m;
  }

  /** The first pixel index whose centre i + 0.5 is at or after v. */
  private static int firstCentreAtOrAfter(double v) {
    double i = Math.ceil(v - 0.5);
    return (int) Math.max(-1, Math.min(Integer.MAX_VALUE / 2.0, i));
  }

  /**
   * The polygon of vertices (x1, y1, x2, y2, ...) by the even-odd rule at the pixel-centre rule, clipped to
   * the image. Self-intersecting polygons are allowed (even-odd decides); fewer than 3 vertices cover nothing.
   */
  public static Mask polygon(double[] xy, int width, int height) {
    if (xy.length % 2 != 0) {
      throw new IllegalArgumentException("a polygon needs x,y pairs, got " + xy.length + " numbers");
    }
    requireFinite(xy);
    Mask m = Mask.empty(width, height);
    int n = xy.length / 2;
    if (n < 3) {
      return m;
    }
    double[] crossings = new double[n];
    for (int j = 0; j < height; j++) {
      double cy = j + 0.5;
      int k = 0;
      // Edge (a, b) crosses the scan line when exactly one end is below it (half-open in y).
      for (int a = 0, b = n - 1; a < n; b = a++) {
        double ya = xy[2 * a + 1];
        double yb = xy[2 * b + 1];
        if ((ya > cy) != (yb > cy)) {
          double xa = xy[2 * a];
          double xb = xy[2 * b];
          crossings[k++] = xa + (cy - ya) * (xb - xa) / (yb - ya);
        }
      }
      Arrays.sort(crossings, 0, k);
      // Even-odd: inside between crossings 0-1, 2-3, ...; half-open in x like the box.
      for (int c = 0; c + 1 < k; c += 2) {
        int i0 = Math.max(0, firstCentreAtOrAfter(crossings[c]));
        int i1 = Math.min(width, firstCentreAtOrAfter(crossings[c + 1]));
        for (int i = i0; i < i1; i++) {
          m.pixels[j * width + i] = !m.pixels[j * width + i];
        }
      }
    }
    return m;
  }

  /** A box (x0, y0, x1, y1) or polygon answer as a mask; null for a centre answer (a point has no area). */
  public static Mask rasterise(String kind, double[] location, int width, int height) {
    return switch (kind) {
      case KIND_BOX -> {
        requireLength(kind, location, 4);
        yield box(location[0], location[1], location[2], location[3], width, height);
      }
      case KIND_POLYGON -> polygon(location, width, height);
      case KIND_CENTRE -> null;
      default -> throw new IllegalArgumentException("unknown location kind '" + kind + "' (centre, box, polygon)");
    };
  }

  /**
   * The answer's centre {x, y}: the point itself, the box's centre, or the polygon's area centroid (the mean
   * of its vertices when it has no area).
   */
  public static double[] centre(String kind, double[] location) {
    switch (kind) {
      case KIND_CENTRE -> {
        requireLength(kind, location, 2);
        return new double[] {location[0], location[1]};
      }
      case KIND_BOX -> {
        requireLength(kind, location, 4);
        return new double[] {(location[0] + location[2]) / 2, (location[1] + location[3]) / 2};
      }
      case KIND_POLYGON -> {
        if (location.length < 6 || location.length % 2 != 0) {
          throw new IllegalArgumentException("a polygon needs 3 or more x,y pairs, got " + location.length + " numbers");
        }
        return polygonCentroid(location);
      }
      default -> throw new IllegalArgumentException("unknown location kind '" + kind + "' (centre, box, polygon)");
    }
  }

  static double[] polygonCentroid(double[] xy) {
    int n = xy.length / 2;
    double area2 = 0;
    double cx = 0;
    double cy = 0;
    for (int a = 0, b = n - 1; a < n; b = a++) {
      double cross = xy[2 * b] * xy[2 * a + 1] - xy[2 * a] * xy[2 * b + 1];
      area2 += cross;
      cx += (xy[2 * b] + xy[2 * a]) * cross;
      cy += (xy[2 * b + 1] + xy[2 * a + 1]) * cross;
    }
    if (Math.abs(area2) < 1e-9) {
      double mx = 0;
      double my = 0;
      for (int a = 0; a < n; a++) {
        mx += xy[2 * a];
        my += xy[2 * a + 1];
      }
      return new double[] {mx / n, my / n};
    }
    return new double[] {cx / (3 * area2), cy / (3 * area2)};
  }

  /** Dice = 2 |A and B| / (|A| + |B|); 1 when both are empty (they agree that there is nothing). */
  public static double dice(Mask a, Mask b) {
    if (a.width != b.width || a.height != b.height) {
      throw new IllegalArgumentException("masks of different sizes: " + a.width + " x " + a.height + " and "
          + b.width + " x " + b.height);
    }
    long both = 0;
    long sum = 0;
    for (int p = 0; p < a.pixels.length; p++) {
      both += a.pixels[p] && b.pixels[p] ? 1 : 0;
      sum += (a.pixels[p] ? 1 : 0) + (b.pixels[p] ? 1 : 0);
    }
    return sum == 0 ? 1.0 : 2.0 * both / sum;
  }

  public static double distance(double x0, double y0, double x1, double y1) {
    return Math.hypot(x1 - x0, y1 - y0);
  }

  /** The image centre {width / 2, height / 2} in the same continuous coordinates. */
  public static double[] imageCentre(int width, int height) {
    return new double[] {width / 2.0, height / 2.0};
  }

  /**
   * The whole tumour (label > 0) of a mask PNG as ingest writes it (8-bit grayscale of BraTS labels,
   * core.preprocess.PngEncoder); the PNG's size must be the expected one.
   */
  public static Mask decodeWholeTumour(byte[] png, int width, int height) {
    if (png == null || png.length == 0) {
      throw new IllegalArgumentException("no mask PNG");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable mask PNG: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IllegalArgumentException("the mask is not a PNG ImageIO can read (" + png.length + " bytes)");
    }
    if (img.getWidth() != width || img.getHeight() != height) {
      throw new IllegalArgumentException("mask PNG is " + img.getWidth() + " x " + img.getHeight()
          + ", the slice " + width + " x " + height);
    }
    Raster r = img.getRaster();
    boolean[] px = new boolean[width * height];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      r.getSamples(0, y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        px[y * width + x] = row[x] > 0;
      }
    }
    return new Mask(width, height, px);
  }

  private static void requireLength(String kind, double[] location, int n) {
    if (location == null || location.length != n) {
      throw new IllegalArgumentException("a " + kind + " needs " + n + " numbers, got "
          + (location == null ? "none" : Integer.toString(location.length)));
    }
  }

  private static void requireFinite(double... v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("coordinate " + d + " is not finite");
      }
    }
  }
}
