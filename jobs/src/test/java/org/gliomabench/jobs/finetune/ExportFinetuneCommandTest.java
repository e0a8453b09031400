package org.gliomabench.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.llm.SliceFixtures;
import org.gliomabench.udf.parse.ClassifyParser;
import org.gliomabench.udf.parse.ParsedAnswer;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-finetune writes JSONL a vision SFT tool reads: every line JSON, images beside it, balanced, no test cohort. */
class ExportFinetuneCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static String warehouse;

  @BeforeAll
  static void slices() throws Exception {
    warehouse = tmp.resolve("wh").toString();
    // 7 patients: P000 test (HGG); cv: HGG P002, P003, P005, P006 and LGG P001, P004 -> LGG x2 balances exactly
    SliceFixtures.writeSlices(SharedSpark.session(), warehouse, 7, 3);
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void trainingExamplesAreBalancedChatLinesWithImagesAndNoTestPatient() throws Exception {
    Path out = tmp.resolve("ft");
    assertEquals(0, Main.run("export-finetune", "--warehouse", warehouse, "--out", out.toString()));
    List<JsonNode> train = lines(out.resolve("train.jsonl"));
    // 6 cv patients x 2 planes x 3 tumour slices = 36 slices (24 HGG, 12 LGG); LGG twice -> 48
    assertEquals(48, train.size());
    int hgg = 0;
    int lgg = 0;
    Set<String> images = new HashSet<>();
    for (JsonNode ex : train) {
      JsonNode user = ex.path("messages").path(0);
      assertEquals("user", user.path("role").asText());
      assertEquals("image", user.path("content").path(0).path("type").asText());
      assertEquals(PromptTemplates.CLASSIFY_V1.text(), user.path("content").path(1).path("text").asText());
      JsonNode assistant = ex.path("messages").path(1);
      assertEquals("assistant", assistant.path("role").asText());
      ParsedAnswer a = ClassifyParser.parse(assistant.path("content").path(0).path("text").asText());
      assertTrue(a.ok() && a.strictFormat(), "the target answer is in the study's format");
      String image = ex.path("images").path(0).asText();
      assertFalse(image.contains("P000"), "test-cohort patient exported: " + image);
      // As written: absolute, so TRL / Unsloth open it from any working directory.
      assertTrue(Path.of(image).isAbsolute(), image);
      BufferedImage img = ImageIO.read(new java.io.File(image));
      assertNotNull(img, image);
      assertEquals(24, img.getWidth());
      images.add(image);
      if (a.choice() == 1) {
        hgg++;
      } else {
        lgg++;
      }
    }
    assertEquals(24, hgg);
    assertEquals(24, lgg, "LGG oversampled to balance");
    assertEquals(36, images.size());

    List<JsonNode> lf = lines(out.resolve("llamafactory_train.jsonl"));
    assertEquals(48, lf.size());
    assertTrue(lf.get(0).path("messages").path(0).path("content").asText().startsWith("<image>Classify the brain scan"));
    JsonNode info = JSON.readTree(out.resolve("dataset_info.json").toFile());
    assertEquals("llamafactory_train.jsonl", info.path("glioma_train").path("file_name").asText());
  }

  @Test
  void aValidationFoldIsWrittenApart() throws Exception {
    Path out = tmp.resolve("ft-val");
    assertEquals(0, Main.run("export-finetune", "--warehouse", warehouse, "--out", out.toString(), "--val-fold", "2",
        "--planes", "axial"));
    List<JsonNode> val = lines(out.resolve("val.jsonl"));
    assertEquals(3, val.size(), "fold 2 is P002 alone: 3 axial slices");
    String root = out.toAbsolutePath().toString();
    val.forEach(v -> assertTrue(v.path("images").path(0).asText().startsWith(root + "/images/P002/axial_"), v.toString()));
    for (JsonNode t : lines(out.resolve("train.jsonl"))) {
      String image = t.path("images").path(0).asText();
      assertFalse(image.contains("P002") || image.contains("P000") || image.contains("coronal"), image);
    }
  }
}
