package org.gliomabench.jobs.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** report on the aggregated fixture: PNG charts that decode, one HTML page that shows them, the Markdown summary. */
class ReportJobTest {
  static Path dir;
  static int status;
  static String html;

  @BeforeAll
  static void report() throws IOException {
    SharedSpark.session();
    String warehouse = ResultsFixture.aggregated().warehouse();
    status = Main.run("report", "--warehouse", warehouse, "--run-id", ResultsFixture.RUN,
        "--set", "report.chart.size=640,400");
    dir = Path.of(warehouse, ReportJob.REPORTS, ResultsFixture.RUN);
    html = Files.readString(dir.resolve(ReportJob.HTML));
  }

  private static List<Path> pngs() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  @Test
  void drawsEveryChartKindAsADecodablePng() throws IOException {
    assertEquals(0, status);
    List<String> names = pngs().stream().map(p -> p.getFileName().toString()).toList();
    for (String expected : List.of("cnn_fold0_accuracy.png", "cnn_fold0_loss.png", "cnn_fold1_accuracy.png",
        "cnn_fold1_loss.png", "gldr_llama-simulated_axial.png", "gldr_llama-simulated_coronal.png",
        "gldr_vision-llm_axial.png", "roc.png", "consistency.png", "confusion_cnn_all_test_0.png",
        "confusion_llama-simulated_axial_test_all.png", "confusion_baseline_always_hgg_all_test_all.png")) {
      assertTrue(names.contains(expected), expected + " missing from " + names);
    }
    for (String expected : List.of("answer_roc.png", "answer_gldr.png", "answer_confusion_0_cnn_ensemble_all.png",
        "answer_confusion_5_baseline_always_hgg_all.png")) {
      assertTrue(names.contains(expected), expected + " missing from " + names);
    }
    for (Path p : pngs()) {
      assertTrue(Files.size(p) > 3_000, p + " is suspiciously small: " + Files.size(p));
      BufferedImage image = ImageIO.read(p.toFile());
      int least = p.getFileName().toString().startsWith("answer_confusion") ? 200 : 400;
      assertTrue(image != null && image.getWidth() >= least, p + " does not decode as a chart image");
    }
    assertEquals(640, ImageIO.read(dir.resolve("roc.png").toFile()).getWidth(), "report.chart.size is used");
  }

  @Test
  void theAnswerIsFollowedByModelOrInputAndTheConsistencyPerGradeBesideTheStudysFigures() throws IOException {
    int answer = html.indexOf("The answer: CNN vs vision LLM");
    int moi = html.indexOf("Model or input? Each LLM arm against the general arm and the CNN");
    int details = html.indexOf("Details: every model, plane, cohort and fold");
    assertTrue(answer >= 0 && answer < moi && moi < details, "the section sits between the answer and the details");
    String table = html.substring(html.indexOf("<table id=\"model-or-input\">"), html.indexOf("</table>", moi));
    assertTrue(table.contains("vision-llm, axial (slice)") && table.contains("llama-simulated, coronal (slice)"), table);
    assertTrue(table.contains("McNemar p"), "the paired tests against the general arm and the CNN");
    String grades = html.substring(html.indexOf("<table id=\"consistency-grades\">"));
    assertTrue(grades.contains("95 of 95 alike (1.00)") && grades.contains("split 77 / 18 of 95 (0.81)"),
        "the study's own consistency figures beside each grade");
    String md = Files.readString(dir.resolve(ReportJob.MARKDOWN));
    assertTrue(md.contains("## Model or input?"), "summary.md carries the table too");
  }

