package org.gliomabench.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.Settings;

/**
 * Builds the settings once per process: the defaults packed in the jar (a copy of
 * {@code conf/glioma-bench.properties}) &lt; a {@code --conf} file &lt; {@code --set} and command options.
 */
public final class SettingsLoader {
  public static final String DEFAULTS_RESOURCE = Settings.DEFAULTS_RESOURCE;

  private SettingsLoader() {}

  public static Settings defaults() {
    return Settings.defaults();
  }

  public static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--conf " + file + ": no such file");
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(r);
      return toMap(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--conf " + file + ": cannot read it as a properties file: " + e.getMessage());
    }
  }

  /** defaults &lt; file (if any) &lt; overrides. */
  public static Settings layer(Settings defaults, Path confFile, Map<String, String> overrides) {
    return defaults.with(userLayer(confFile, overrides));
  }

  /** What the user chose: the --conf file's entries, then --set and options on top. */
  public static Map<String, String> userLayer(Path confFile, Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    if (confFile != null) {
      m.putAll(readFile(confFile));
    }
    m.putAll(overrides);
    return m;
  }

  /** A packed profile such as {@code /synthetic-study.properties} (laid between the defaults and the user's choices). */
  public static Map<String, String> profile(String resource) {
    try (InputStream in = SettingsLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("the profile " + resource + " is not on the classpath (broken build?)");
      }
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return toMap(p);
    } catch (IOException e) {
      throw new ConfigException("cannot read the profile " + resource + ": " + e.getMessage());
    }
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      m.put(name, p.getProperty(name).trim());
    }
    return m;
  }
}
