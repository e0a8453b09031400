package org.gliomabench.core.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, serialisable view of the study configuration: string keys (see {@link ConfigKeys}) to
 * string values, with typed getters that name the key in their errors. Layering (defaults &lt; file &lt;
 * command line) happens once, in the jobs module's loader; everything downstream only reads.
 */
public final class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  public static Settings empty() {
    return new Settings(Map.of());
  }

  /** Where the defaults, a copy of conf/glioma-bench.properties, are packed on the classpath (the jobs jar). */
  public static final String DEFAULTS_RESOURCE = "/glioma-bench.properties";

  /** The packed defaults. */
  public static Settings defaults() {
    try (java.io.InputStream in = Settings.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new ConfigException("the defaults " + DEFAULTS_RESOURCE + " are not on the classpath (broken build?)");
      }
      java.util.Properties p = new java.util.Properties();
      p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      Map<String, String> m = new TreeMap<>();
      p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
      return new Settings(m);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read the packed defaults: " + e.getMessage());
    }
  }

  /** A copy with {@code overrides} laid on top. */
  public Settings with(Map<String, String> overrides) {
    TreeMap<String, String> merged = new TreeMap<>(values);
    merged.putAll(overrides);
    return new Settings(merged);
  }

  public Settings with(String key, String value) {
    return with(Map.of(key, value));
  }

  public boolean has(String key) {
    String v = values.get(key);
    return v != null && !v.isBlank();
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new ConfigException("missing setting '" + key + "' (set it in the --conf file or with --set "
          + key + "=...)");
    }
    return v.trim();
  }

  public String get(String key, String fallback) {
    return has(key) ? values.get(key).trim() : fallback;
  }

  public int getInt(String key) {
    String v = get(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("setting '" + key + "' must be an integer, got '" + v + "'");
    }
  }

  public int getInt(String key, int fallback) {
    return has(key) ? getInt(key) : fallback;
  }

  public long getLong(String key) {
    String v = get(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("setting '" + key + "' must be an integer, got '" + v + "'");
    }
  }

  public long getLong(String key, long fallback) {
    return has(key) ? getLong(key) : fallback;
  }

  public double getDouble(String key) {
    String v = get(key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("setting '" + key + "' must be a number, got '" + v + "'");
    }
  }

  public double getDouble(String key, double fallback) {
    return has(key) ? getDouble(key) : fallback;
  }

  public boolean getBoolean(String key) {
    String v = get(key).toLowerCase();
    switch (v) {
      case "true": case "yes": case "1": case "on":
        return true;
      case "false": case "no": case "0": case "off":
        return false;
      default:
        throw new ConfigException("setting '" + key + "' must be true or false, got '" + v + "'");
    }
  }

  public boolean getBoolean(String key, boolean fallback) {
    return has(key) ? getBoolean(key) : fallback;
  }

  /** A comma-separated list, blanks dropped. */
  public List<String> getList(String key) {
    if (!has(key)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : get(key).split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** A comma-separated list of positive integers, e.g. a shape "95,128,128". */
  public int[] getInts(String key) {
    List<String> parts = getList(key);
    if (parts.isEmpty()) {
      throw new ConfigException("missing setting '" + key + "'");
    }
    int[] out = new int[parts.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = Integer.parseInt(parts.get(i));
      } catch (NumberFormatException e) {
        throw new ConfigException("setting '" + key + "' must be comma-separated integers, got '" + get(key) + "'");
      }
      if (out[i] <= 0) {
        throw new ConfigException("setting '" + key + "' must hold positive integers, got '" + get(key) + "'");
      }
    }
    return out;
  }

  /**
   * The settings as one arm of a stage reads them: every key under {@code sharedPrefix} takes the value of the
   * same key under {@code armPrefix} where that is set. The one lookup chain for per-arm settings: the arm's key,
   * then the shared key, whose default is in conf/glioma-bench.properties. E.g. with ("cnn.", "train."),
   * {@code train.batch.size} reads cnn.batch.size when set; with ("llm.arm.lora.", "llm."), {@code llm.model}
   * reads llm.arm.lora.model when set.
   */
  public Settings forArm(String armPrefix, String sharedPrefix) {
    TreeMap<String, String> merged = new TreeMap<>(values);
    values.forEach((k, v) -> {
      if (k.startsWith(armPrefix) && v != null && !v.isBlank()) {
        merged.put(sharedPrefix + k.substring(armPrefix.length()), v);
      }
    });
    return new Settings(merged);
  }

  /** All entries whose key starts with {@code prefix}, prefix kept. */
  public Map<String, String> withPrefix(String prefix) {
    TreeMap<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** The settings as "key=value" lines with secrets-looking keys masked, for logs and the runs table. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(ConfigKeys.isSecretKey(k) ? "****" : v).append('\n'));
    return sb.toString();
  }

  @Override
  public String toString() {
    return "Settings" + values.keySet();
  }
}
