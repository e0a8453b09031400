package org.gliomabench.core.brats;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The BraTS files of a patient. File suffixes of BraTS 2012-2020 ({@code _t1}, {@code _t1ce}, {@code _t2},
 * {@code _flair}, {@code _seg}) and of BraTS 2021+ ({@code -t1n}, {@code -t1c}, {@code -t2w}, {@code -t2f},
 * {@code -seg}) both resolve here.
 */
public enum Modality {
  T1("t1", "t1n"),
  T1CE("t1ce", "t1c", "t1gd"),
  T2("t2", "t2w"),
  FLAIR("flair", "t2f"),
  SEG("seg");

  /** The four image channels of the CNN, in tensor order. */
  public static final List<Modality> IMAGES = List.of(T1, T1CE, T2, FLAIR);

  private final List<String> suffixes;

  Modality(String... suffixes) {
    this.suffixes = List.of(suffixes);
  }

  /** The BraTS 2020 spelling, used in tables and messages. */
  public String code() {
    return suffixes.get(0);
  }

  /** Which modality a file suffix (the part after the last '_' or '-', extension removed) names. */
  public static Optional<Modality> fromSuffix(String suffix) {
    String s = suffix.toLowerCase(Locale.ROOT);
    for (Modality m : values()) {
      if (m.suffixes.contains(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
