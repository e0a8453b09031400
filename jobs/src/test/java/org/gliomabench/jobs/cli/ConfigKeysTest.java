package org.gliomabench.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.junit.jupiter.api.Test;

/** The defaults file and ConfigKeys cannot drift apart: every key has its constant, every constant its default. */
class ConfigKeysTest {

  /** Every ConfigKeys constant that is a key, by key, with whether it is marked as having no default. */
  static Map<String, Boolean> keys() throws IllegalAccessException {
    Map<String, Boolean> out = new TreeMap<>();
    for (Field f : ConfigKeys.class.getDeclaredFields()) {
      if (f.getType() == String.class && Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
          && !f.isAnnotationPresent(ConfigKeys.NotAKey.class)) {
        out.put((String) f.get(null), f.isAnnotationPresent(ConfigKeys.NoDefault.class));
      }
    }
    return out;
  }

  /** A key of a defaults or profile file: a constant, or the per-arm spelling of one (llm.arm.NAME.X for llm.X). */
  static boolean known(String key, Set<String> constants) {
    if (constants.contains(key)) {
      return true;
    }
    if (key.startsWith("llm.arm.")) {
      String rest = key.substring("llm.arm.".length());
      int dot = rest.indexOf('.');
      return dot > 0 && constants.contains(ConfigKeys.LLM + rest.substring(dot + 1));
    }
    return false;
  }

  @Test
  void everyKeyOfTheDefaultsIsAConfigKeysConstantAndEveryConstantHasItsDefault() throws Exception {
    Map<String, Boolean> keys = keys();
    Settings defaults = SettingsLoader.defaults();
    List<String> undeclared = new ArrayList<>();
    for (String key : defaults.asMap().keySet()) {
      // spark.* keys go to Spark as they are (spark.master is a constant because the launcher reads it).
      if (!key.startsWith("spark.") && !known(key, keys.keySet())) {
        undeclared.add(key);
      }
    }
    assertEquals(List.of(), undeclared, "keys in conf/glioma-bench.properties without a ConfigKeys constant");

    Set<String> withoutDefault = new TreeSet<>();
    Set<String> markedButDefaulted = new TreeSet<>();
    keys.forEach((key, noDefault) -> {
      boolean inFile = defaults.asMap().containsKey(key);
      if (!inFile && !noDefault) {
        withoutDefault.add(key);
      }
      if (inFile && noDefault) {
        markedButDefaulted.add(key);
      }
    });
    assertEquals(Set.of(), withoutDefault, "ConfigKeys keys with no default in conf/glioma-bench.properties"
        + " (add one, or mark the constant @NoDefault with the reason)");
    assertEquals(Set.of(), markedButDefaulted, "keys marked @NoDefault that conf/glioma-bench.properties gives a default");
    assertTrue(keys.size() > 100, "the reflection found the keys: " + keys.size());
  }

  @Test
  void everyKeyOfThePackedSyntheticStudyProfileIsAConfigKeysConstant() throws Exception {
    Set<String> constants = keys().keySet();
    List<String> undeclared = new ArrayList<>();
    for (String key : SettingsLoader.profile("/synthetic-study.properties").keySet()) {
      if (!key.startsWith("spark.") && !known(key, constants)) {
        undeclared.add(key);
      }
    }
    assertEquals(List.of(), undeclared, "keys in conf/synthetic-study.properties without a ConfigKeys constant");
  }
}
