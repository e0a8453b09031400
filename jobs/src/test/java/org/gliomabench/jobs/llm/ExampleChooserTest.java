package org.gliomabench.jobs.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExampleChooserTest {
  /** 30 patients: P00-P04 test, the rest cv in folds 0-4; every third LGG. */
  private static List<ExampleChooser.Patient> cohort() {
    List<ExampleChooser.Patient> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean test = i < 5;
      out.add(new ExampleChooser.Patient(String.format("P%02d", i), i % 3 == 0 ? 0 : 1, test ? "test" : "cv",
          test ? null : i % 5));
    }
    return out;
  }

  private static Set<String> ids(List<ExampleChooser.Patient> ps) {
    return ps.stream().map(ExampleChooser.Patient::id).collect(Collectors.toSet());
  }

  private static void assertOutOfSample(ExampleChooser.Patient asked, ExampleChooser.Choice c, int k) {
    assertNull(c.skipped(), asked + ": " + c.skipped());
    assertEquals(k, c.examples().size());
    assertEquals(k, ids(c.examples()).size(), "no patient twice");
    assertEquals(k / 2, c.examples().stream().filter(e -> e.label() == 1).count(), "half HGG");
    for (ExampleChooser.Patient e : c.examples()) {
      assertEquals("cv", e.cohort(), "never a test patient: " + e);
      assertNotEquals(asked.id(), e.id(), "never the patient asked about");
      if (asked.cv()) {
        assertNotEquals(asked.fold(), e.fold(), "never a patient of the asked patient's fold: " + e + " for " + asked);
      }
    }
  }

  @Test
  void randomExamplesAreOutOfSampleBalancedAndSeeded() {
    List<ExampleChooser.Patient> cohort = cohort();
    Set<String> all = ids(cohort);
    ExampleChooser chooser = new ExampleChooser(cohort, 7);
    for (ExampleChooser.Patient asked : cohort) {
      for (String plane : List.of("axial", "coronal")) {
        ExampleChooser.Choice c = chooser.random(asked, plane, 4, all);
        assertOutOfSample(asked, c, 4);
        assertEquals(c.examples(), new ExampleChooser(cohort, 7).random(asked, plane, 4, all).examples(), "same seed, same draw");
      }
    }
    Set<List<String>> draws = new HashSet<>();
    for (long seed = 0; seed < 8; seed++) {
      draws.add(new ExampleChooser(cohort, seed).random(cohort.get(7), "axial", 4, all).examples().stream()
          .map(ExampleChooser.Patient::id).toList());
    }
    assertTrue(draws.size() > 1, "other seeds draw other examples");
  }

  @Test
  void onlyPatientsWithASliceOfThePlaneAreShownAndTooFewIsASkipWithItsReason() {
    List<ExampleChooser.Patient> cohort = cohort();
    ExampleChooser.Patient asked = cohort.get(10); // cv, fold 0, LGG
    Set<String> withSlice = Set.of("P06", "P07", "P08", "P09", "P11"); // LGG: P06, P09; HGG: P07, P08, P11
    ExampleChooser.Choice c = new ExampleChooser(cohort, 1).random(asked, "axial", 4, withSlice);
    assertOutOfSample(asked, c, 4);
    assertTrue(withSlice.containsAll(ids(c.examples())));
    ExampleChooser.Choice none = new ExampleChooser(cohort, 1).random(asked, "axial", 6, withSlice);
    assertTrue(none.examples().isEmpty());
    assertEquals("fewer than 3 LGG example patients outside its fold (2)", none.skipped());
  }

  @Test
  void nearestExamplesUseOnlyModelsThatNeverTrainedOnTheAskedPatient() {
    List<ExampleChooser.Patient> cohort = cohort();
    Set<String> all = ids(cohort);
    // Fold f's model embeds patient i at (i, f): under fold 2's model the patients nearest P12 (fold 2) are P13, P11...;
    // under every other model the embedding puts P12 far from everyone but P29 and P28.
    Map<Integer, Map<String, double[]>> byFold = new HashMap<>();
    for (int f = 0; f < 5; f++) {
      Map<String, double[]> m = new HashMap<>();
      for (ExampleChooser.Patient p : cohort) {
        int i = Integer.parseInt(p.id().substring(1));
        double angle = f == 2 ? i * 0.05 : (i == 12 ? 29 * 0.05 : i * 0.05);
        m.put(p.id(), new double[] {Math.cos(angle), Math.sin(angle)});
      }
      byFold.put(f, m);
    }
    ExampleChooser.Embeddings e = new ExampleChooser.Embeddings() {
      @Override
      public double[] of(int fold, String id) {
        return byFold.containsKey(fold) ? byFold.get(fold).get(id) : null;
      }

      @Override
      public Set<Integer> folds() {
        return byFold.keySet();
      }
    };
    ExampleChooser chooser = new ExampleChooser(cohort, 3);
    ExampleChooser.Patient p12 = cohort.get(12);
    ExampleChooser.Choice c = chooser.nearest(p12, "axial", 2, all, e);
    assertOutOfSample(p12, c, 2);
    // Fold 2's model (P12's own fold): the nearest HGG outside fold 2 are P11 and P13 (ties go to the lower id), the
    // nearest LGG P09 and P15; the other models would have put P12 beside P28 and P29.
    assertEquals(Set.of("P11", "P09"), ids(c.examples()));
    for (ExampleChooser.Patient asked : cohort) {
      assertOutOfSample(asked, chooser.nearest(asked, "coronal", 4, all, e), 4);
    }
    ExampleChooser.Embeddings onlyFold0 = new ExampleChooser.Embeddings() {
      @Override
      public double[] of(int fold, String id) {
        return fold == 0 ? byFold.get(0).get(id) : null;
      }

      @Override
      public Set<Integer> folds() {
        return Set.of(0);
      }
    };
    ExampleChooser.Choice skipped = chooser.nearest(p12, "axial", 2, all, onlyFold0);
    assertNotNull(skipped.skipped(), "a cv patient without its own fold's embedding is skipped, not shown neighbours by a"
        + " model that trained on it");
    assertOutOfSample(cohort.get(0), chooser.nearest(cohort.get(0), "axial", 2, all, onlyFold0), 2);
    assertTrue(Objects.equals(ExampleChooser.cosineDistance(new double[] {0, 0}, new double[] {1, 0}), 2.0));
  }
}
