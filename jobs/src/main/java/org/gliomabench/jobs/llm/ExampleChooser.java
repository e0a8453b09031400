package org.gliomabench.jobs.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Chooses the labelled examples a few-shot request shows for one patient and plane: k/2 HGG and k/2 LGG patients of
 * the cv cohort, never a test patient, never the patient asked about and, when that patient is in the cv cohort,
 * never one of its fold (so the cv cohort's metrics stay out-of-sample as the test cohort's do). Random: drawn with a
 * seed per patient and plane. Nearest: the closest of each grade by the CNN's learned features (cosine distance of
 * the dense layer's activations, cnn_embeddings) under fold models that never trained on the patient asked about:
 * its own fold's model for a cv patient, the mean distance over every fold model for a test patient. The examples
 * are shown in a seeded order, so that their position says nothing of their grade. Plain Java, driver side.
 */
final class ExampleChooser {
  /** A patient as the chooser sees it; fold null for the test cohort. */
  record Patient(String id, int label, String cohort, Integer fold) {
    boolean cv() {
      return org.gliomabench.core.Tables.COHORT_CV.equals(cohort);
    }
  }

  /** The examples (patient ids, in the order shown), or why there are none. */
  record Choice(List<Patient> examples, String skipped) {
    static Choice skip(String reason) {
      return new Choice(List.of(), reason);
    }
  }

  /** Per fold model: each embedded patient's activations. */
  interface Embeddings {
    /** The patient's embedding under fold {@code fold}'s model, or null. */
    double[] of(int fold, String patientId);

    /** The folds whose models embedded anyone. */
    Set<Integer> folds();
  }

  private final List<Patient> candidates;
  private final long seed;

  /** {@code patients}: every patient of the cohort; only the cv cohort's are candidates. */
  ExampleChooser(List<Patient> patients, long seed) {
    this.candidates = patients.stream().filter(Patient::cv).sorted(Comparator.comparing(Patient::id)).toList();
    this.seed = seed;
  }

  /** Whether {@code c} may be shown to a request about {@code asked}. */
  static boolean eligible(Patient c, Patient asked) {
    return c.cv() && !c.id().equals(asked.id()) && !(asked.cv() && Objects.equals(c.fold(), asked.fold()));
  }

  /** k/2 of each grade at random among the eligible patients that have a slice of the plane ({@code withSlice}). */
  Choice random(Patient asked, String plane, int k, Set<String> withSlice) {
    Random rng = rng(asked, plane);
    List<Patient> out = new ArrayList<>();
    for (int label : new int[] {1, 0}) {
      List<Patient> pool = new ArrayList<>(candidates.stream()
          .filter(c -> c.label() == label && withSlice.contains(c.id()) && eligible(c, asked)).toList());
      if (pool.size() < k / 2) {
        return Choice.skip(shortOf(label, k, pool.size()));
      }
      Collections.shuffle(pool, rng);
      out.addAll(pool.subList(0, k / 2));
    }
    Collections.shuffle(out, rng);
    return new Choice(out, null);
  }

  /** The k/2 nearest of each grade by the CNN's embeddings, under the fold models that never trained on {@code asked}. */
  Choice nearest(Patient asked, String plane, int k, Set<String> withSlice, Embeddings embeddings) {
    List<Integer> models = asked.cv() ? (asked.fold() == null ? List.of() : List.of(asked.fold()))
        : embeddings.folds().stream().sorted().toList();
    models = models.stream().filter(f -> embeddings.of(f, asked.id()) != null).toList();
    if (models.isEmpty()) {
      return Choice.skip(asked.cv() ? "no CNN embedding of the patient by its fold's model" : "no CNN embedding of the patient");
    }
    List<Patient> out = new ArrayList<>();
    for (int label : new int[] {1, 0}) {
      List<Map.Entry<Patient, Double>> pool = new ArrayList<>();
      for (Patient c : candidates) {
        if (c.label() != label || !withSlice.contains(c.id()) || !eligible(c, asked)) {
          continue;
        }
        double sum = 0;
        int n = 0;
        for (int f : models) {
          double[] e = embeddings.of(f, c.id());
          if (e != null) {
            sum += cosineDistance(embeddings.of(f, asked.id()), e);
            n++;
          }
        }
        if (n == models.size()) {
          pool.add(Map.entry(c, sum / n));
        }
      }
      if (pool.size() < k / 2) {
        return Choice.skip(shortOf(label, k, pool.size()));
      }
      pool.sort(Map.Entry.<Patient, Double>comparingByValue().thenComparing(e -> e.getKey().id()));
      pool.subList(0, k / 2).forEach(e -> out.add(e.getKey()));
    }
    Collections.shuffle(out, rng(asked, plane));
    return new Choice(out, null);
  }

  static double cosineDistance(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    // An all-zero embedding (every ReLU off) is as far from everything as can be.
    return na == 0 || nb == 0 ? 2 : 1 - dot / Math.sqrt(na * nb);
  }

  private static String shortOf(int label, int k, int found) {
    return "fewer than " + (k / 2) + " " + (label == 1 ? "HGG" : "LGG") + " example patients outside its fold (" + found + ")";
  }

  private Random rng(Patient asked, String plane) {
    long h = seed;
    for (byte b : (asked.id() + "|" + plane).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    return new Random(h);
  }
}