  @Test
  void theHtmlPageShowsEveryPngAndOnlyThoseThatExist() throws IOException {
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      images++;
      assertTrue(Files.isRegularFile(dir.resolve(m.group(1))), "the page shows a missing file " + m.group(1));
    }
    assertEquals(pngs().size(), images);
  }

  @Test
  void theSimulatedArmIsMarkedAndTheRealOneIsNot() {
    assertTrue(html.contains("SIMULATED"));
    assertTrue(html.contains("llama-simulated <span class=\"sim\">SIMULATED</span>"));
    assertFalse(html.contains("vision-llm <span class=\"sim\">"), "the log-prob arm's model is not simulated");
  }

  @Test
  void theLlmServersSectionGivesEachArmsFailuresAndTheScoreBehindItsAuc() {
    int at = html.indexOf("LLM servers: answers, logprobs and failures per arm");
    assertTrue(at > 0, "no LLM servers section");
    String section = html.substring(at, html.indexOf("<h2>", at + 10) < 0 ? html.length() : html.indexOf("<h2>", at + 10));
    assertTrue(section.contains("axial: P(HGG)"), "the log-prob arm's AUC uses P(HGG): " + section);
    assertTrue(section.contains("axial: GLDR"), "the simulated arm's AUC uses GLDR: " + section);
    // T10's two calls never got an answer: a timeout (retried, a rerun retries it) and an HTTP error.
    assertTrue(section.contains("Why calls failed"), section);
    assertTrue(section.contains("<td style=\"text-align:left\">timeout</td><td>yes, and a rerun retries</td>"), section);
  }

  @Test
  void thePageHoldsTheTablesTestsAndConfiguration() {
    for (String expected : List.of("baseline_always_hgg", "McNemar exact p", "DeLong p", "Across folds",
        "aggregate.bootstrap.seed", "spark", "Configuration of the latest command")) {
      assertTrue(html.contains(expected), "the page lacks " + expected);
    }
  }

  @Test
  void thePageOpensWithTheAnswerAndFoldsTheDetailsAway() {
    int answer = html.indexOf("<h2>The answer: CNN vs vision LLM on the held-out test cohort</h2>");
    int finding = html.indexOf("<p class=\"finding\" id=\"finding\">On the held-out test cohort (10 patients");
    int headline = html.indexOf("<table id=\"headline\">");
    int firstImage = html.indexOf("<img ");
    int firstDetails = html.indexOf("<details>");
    assertTrue(answer > 0 && answer < html.indexOf("<h2>", answer + 1) && html.indexOf("<h2>") == answer,
        "the first section is the answer");
    assertTrue(answer < finding && finding < headline && headline < firstImage && firstImage < firstDetails,
        "sentence, headline table and charts come before anything folded");
    assertTrue(html.startsWith("<img src=\"answer_roc.png\"", firstImage), "the first chart is the answer's ROC");
    String table = html.substring(headline, html.indexOf("</table>", headline));
    for (String row : List.of("CNN, fold ensemble", "CNN, fold 1 (selected by validation)",
        "llama-simulated, axial plane <span class=\"sim\">SIMULATED</span>", "llama-simulated, coronal plane",
        "vision-llm, axial plane", "always HGG (baseline)")) {
      assertTrue(table.contains(row), "the headline lacks " + row);
    }
    int everyMetric = html.indexOf("<summary>Every metric per model, plane, cohort and fold");
    assertTrue(everyMetric > firstDetails, "the per-fold table is folded away");
    int foldRow = html.indexOf("<tr><td>test</td><td>0</td><td>" + Tables.Predictions.MODEL_CNN + "</td>");
    assertTrue(foldRow > everyMetric, "fold 0's test row is in the folded table only");
    assertEquals(html.split("<section>", -1).length - 1, html.split("</section>", -1).length - 1, "sections are closed");
  }

  @Test
  void withoutAConsistencyTableRepeatedSamplesOfASliceAreCountedFromTheCallLog() {
    List<Row> calls = new ArrayList<>();
    // Slice 7 asked three times (one answer retried: counted once), slice 8 once (not a repeat).
    calls.add(call("k1", 7, 0, "ok", 1));
    calls.add(call("k2", 7, 1, "ok", 1));
    calls.add(call("k2", 7, 1, "ok", 1));
    calls.add(call("k3", 7, 2, "parse_error", null));
    calls.add(call("k4", 7, 3, "timeout", null));
    calls.add(call("k5", 8, 0, "ok", 0));
    Map<String, Map<String, Long>> counts = ReportJob.repeatedSliceAnswers(calls);
    assertEquals(Map.of("arm P1 axial #7", Map.of("HGG", 2L, "unparseable", 1L)), counts);
  }

  @Test
  void consistencyRowsGiveACountPerAnswer() {
    StructType wide = new StructType().add("run_id", "string").add("arm", "string").add("patient_id", "string")
        .add("plane", "string").add("slice_index", "int").add("samples", "long").add("n_lgg", "long")
        .add("n_hgg", "long").add("n_no_glioma", "long").add("n_parse_error", "long").add("n_failed", "long");
    Row w = new GenericRowWithSchema(new Object[] {"r", "arm", "P1", "axial", 3, 95L, 20L, 71L, 0L, 3L, 1L}, wide);
    assertEquals(Map.of("arm P1 axial #3", Map.of("LGG", 20L, "HGG", 71L, "unparseable", 3L, "failed", 1L)),
        ReportJob.consistencyAnswers(List.of(w)));
  }

  private static Row call(String key, int slice, int sample, String status, Integer choice) {
    return new GenericRowWithSchema(new Object[] {key, ResultsFixture.RUN, "arm", null, "classify-v1", "P1", "axial", slice, sample,
        status, 1, choice, null, ""}, ResultsFixture.CALLS);
  }

  @Test
  void theMarkdownSummaryHasTheMetricTableWithIntervals() throws IOException {
    String md = Files.readString(dir.resolve(ReportJob.MARKDOWN));
    assertTrue(md.contains("**SIMULATED**"), md);
    int answer = md.indexOf("## The answer: CNN vs vision LLM on the held-out test cohort\n\n> On the held-out test cohort");
    assertTrue(answer > 0 && answer < md.indexOf("| CNN, fold ensemble | 10 |") && md.indexOf("| CNN, fold ensemble | 10 |")
        < md.indexOf("<details>"), "summary.md opens with the finding and the headline table");
    assertTrue(md.contains("| llama-simulated [SIMULATED] | axial | test |"), md);
    assertTrue(md.matches("(?s).*\\| cnn \\|  \\| test \\| 0 \\| 10 \\| 0\\.900 \\[\\d\\.\\d{3}, \\d\\.\\d{3}].*"), md);
    assertTrue(md.contains("roc.png"));
  }
}
