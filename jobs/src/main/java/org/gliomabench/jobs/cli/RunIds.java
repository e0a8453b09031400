package org.gliomabench.jobs.cli;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import org.gliomabench.core.config.ConfigException;

/** Run ids: sortable by start time, safe in paths and partition values. */
public final class RunIds {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  public static String newRunId() {
    return "run-" + FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + Integer.toHexString(0x1000 + RANDOM.nextInt(0xF000));
  }

  public static String validate(String runId) {
    if (!VALID.matcher(runId).matches()) {
      throw new ConfigException("run id '" + runId + "' must be letters, digits, '.', '_' or '-' (at most 100)");
    }
    return runId;
  }
}
