package org.gliomabench.jobs.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analyst-readable queries under {@code src/main/resources/sql/}, with {@code ${name}} parameters.
 * Values are checked to be plain identifiers or numbers, so that a parameter can never change a query.
 */
public final class SqlQueries {
  public static final String LLM_CALLS_LATEST = "llm_calls_latest";
  public static final String LLM_TALLY = "llm_tally";
  public static final String LLM_VOTES = "llm_votes";

  private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-z_]+)}");
  private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.:-]*");

  private SqlQueries() {}

  /** The text of sql/NAME.sql with its parameters filled in; every parameter must be given. */
  public static String load(String name, Map<String, String> parameters) {
    String text = read("/sql/" + name + ".sql");
    Matcher m = PARAMETER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = parameters.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("query " + name + ".sql needs parameter ${" + m.group(1) + "}");
      }
      if (!SAFE_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("query " + name + ".sql: parameter " + m.group(1)
            + " must be letters, digits, '_', '.', ':' or '-', got '" + value + "'");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String read(String resource) {
    try (InputStream in = SqlQueries.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing query resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read query " + resource, e);
    }
  }
}
