package org.gliomabench.udf.fanout;

import java.io.Serializable;
import java.util.List;

/**
 * One call to make: a slice (with its facts, carried into the call log) for one arm and sample. {@code png} is the
 * image asked about as the arm shows it (the FLAIR slice, its montage, or the slice with the CNN's outline);
 * {@code examples} the labelled examples shown before it (few-shot arms; empty otherwise); {@code statedPHgg} the
 * CNN's P(HGG) stated in the prompt (cnn-informed arms; null otherwise).
 */
public record SliceCall(String callKey, String arm, String patientId, Integer label, String cohort, Integer fold,
    String plane, int sliceIndex, int sample, byte[] png, int width, int height, List<Example> examples,
    Double statedPHgg) {

  /** A labelled example: {@code id} is patient_id:plane:slice_index; label 1 HGG, 0 LGG. */
  public record Example(String id, int label, byte[] png) implements Serializable {}

  /** A call that shows the slice's image alone. */
  public SliceCall(String callKey, String arm, String patientId, Integer label, String cohort, Integer fold,
      String plane, int sliceIndex, int sample, byte[] png, int width, int height) {
    this(callKey, arm, patientId, label, cohort, fold, plane, sliceIndex, sample, png, width, height, List.of(), null);
  }

  public List<String> exampleIds() {
    return examples.stream().map(Example::id).toList();
  }
}
