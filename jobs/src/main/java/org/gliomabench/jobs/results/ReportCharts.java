package org.gliomabench.jobs.results;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.metrics.ConfusionCounts;
import org.gliomabench.core.metrics.RocAuc;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn with JFreeChart into PNG bytes (headless AWT). */
public final class ReportCharts {
  static final Color HGG = new Color(0xC0392B);
  static final Color LGG = new Color(0x2471A3);
  /** The consistency chart's bucket for calls that never answered. */
  static final String FAILED = "failed";

  static {
    // Executors and CI have no display; set before the first AWT class loads.
    System.setProperty("java.awt.headless", "true");
  }

  private final int width;
  private final int height;

  public ReportCharts(int width, int height) {
    this.width = width;
    this.height = height;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** One epoch curve: name -> (epoch -> value). */
  public byte[] perEpoch(String title, String valueAxis, Map<String, double[][]> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries s = new XYSeries(name);
      for (double[] p : points) {
        if (!Double.isNaN(p[1])) {
          s.add(p[0], p[1]);
        }
      }
      data.addSeries(s);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", valueAxis, data);
    ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return png(chart);
  }

  /** GLDR per patient, bars coloured by the true grade, with the 0.5 line. */
  public byte[] gldr(String title, List<String> patients, List<Double> gldr, List<Integer> labels) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int i = 0; i < patients.size(); i++) {
      double v = gldr.get(i) == null ? 0 : gldr.get(i);
      data.addValue(labels.get(i) == 1 ? v : 0, "HGG (true)", patients.get(i));
      data.addValue(labels.get(i) == 0 ? v : 0, "LGG (true)", patients.get(i));
    }
    JFreeChart chart = ChartFactory.createStackedBarChart(title, "test patient", "GLDR = HGG / (HGG + LGG) slices",
        data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.getRangeAxis().setRange(0, 1.05);
    ValueMarker half = new ValueMarker(0.5, Color.BLACK, new BasicStroke(1.5f));
    half.setLabel("0.5");
    plot.addRangeMarker(half);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setSeriesPaint(0, HGG);
    r.setSeriesPaint(1, LGG);
    plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
    plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_90);
    return png(chart);
  }

  /** ROC curves: name -> (labels, scores), with the chance diagonal. */
  public byte[] roc(String title, Map<String, RocInput> curves) {
    return rocChart(title, curves, width, height);
  }

  private byte[] rocChart(String title, Map<String, RocInput> curves, int w, int h) {
    XYSeriesCollection data = new XYSeriesCollection();
    curves.forEach((name, in) -> {
      XYSeries s = new XYSeries(String.format(java.util.Locale.ROOT, "%s (AUC %.3f)", name,
          RocAuc.auc(in.labels(), in.scores())), false, true);
      for (RocAuc.Point p : RocAuc.curve(in.labels(), in.scores())) {
        s.add(p.falsePositiveRate(), p.truePositiveRate());
      }
      data.addSeries(s);
    });
    XYSeries chance = new XYSeries("chance", false, true);
    chance.add(0, 0);
    chance.add(1, 1);
    data.addSeries(chance);
    JFreeChart chart = ChartFactory.createXYLineChart(title, "false positive rate (1 - specificity)",
        "true positive rate (recall)", data);
    XYPlot plot = chart.getXYPlot();
    plot.getDomainAxis().setRange(-0.02, 1.02);
    plot.getRangeAxis().setRange(-0.02, 1.02);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
    r.setSeriesPaint(data.getSeriesCount() - 1, Color.GRAY);
    r.setSeriesStroke(data.getSeriesCount() - 1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        1f, new float[] {4f, 4f}, 0f));
    return png(chart, w, h);
  }

  public record RocInput(int[] labels, double[] scores) {}

  /**
   * GLDR per patient for several arm-plane columns side by side: one dot per patient (jittered within its
   * column), coloured by the true grade, with the 0.5 line: a column whose red and blue dots separate
   * across the line tells HGG from LGG.
   */
  public byte[] gldrStrip(String title, List<String> columns, List<List<double[]>> gldrAndLabel, int w, int h) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries hgg = new XYSeries("HGG (true)", false, true);
    XYSeries lgg = new XYSeries("LGG (true)", false, true);
    for (int c = 0; c < columns.size(); c++) {
      List<double[]> points = gldrAndLabel.get(c);
      for (int i = 0; i < points.size(); i++) {
        // Deterministic jitter: patients spread evenly across 60 % of the column.
        double x = c + (points.size() == 1 ? 0 : -0.3 + 0.6 * i / (points.size() - 1));
        (points.get(i)[1] == 1 ? hgg : lgg).add(x, points.get(i)[0]);
      }
    }
    data.addSeries(hgg);
    data.addSeries(lgg);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, HGG);
    r.setSeriesPaint(1, LGG);
    r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
    r.setSeriesShape(1, new java.awt.geom.Rectangle2D.Double(-4, -4, 8, 8));
    SymbolAxis x = new SymbolAxis(null, columns.toArray(new String[0]));
    x.setRange(-0.6, columns.size() - 0.4);
    x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, columns.size() > 4 ? 9 : 11));
    NumberAxis y = new NumberAxis("GLDR = HGG / (HGG + LGG) slices");
    y.setRange(-0.03, 1.05);
    XYPlot plot = new XYPlot(data, x, y, r);
    ValueMarker half = new ValueMarker(0.5, Color.BLACK, new BasicStroke(1.2f));
    half.setLabel("HGG above, LGG below  ");
    half.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
    half.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(half);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinesVisible(false);
    return encode(chart, w, h);
  }

  /** ROC curves at a given size (the report's first screen). */
  public byte[] roc(String title, Map<String, RocInput> curves, int w, int h) {
    return rocChart(title, curves, w, h);
  }

  /** A 2 x 2 confusion matrix at a given size (the report's first screen). */
  public byte[] confusion(String title, ConfusionCounts c, int w, int h) {
    return confusionChart(title, c, w, h);
  }

  /** A 2 x 2 confusion matrix as a heat map with the counts written in the cells. */
  public byte[] confusion(String title, ConfusionCounts c) {
    return confusionChart(title, c, Math.min(width, 480), Math.min(height, 420));
  }

  private byte[] confusionChart(String title, ConfusionCounts c, int w, int h) {
    // x: predicted (0 LGG, 1 HGG); y: true (0 LGG, 1 HGG)
    double[][] xyz = {{0, 1, 0, 1}, {0, 0, 1, 1}, {c.tn(), c.fp(), c.fn(), c.tp()}};
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("counts", xyz);
    double max = Math.max(1, Math.max(Math.max(c.tn(), c.fp()), Math.max(c.fn(), c.tp())));
    LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
    for (int k = 0; k <= 10; k++) {
      int shade = 255 - (int) (k * 17.5);
      scale.add(k * max / 10.0, new Color(shade, shade, 255));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, new SymbolAxis("predicted", new String[] {"LGG", "HGG"}),
        new SymbolAxis("true", new String[] {"LGG", "HGG"}), renderer);
    String[] cell = {"TN ", "FP ", "FN ", "TP "};
    for (int k = 0; k < 4; k++) {
      XYTextAnnotation a = new XYTextAnnotation(cell[k] + (int) xyz[2][k], xyz[0][k], xyz[1][k]);
      a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.min(22, w / 20))));
      plot.addAnnotation(a);
    }
    JFreeChart chart = new JFreeChart(title, w < 360 ? new Font(Font.SANS_SERIF, Font.BOLD, 12)
        : JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart, w, h);
  }

  /** The consistency test: answer counts per repeated slice, stacked. */
  public byte[] consistency(String title, Map<String, Map<String, Long>> countsBySlice) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    List<String> buckets = new java.util.ArrayList<>(VoteRule.BUCKETS);
    if (countsBySlice.values().stream().anyMatch(c -> c.containsKey(FAILED))) {
      buckets.add(FAILED);
    }
    countsBySlice.forEach((slice, counts) -> buckets.forEach(b -> data.addValue(counts.getOrDefault(b, 0L), b, slice)));
    JFreeChart chart = ChartFactory.createStackedBarChart(title, "repeated slice", "answers", data,
        PlotOrientation.HORIZONTAL, true, false, false);
    BarRenderer r = (BarRenderer) chart.getCategoryPlot().getRenderer();
    r.setSeriesPaint(0, LGG);
    r.setSeriesPaint(1, HGG);
    r.setSeriesPaint(2, new Color(0x7F8C8D));
    r.setSeriesPaint(3, new Color(0xF1C40F));
    r.setSeriesPaint(4, Color.BLACK);
    ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return png(chart);
  }

  private byte[] png(JFreeChart chart) {
    return png(chart, width, height);
  }

  /** Colour-blind-friendly series colours (Okabe-Ito) for line charts. */
  private static final Color[] PALETTE = {new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9),
      new Color(0x009E73), new Color(0xD55E00), new Color(0x0072B2), new Color(0xCC79A7), new Color(0xF0E442)};

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof XYPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      if (plot.getRenderer() instanceof XYLineAndShapeRenderer r) {
        for (int k = 0; k < plot.getDataset().getSeriesCount(); k++) {
          if (r.getSeriesStroke(k) == null) {
            r.setSeriesStroke(k, new BasicStroke(2.2f));
          }
          if (r.getSeriesPaint(k) == null) {
            r.setSeriesPaint(k, PALETTE[k % PALETTE.length]);
          }
        }
      }
    } else if (chart.getPlot() instanceof CategoryPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      if (plot.getRenderer() instanceof BarRenderer r) {
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
      }
    }
  }

  private static byte[] png(JFreeChart chart, int w, int h) {
    style(chart);
    return encode(chart, w, h);
  }

  /** The chart as PNG bytes, as it is styled. */
  static byte[] encode(JFreeChart chart, int w, int h) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(out, chart, w, h);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw chart " + chart.getTitle(), e);
    }
  }
}
