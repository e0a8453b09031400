package org.gliomabench.jobs.results;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;

/** The segmentation section's pictures: Dice box plots, heat maps of located centres, slice overlays. */
public final class SegmentationCharts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  static final Color TRUE_MASK = new Color(0x2ECC71);
  static final Color CNN_MASK = new Color(0xE74C3C);
  static final Color LLM_BOX = new Color(0xF1C40F);
  static final Color LLM_CENTRE = new Color(0x00BCD4);

  private final int width;
  private final int height;

  public SegmentationCharts(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** Dice per patient as box plots: model (series) -> region (category) -> values. */
  public byte[] diceBoxPlot(String title, Map<String, Map<String, List<Double>>> byModelRegion, List<String> regionOrder) {
    DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
    // Categories appear in the order they are first added: add region by region.
    for (String region : regionOrder) {
      byModelRegion.forEach((model, byRegion) -> {
        if (byRegion.containsKey(region)) {
          data.add(byRegion.get(region), model, region);
        }
      });
    }
    JFreeChart chart = ChartFactory.createBoxAndWhiskerChart(title, "region (CNN) / answer kind (LLM)", "Dice per patient",
        data, true);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.getRangeAxis().setRange(-0.02, 1.02);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BoxAndWhiskerRenderer r = (BoxAndWhiskerRenderer) plot.getRenderer();
    r.setMeanVisible(false); // its marker scales with the box and hides small boxes
    r.setMaxOutlierVisible(true);
    r.setMinOutlierVisible(true);
    r.setFillBox(true);
    r.setItemMargin(0.1);
    r.setMaximumBarWidth(0.12);
    chart.setBackgroundPaint(Color.WHITE);
    return ReportCharts.encode(chart, width, height);
  }

  /**
   * A 2-D histogram of points in image-relative coordinates (x / width, y / height, 0..1, y down as in the
   * image), with the image centre marked: where an arm puts tumours.
   */
  public byte[] centreHeatMap(String title, double[] relX, double[] relY, int bins) {
    double[][] xyz = new double[3][bins * bins];
    double[] counts = new double[bins * bins];
    for (int i = 0; i < relX.length; i++) {
      int bx = Math.max(0, Math.min(bins - 1, (int) Math.floor(relX[i] * bins)));
      int by = Math.max(0, Math.min(bins - 1, (int) Math.floor(relY[i] * bins)));
      counts[by * bins + bx]++;
    }
    double max = 1;
    for (int by = 0; by < bins; by++) {
      for (int bx = 0; bx < bins; bx++) {
        int k = by * bins + bx;
        xyz[0][k] = (bx + 0.5) / bins;
        xyz[1][k] = (by + 0.5) / bins;
        xyz[2][k] = counts[k];
        max = Math.max(max, counts[k]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("answers", xyz);
    LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
    scale.add(0, Color.WHITE);
    for (int k = 1; k <= 10; k++) {
      float t = k / 10f;
      scale.add(Math.max(1e-9, (k - 1) * max / 10.0 + 1e-9), new Color(1f - 0.8f * t, 1f - 0.9f * t, 1f - 0.5f * t));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setBlockWidth(1.0 / bins);
    renderer.setBlockHeight(1.0 / bins);
    renderer.setPaintScale(scale);
    NumberAxis x = new NumberAxis("x / image width");
    x.setRange(0, 1);
    NumberAxis y = new NumberAxis("y / image height (image row, top = 0)");
    y.setRange(0, 1);
    y.setInverted(true);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    for (boolean vertical : new boolean[] {true, false}) {
      ValueMarker m = new ValueMarker(0.5, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
          1f, new float[] {4f, 4f}, 0f));
      if (vertical) {
        plot.addDomainMarker(m);
      } else {
        plot.addRangeMarker(m);
      }
    }
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
    NumberAxis scaleAxis = new NumberAxis("answers");
    scaleAxis.setRange(0, max);
    PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
    legend.setMargin(4, 4, 40, 4);
    chart.addSubtitle(legend);
    chart.setBackgroundPaint(Color.WHITE);
    int side = Math.min(width, height);
    return ReportCharts.encode(chart, side + 80, side);
  }

  /** What one overlay shows; any part may be null. */
  public record Overlay(String caption, byte[] flairPng, boolean[] trueMask, boolean[] cnnMask, int[] llmBox,
      int[] llmCentre) {}

  /**
   * The FLAIR slice, scaled up, with the true mask's outline (green), the CNN's (red), the LLM's box (yellow)
   * and centre answer (cyan cross), and a caption.
   */
  public byte[] overlay(Overlay o) {
    BufferedImage flair;
    try {
      flair = ImageIO.read(new ByteArrayInputStream(o.flairPng()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a FLAIR slice PNG", e);
    }
    int w = flair.getWidth();
    int h = flair.getHeight();
    int scale = Math.max(1, Math.min(6, 480 / Math.max(w, h)));
    int captionHeight = 44;
    BufferedImage out = new BufferedImage(w * scale, h * scale + captionHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(flair, 0, 0, w * scale, h * scale, null);
    outline(out, o.trueMask(), w, h, scale, TRUE_MASK);
    outline(out, o.cnnMask(), w, h, scale, CNN_MASK);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    if (o.llmBox() != null) {
      int[] b = o.llmBox();
      g.setColor(LLM_BOX);
      g.setStroke(new BasicStroke(2f));
      g.drawRect(b[0] * scale, b[1] * scale, (b[2] - b[0] + 1) * scale, (b[3] - b[1] + 1) * scale);
    }
    if (o.llmCentre() != null) {
      int cx = o.llmCentre()[0] * scale + scale / 2;
      int cy = o.llmCentre()[1] * scale + scale / 2;
      g.setColor(LLM_CENTRE);
      g.setStroke(new BasicStroke(2.5f));
      g.drawLine(cx - 8, cy, cx + 8, cy);
      g.drawLine(cx, cy - 8, cx, cy + 8);
    }
    g.setColor(Color.WHITE);
    g.fillRect(0, h * scale, w * scale, captionHeight);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString(o.caption(), 4, h * scale + 15);
    int x = 4;
    for (Object[] key : new Object[][] {{"true mask", TRUE_MASK, o.trueMask() != null}, {"CNN", CNN_MASK, o.cnnMask() != null},
        {"LLM box", LLM_BOX, o.llmBox() != null}, {"LLM centre", LLM_CENTRE, o.llmCentre() != null}}) {
      if (!(Boolean) key[2]) {
        continue;
      }
      g.setColor((Color) key[1]);
      g.fillRect(x, h * scale + 26, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString((String) key[0], x + 16, h * scale + 37);
      x += 24 + g.getFontMetrics().stringWidth((String) key[0]);
    }
    g.dispose();
    return png(out);
  }

  /** Paints the mask's boundary pixels (a mask pixel with a 4-neighbour outside it). */
  private static void outline(BufferedImage out, boolean[] mask, int w, int h, int scale, Color colour) {
    if (mask == null) {
      return;
    }
    int rgb = colour.getRGB();
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        if (!mask[r * w + c]) {
          continue;
        }
        boolean edge = r == 0 || c == 0 || r == h - 1 || c == w - 1 || !mask[(r - 1) * w + c] || !mask[(r + 1) * w + c]
            || !mask[r * w + c - 1] || !mask[r * w + c + 1];
        if (edge) {
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              out.setRGB(c * scale + dx, r * scale + dy, rgb);
            }
          }
        }
      }
    }
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write an overlay PNG", e);
    }
  }
}
