package org.gliomabench.jobs.results;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables.CentreBias;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.core.Tables.LlmLocalisation;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.Tables.Slices;
import org.gliomabench.core.Tables;
import org.gliomabench.core.seg.LocationGeometry;
import org.gliomabench.jobs.LlmCallsView;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * The report's segmentation part: Dice per region and arm (table and box plots), the LLM's centre bias
 * (table and heat maps of the located centres against the true centroids) and overlays of a few patients'
 * largest axial tumour slice with the true mask, the CNN's mask and the LLM's box and centre.
 */
final class SegmentationSection {
  /** The bins per side of the centre heat maps. */
  static final int HEAT_MAP_BINS = 16;

  private final ReportJob page;
  private final Warehouse warehouse;
  private final String runId;
  private final SegmentationCharts charts;
  private final int overlays;
  private final CnnSliceMasks cnnMasks;

  SegmentationSection(ReportJob page, Warehouse warehouse, String runId, SegmentationCharts charts, int overlays,
      CnnSliceMasks cnnMasks) {
    this.page = page;
    this.warehouse = warehouse;
    this.runId = runId;
    this.charts = charts;
    this.overlays = overlays;
    this.cnnMasks = cnnMasks;
  }

  /** The CNN's whole-tumour mask on one slice image grid (null when the run has none for the patient). */
  interface CnnSliceMasks {
    boolean[] mask(String patientId, String plane, int sliceIndex, int width, int height);
  }

  void write() {
    List<Row> seg = page.runRows(Segmentation.NAME);
    List<Row> bias = page.runRows(CentreBias.NAME);
    List<Row> located = page.runRows(LlmLocalisation.NAME);
    if (seg.isEmpty() && bias.isEmpty() && located.isEmpty()) {
      page.html().append("<p>No segmentation or localisation results in this run (train-seg, or llm-slices with a"
          + " locate prompt, then aggregate).</p>\n");
      return;
    }
    page.section("Segmentation: Dice per region and arm");
    page.html().append("<p>").append(ReportJob.esc(referenceNote(seg))).append("</p>\n");
    diceTable(seg);
    diceBoxPlot(seg);
    unetHistory();
    centreBias(bias, located);
    overlays(seg, located);
  }

  /** What the masks are; the real BraTS masks are a consensus of annotators, not ground truth. */
  static String referenceNote(List<Row> seg) {
    Set<String> refs = new TreeSet<>();
    seg.forEach(r -> refs.add(Objects.toString(opt(r, Segmentation.REFERENCE), "")));
    List<String> parts = new ArrayList<>();
    if (refs.contains(Segmentation.REFERENCE_CONSENSUS)) {
      parts.add("Reference masks marked " + Segmentation.REFERENCE_CONSENSUS + " are the BraTS annotators' consensus"
          + " segmentation, not ground truth: Dice against them measures agreement with that consensus.");
    }
    if (refs.contains(Segmentation.REFERENCE_PHANTOM)) {
      parts.add("Reference masks marked " + Segmentation.REFERENCE_PHANTOM + " are the exact tumours of synthetic"
          + " phantoms: these figures test the pipeline, not performance on real MRI.");
    }
    parts.add("CNN rows (" + Segmentation.MODEL_CNN_SEG + ", the U-Net; " + Segmentation.MODEL_MULTITASK_SEG + ", the"
        + " multi-task U-Net) are scored in the original volume's space per BraTS region"
        + " (WT = labels 1, 2, 4; TC = 1, 4; ET = 4), HD95 in mm; LLM rows per located slice against the whole tumour,"
        + " averaged per patient, distances in pixels.");
    return String.join(" ", parts);
  }

