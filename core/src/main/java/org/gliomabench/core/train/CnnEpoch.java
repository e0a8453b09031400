package org.gliomabench.core.train;

import java.util.Locale;

/**
 * One epoch of one fold of the CNN: what the cnn_history table holds. Train metrics are measured after the epoch's
 * updates on the fold's training part (each patient once, no oversampling), like the validation ones;
 * {@code fitLoss} is the mean minibatch loss reported by the workers during the epoch.
 */
public record CnnEpoch(int fold, int epoch, double fitLoss, double trainLoss, double trainAccuracy,
    double trainAuc, double valLoss, double valAccuracy, double valAuc, double seconds,
    double examplesPerSecond, long trainExamples) implements Epoch {

  @Override
  public String toLine() {
    return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d", fold, epoch, d(fitLoss),
        d(trainLoss), d(trainAccuracy), d(trainAuc), d(valLoss), d(valAccuracy), d(valAuc), d(seconds),
        d(examplesPerSecond), trainExamples);
  }

  public static CnnEpoch fromLine(String line) {
    String[] p = line.trim().split(",");
    if (p.length != 12) {
      throw new IllegalArgumentException("not an epoch record (12 fields expected): " + line);
    }
    return new CnnEpoch(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Double.parseDouble(p[2]),
        Double.parseDouble(p[3]), Double.parseDouble(p[4]), Double.parseDouble(p[5]), Double.parseDouble(p[6]),
        Double.parseDouble(p[7]), Double.parseDouble(p[8]), Double.parseDouble(p[9]), Double.parseDouble(p[10]),
        Long.parseLong(p[11]));
  }

  private static String d(double v) {
    return Double.toString(v);
  }
}
