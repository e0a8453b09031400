package org.gliomabench.core.brats;

import java.util.Locale;
import java.util.Optional;

/** The study's two classes; labels LGG = 0, HGG = 1. */
public enum Grade {
  LGG(0),
  HGG(1);

  private final int label;

  Grade(int label) {
    this.label = label;
  }

  public int label() {
    return label;
  }

  public static Optional<Grade> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "HGG":
        return Optional.of(HGG);
      case "LGG":
        return Optional.of(LGG);
      default:
        return Optional.empty();
    }
  }
}