  private void diceTable(List<Row> seg) {
    Map<String, List<Row>> groups = new TreeMap<>();
    for (Row r : seg) {
      groups.computeIfAbsent(String.join("\t", r.<String>getAs(Segmentation.MODEL), r.<String>getAs(Segmentation.REGION),
          Objects.toString(opt(r, Tables.COHORT), ""), Objects.toString(opt(r, Segmentation.REFERENCE), "")),
          k -> new ArrayList<>()).add(r);
    }
    StringBuilder html = page.html();
    html.append("<table><tr><th>model</th><th>region</th><th>cohort</th><th>reference</th><th>rows</th>"
        + "<th>mean Dice</th><th>median Dice</th><th>SD</th><th>mean HD95</th><th>hit rate</th>"
        + "<th>mean distance (px)</th></tr>\n");
    groups.forEach((k, rows) -> {
      String[] key = k.split("\t", -1);
      double[] dice = values(rows, Segmentation.DICE);
      double[] hd = values(rows, Segmentation.HD95);
      double[] hit = values(rows, Segmentation.HIT_RATE);
      double[] dist = values(rows, Segmentation.MEAN_DISTANCE_PX);
      html.append("<tr><td>").append(page.armLabelHtml(key[0])).append("</td><td>").append(ReportJob.esc(key[1]))
          .append("</td><td>").append(ReportJob.esc(key[2])).append("</td><td>").append(ReportJob.esc(key[3]))
          .append("</td><td>").append(rows.size()).append("</td><td>").append(num(mean(dice))).append("</td><td>")
          .append(num(median(dice))).append("</td><td>").append(num(sd(dice))).append("</td><td>").append(num(mean(hd)))
          .append("</td><td>").append(num(mean(hit))).append("</td><td>").append(num(mean(dist))).append("</td></tr>\n");
    });
    html.append("</table>\n<p>Rows: patients (the CNN's test cohort: patients x folds, each fold's model scores the"
        + " test cohort). Empty masks: Dice 1 when both are empty, HD95 n/a when either is.</p>\n");
  }

