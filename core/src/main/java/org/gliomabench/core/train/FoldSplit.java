package org.gliomabench.core.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of one cross-validation fold: train on the other folds of the "cv" cohort, validate on this
 * fold, score the "test" cohort. The test cohort can never reach the training part: only "cv" members
 * with a fold are ever put there.
 */
public record FoldSplit(int fold, List<BalancedBatches.Item> train, List<String> validation, List<String> test)
    implements Serializable {

  /** A patient as far as splitting is concerned. */
  public record Member(String patientId, int label, String cohort, Integer fold) implements Serializable {}

  public static final String COHORT_TEST = "test";
  public static final String COHORT_CV = "cv";

  public static FoldSplit of(List<Member> members, int fold) {
    List<BalancedBatches.Item> train = new ArrayList<>();
    List<String> validation = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (Member m : members) {
      if (COHORT_TEST.equals(m.cohort())) {
        test.add(m.patientId());
      } else if (COHORT_CV.equals(m.cohort()) && m.fold() != null) {
        if (Objects.equals(m.fold(), fold)) {
          validation.add(m.patientId());
        } else {
          train.add(new BalancedBatches.Item(m.patientId(), m.label()));
        }
      }
    }
    if (validation.isEmpty()) {
      throw new IllegalArgumentException("fold " + fold + " has no validation patients (no 'cv' patient with fold " + fold + ")");
    }
    return new FoldSplit(fold, List.copyOf(train), List.copyOf(validation), List.copyOf(test));
  }

  public List<String> trainIds() {
    return train.stream().map(BalancedBatches.Item::id).toList();
  }
}
