package org.gliomabench.core.train;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names inside a fold's checkpoint folder: {@code epoch-0007.zip} (model + updater) with
 * {@code epoch-0007.state} ({@link FoldState}, written after the zip, so a state file means a complete
 * checkpoint) and {@code best-epoch-0005.zip} (the kept model).
 */
public final class CheckpointNames {
  private static final Pattern STATE = Pattern.compile("epoch-(\\d{4,})\\.state");
  private static final Pattern BEST = Pattern.compile("best-epoch-(\\d{4,})\\.zip");

  private CheckpointNames() {}

  public static String model(int epoch) {
    return String.format("epoch-%04d.zip", epoch);
  }

  public static String state(int epoch) {
    return String.format("epoch-%04d.state", epoch);
  }

  public static String best(int epoch) {
    return String.format("best-epoch-%04d.zip", epoch);
  }

  /** The epoch of a state file name, if it is one. */
  public static OptionalInt stateEpoch(String fileName) {
    Matcher m = STATE.matcher(fileName);
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  public static OptionalInt modelEpoch(String fileName) {
    Matcher m = Pattern.compile("epoch-(\\d{4,})\\.zip").matcher(fileName);
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  public static OptionalInt bestEpoch(String fileName) {
    Matcher m = BEST.matcher(fileName);
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