  private void diceBoxPlot(List<Row> seg) {
    boolean hasTest = seg.stream().anyMatch(r -> Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)));
    // One value per model x region x patient: the CNN's test patients are scored by every fold's model.
    Map<String, Map<String, Map<String, List<Double>>>> perPatient = new TreeMap<>();
    for (Row r : seg) {
      Object dice = opt(r, Segmentation.DICE);
      if (dice == null || (hasTest && !Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)))) {
        continue;
      }
      perPatient.computeIfAbsent(page.armLabel(r.getAs(Segmentation.MODEL)), m -> new TreeMap<>(regionOrder()))
          .computeIfAbsent(r.getAs(Segmentation.REGION), g -> new TreeMap<>())
          .computeIfAbsent(r.getAs(Tables.PATIENT_ID), p -> new ArrayList<>()).add(((Number) dice).doubleValue());
    }
    if (perPatient.isEmpty()) {
      return;
    }
    Map<String, Map<String, List<Double>>> boxes = new LinkedHashMap<>();
    perPatient.forEach((model, byRegion) -> byRegion.forEach((region, byPatient) ->
        boxes.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(region,
            byPatient.values().stream().map(v -> v.stream().mapToDouble(Double::doubleValue).average().orElse(0)).toList())));
    List<String> regions = boxes.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted(regionOrder()).toList();
    page.image("segmentation_dice.png", charts.diceBoxPlot("Dice per patient" + (hasTest ? ", test cohort" : ""), boxes,
        regions));
  }

  /** Validation Dice per epoch of each fold's U-Net. */
  private void unetHistory() {
    Map<String, String> series = new LinkedHashMap<>();
    series.put("validation Dice WT", Tables.SegHistory.VAL_DICE_WT);
    series.put("validation Dice TC", Tables.SegHistory.VAL_DICE_TC);
    series.put("validation Dice ET", Tables.SegHistory.VAL_DICE_ET);
    page.foldCurves(Tables.SegHistory.NAME, "unet_fold%d_dice.png", "U-Net fold %d: validation Dice (volume grid)",
        "Dice", series);
  }

  private static Comparator<String> regionOrder() {
    List<String> order = List.of(Segmentation.REGION_WT, Segmentation.REGION_TC, Segmentation.REGION_ET,
        Segmentation.REGION_BOX, Segmentation.REGION_POLYGON);
    return Comparator.comparingInt((String s) -> order.indexOf(s) < 0 ? order.size() : order.indexOf(s))
        .thenComparing(Comparator.naturalOrder());
  }

  private void centreBias(List<Row> bias, List<Row> located) {
    if (bias.isEmpty() && located.isEmpty()) {
      return;
    }
    page.section("LLM localisation: centre bias");
    StringBuilder html = page.html();
    if (!bias.isEmpty()) {
      html.append("<table><tr><th>arm</th><th>plane</th><th>kind</th><th>n</th><th>hit rate</th><th>mean Dice</th>"
          + "<th>distance to true centroid (px)</th><th>baseline's distance</th><th>predicted to image centre</th>"
          + "<th>true centroid to image centre</th><th>corr x</th><th>corr y</th><th>verdict</th></tr>\n");
      bias.sort(Comparator.comparing((Row r) -> r.<String>getAs(LlmCalls.ARM)).thenComparing(r -> r.<String>getAs(Tables.PLANE))
          .thenComparing(r -> r.<String>getAs(LlmLocalisation.LOCATION_KIND)));
      for (Row r : bias) {
        html.append("<tr><td>").append(page.armLabelHtml(r.getAs(LlmCalls.ARM))).append("</td><td>")
            .append(ReportJob.esc(r.getAs(Tables.PLANE))).append("</td><td>")
            .append(ReportJob.esc(r.getAs(LlmLocalisation.LOCATION_KIND))).append("</td><td>")
            .append(ReportJob.esc(opt(r, CentreBias.N)));
        for (String c : List.of(CentreBias.HIT_RATE, CentreBias.MEAN_DICE, CentreBias.MEAN_DISTANCE_PX,
            CentreBias.BASELINE_DISTANCE_PX, CentreBias.MEAN_PRED_TO_IMAGE_CENTRE_PX, CentreBias.MEAN_TRUE_TO_IMAGE_CENTRE_PX,
            CentreBias.CORR_X, CentreBias.CORR_Y)) {
          html.append("</td><td>").append(num(opt(r, c)));
        }
        html.append("</td><td><b>").append(ReportJob.esc(r.getAs(CentreBias.VERDICT))).append("</b></td></tr>\n");
      }
      html.append("</table>\n<p>The verdict compares each arm with the <code>").append(LlmLocalisation.BASELINE_ARM)
          .append("</code> baseline, which always answers the image centre (docs/segmentation.md gives the rule).</p>\n");
    }
    // Heat maps: where each arm puts the tumour, and where the tumours are (per plane, all kinds pooled).
    Map<String, List<double[]>> predicted = new TreeMap<>();
    Map<String, List<double[]>> truth = new TreeMap<>();
    Map<String, Set<String>> seen = new TreeMap<>();
    for (Row r : located) {
      Number w = r.getAs(Slices.WIDTH);
      Number h = r.getAs(Slices.HEIGHT);
      String arm = r.getAs(LlmLocalisation.ARM);
      String plane = r.getAs(Tables.PLANE);
      if (w == null || h == null || r.getAs(LlmLocalisation.PRED_X) == null) {
        continue;
      }
      if (!LlmLocalisation.BASELINE_ARM.equals(arm)) {
        predicted.computeIfAbsent(arm + "\t" + plane, k -> new ArrayList<>()).add(new double[] {
            ((Number) r.getAs(LlmLocalisation.PRED_X)).doubleValue() / w.doubleValue(),
            ((Number) r.getAs(LlmLocalisation.PRED_Y)).doubleValue() / h.doubleValue()});
      }
      String sliceKey = r.getAs(Tables.PATIENT_ID) + "/" + r.getAs(Tables.SLICE_INDEX);
      if (r.getAs(LlmLocalisation.TRUE_X) != null && seen.computeIfAbsent(plane, p -> new TreeSet<>()).add(sliceKey)) {
        truth.computeIfAbsent(plane, k -> new ArrayList<>()).add(new double[] {
            ((Number) r.getAs(LlmLocalisation.TRUE_X)).doubleValue() / w.doubleValue(),
            ((Number) r.getAs(LlmLocalisation.TRUE_Y)).doubleValue() / h.doubleValue()});
      }
    }
    truth.forEach((plane, points) -> page.image("centres_true_" + ReportJob.safe(plane) + ".png",
        heatMap("True tumour centroids, " + plane + " (" + points.size() + " slices)", points)));
    predicted.forEach((key, points) -> {
      String[] ap = key.split("\t");
      page.image("centres_" + ReportJob.safe(ap[0]) + "_" + ReportJob.safe(ap[1]) + ".png",
          heatMap("Located centres, " + page.armLabel(ap[0]) + ", " + ap[1] + " (" + points.size() + " answers)", points));
    });
  }

  private byte[] heatMap(String title, List<double[]> points) {
    return charts.centreHeatMap(title, points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray(), HEAT_MAP_BINS);
  }

  /** A few patients' largest axial tumour slice: test patients the CNN scored first, then located ones. */
  private void overlays(List<Row> seg, List<Row> located) {
    if (overlays <= 0 || !warehouse.exists(Slices.NAME)) {
      return;
    }
    Set<String> patients = new java.util.LinkedHashSet<>(); // test patients the CNN scored first
    seg.stream().filter(r -> Segmentation.MODEL_CNN_SEG.equals(r.getAs(Segmentation.MODEL))
            && Tables.COHORT_TEST.equals(r.getAs(Tables.COHORT)))
        .forEach(r -> patients.add(r.getAs(Tables.PATIENT_ID)));
    seg.stream().filter(r -> Segmentation.MODEL_CNN_SEG.equals(r.getAs(Segmentation.MODEL)))
        .forEach(r -> patients.add(r.getAs(Tables.PATIENT_ID)));
    located.forEach(r -> patients.add(r.getAs(Tables.PATIENT_ID)));
    List<String> chosen = patients.stream().limit(overlays).toList();
    if (chosen.isEmpty()) {
      return;
    }
    List<Row> slices = warehouse.read(Slices.NAME)
        .where(col(Tables.PATIENT_ID).isin(chosen.toArray()).and(col(Tables.PLANE).equalTo("axial")).and(col(Slices.IN_TUMOUR)))
        .select(Tables.PATIENT_ID, Tables.SLICE_INDEX, Slices.WIDTH, Slices.HEIGHT, Slices.TUMOUR_PIXELS, Slices.FLAIR_PNG,
            Slices.MASK_PNG)
        .collectAsList();
    Map<String, double[]> answers = llmAnswers(chosen);
    // The patient's largest tumour slice, among those the LLM was asked about when it was asked any.
    Map<String, Row> largest = new TreeMap<>();
    for (Row r : slices) {
      String patient = SparkTables.string(r, Tables.PATIENT_ID);
      int slice = SparkTables.intValue(r, Tables.SLICE_INDEX);
      boolean asked = answers.keySet().stream().anyMatch(k -> k.startsWith(patient + "|" + slice + "|"));
      boolean anyAsked = answers.keySet().stream().anyMatch(k -> k.startsWith(patient + "|"));
      if (anyAsked && !asked) {
        continue;
      }
      largest.merge(patient, r, (a, b) -> SparkTables.longValue(a, Slices.TUMOUR_PIXELS) >= SparkTables.longValue(b, Slices.TUMOUR_PIXELS) ? a : b);
    }
    if (largest.isEmpty()) {
      return;
    }
    page.section("Overlays: largest axial tumour slice");
    for (Row s : largest.values()) {
      String patient = SparkTables.string(s, Tables.PATIENT_ID);
      int slice = SparkTables.intValue(s, Tables.SLICE_INDEX);
      int w = SparkTables.intValue(s, Slices.WIDTH);
      int h = SparkTables.intValue(s, Slices.HEIGHT);
      byte[] maskPng = SparkTables.bytes(s, Slices.MASK_PNG);
      boolean[] truth = maskPng == null ? null : LocationGeometry.decodeWholeTumour(maskPng, w, h).toArray();
      double[] box = answers.get(patient + "|" + slice + "|" + LocationGeometry.KIND_BOX);
      double[] centre = answers.get(patient + "|" + slice + "|" + LocationGeometry.KIND_CENTRE);
      page.image("overlay_" + ReportJob.safe(patient) + ".png", charts.overlay(new SegmentationCharts.Overlay(
          patient + ", axial slice " + slice, SparkTables.bytes(s, Slices.FLAIR_PNG), truth, cnnMasks.mask(patient, "axial", slice, w, h),
          box == null ? null : new int[] {(int) box[0], (int) box[1], (int) box[2], (int) box[3]},
          centre == null ? null : new int[] {(int) centre[0], (int) centre[1]})));
    }
    page.html().append("<p>LLM answers drawn are the first arm's (by name) answer for that slice, per kind.</p>\n");
  }

  /** patient|slice|kind -> the located box (x0, y0, x1, y1) or centre (x, y) on axial slices, first arm by name. */
  private Map<String, double[]> llmAnswers(List<String> patients) {
    Map<String, double[]> out = new TreeMap<>();
    if (!warehouse.exists(LlmCalls.NAME)
        || !java.util.Arrays.asList(warehouse.read(LlmCalls.NAME).columns()).containsAll(List.of(LlmCalls.LOCATION,
            LlmCalls.LOCATION_KIND, LlmCalls.FINISHED_AT))) {
      return out; // no locate calls were ever made into this warehouse
    }
    List<Row> calls = LlmCallsView.latestOfRun(warehouse, runId)
        .where(col(LlmCalls.STATUS).equalTo(LlmCalls.STATUS_OK).and(col(LlmCalls.LOCATION).isNotNull())
            .and(col(Tables.PLANE).equalTo("axial")).and(col(Tables.PATIENT_ID).isin(patients.toArray())))
        .select(LlmCalls.ARM, Tables.PATIENT_ID, Tables.SLICE_INDEX, LlmCalls.LOCATION_KIND, LlmCalls.LOCATION)
        .orderBy(LlmCalls.ARM).collectAsList();
    for (Row r : calls) {
      List<Double> loc = SparkTables.list(r, LlmCalls.LOCATION);
      out.putIfAbsent(SparkTables.string(r, Tables.PATIENT_ID) + "|" + SparkTables.intValue(r, Tables.SLICE_INDEX) + "|"
          + SparkTables.string(r, LlmCalls.LOCATION_KIND),
          loc.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return out;
  }

  /** A column's value, or null when the table has no such column (older or partial tables). */
  static Object opt(Row r, String column) {
    return r.schema().getFieldIndex(column).isDefined() ? r.getAs(column) : null;
  }

  // ---- numbers ------------------------------------------------------------------------------------

  private static double[] values(List<Row> rows, String column) {
    if (rows.isEmpty() || !rows.get(0).schema().getFieldIndex(column).isDefined()) {
      return new double[0];
    }
    return rows.stream().map(r -> r.getAs(column)).filter(Objects::nonNull)
        .mapToDouble(v -> ((Number) v).doubleValue()).filter(v -> !Double.isNaN(v)).toArray();
  }

  static Double mean(double[] v) {
    return v.length == 0 ? null : java.util.Arrays.stream(v).average().orElse(Double.NaN);
  }

  static Double median(double[] v) {
    if (v.length == 0) {
      return null;
    }
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static Double sd(double[] v) {
    if (v.length < 2) {
      return null;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1));
  }

  private static String num(Object o) {
    return o == null ? "n/a" : String.format(Locale.ROOT, "%.3f", ((Number) o).doubleValue());
  }
}
