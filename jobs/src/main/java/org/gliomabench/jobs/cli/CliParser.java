package org.gliomabench.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;

/** Parses {@code <command> [options] [positional...]} against the command's declared options. */
public final class CliParser {

  /** The options every command takes. */
  public static final List<CliOption> COMMON = List.of(
      CliOption.value("--conf", null, "FILE", "properties file laid over the defaults in conf/glioma-bench.properties"),
      CliOption.value("--set", null, "KEY=VALUE", "override one setting (repeatable; wins over --conf)"),
      CliOption.value("--warehouse", ConfigKeys.WAREHOUSE, "DIR", "warehouse root (local path or Hadoop URI)"),
      CliOption.value("--run-id", ConfigKeys.RUN_ID, "ID", "run id (default: a new one; the same id resumes)"),
      CliOption.flag("--help", null, "print this help"));

  /** The outcome of parsing. */
  public record Parsed(Path confFile, Map<String, String> overrides, List<String> positional, boolean help) {}

  private CliParser() {}

  public static Parsed parse(Command command, List<String> args) {
    Map<String, String> sets = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    Path conf = null;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String inlineValue = null;
      if (arg.startsWith("--") && arg.contains("=")) {
        inlineValue = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      }
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      CliOption option = find(command, arg);
      if (option.isFlag()) {
        options.put(option.key(), inlineValue == null ? "true" : inlineValue);
        continue;
      }
      String value = inlineValue;
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new ConfigException(arg + " needs a value (" + option.valueName() + ")");
        }
        value = args.get(++i);
      }
      switch (option.name()) {
        case "--conf":
          conf = Path.of(value);
          break;
        case "--set":
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new ConfigException("--set expects KEY=VALUE, got '" + value + "'");
          }
          sets.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
          break;
        default:
          options.put(option.key(), value);
      }
    }
    // Explicit options are the most specific spelling of a key, so they win over --set.
    Map<String, String> overrides = new LinkedHashMap<>(sets);
    overrides.putAll(options);
    return new Parsed(conf, overrides, positional, help);
  }

  private static CliOption find(Command command, String name) {
    for (CliOption o : COMMON) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    for (CliOption o : command.options()) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    throw new ConfigException("unknown option " + name + " for '" + command.name() + "' (see: glioma-bench "
        + command.name() + " --help)");
  }

  public static String help(Command command) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: glioma-bench ").append(command.name()).append(" [options]");
    if (!command.positionalUsage().isEmpty()) {
      sb.append(' ').append(command.positionalUsage());
    }
    sb.append("\n\n").append(command.summary()).append("\n\noptions:\n");
    List<CliOption> all = new ArrayList<>(command.options());
    all.addAll(COMMON);
    for (CliOption o : all) {
      String left = o.name() + (o.isFlag() ? "" : " " + o.valueName());
      sb.append(String.format("  %-26s %s%s%n", left, o.help(), o.key() == null ? "" : "  [" + o.key() + "]"));
    }
    if (!command.details().isEmpty()) {
      sb.append('\n').append(command.details().strip()).append('\n');
    }
    return sb.toString();
  }
}
