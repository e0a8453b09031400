package org.gliomabench.jobs.cli;

/**
 * A command-line option that is sugar for one configuration key, so that every option obeys the same
 * precedence: defaults &lt; {@code --conf} file &lt; {@code --set} &lt; the option itself.
 *
 * @param name the option as typed, e.g. {@code --data}
 * @param key the configuration key it sets
 * @param valueName placeholder shown in help ({@code null} for a flag, which sets the key to "true")
 * @param help one line of help
 */
public record CliOption(String name, String key, String valueName, String help) {

  public static CliOption value(String name, String key, String valueName, String help) {
    return new CliOption(name, key, valueName, help);
  }

  public static CliOption flag(String name, String key, String help) {
    return new CliOption(name, key, null, help);
  }

  public boolean isFlag() {
    return valueName == null;
  }
}
