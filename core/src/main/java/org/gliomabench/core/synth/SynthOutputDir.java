package org.gliomabench.core.synth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The folder a synthetic cohort is written to. A marker file tells a previous synth output (which may be
 * overwritten) from anything else (which is never touched): a non-empty folder without the marker is refused.
 * Only what synth writes is removed before a rewrite: {@code Synth_NNN} folders with their five files,
 * {@code name_mapping.csv} and the marker.
 */
final class SynthOutputDir {
  static final String MARKER = ".glioma-bench-synth";
  static final Pattern PATIENT_DIR = Pattern.compile("Synth_\\d{3,}");

  private SynthOutputDir() {}

  /** Refuses a folder that is not empty and not a previous synth output; else empties what synth wrote. */
  static void prepare(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new SyntheticCohortException(dir + " exists and is not a folder");
    }
    Files.createDirectories(dir);
    List<String> entries = list(dir);
    if (entries.isEmpty()) {
      return;
    }
    if (!entries.contains(MARKER)) {
      throw new SyntheticCohortException("refusing to write the synthetic cohort into " + dir + ": it is not empty ("
          + entries.size() + " entries, e.g. " + entries.subList(0, Math.min(3, entries.size()))
          + ") and is not a previous synth output (no " + MARKER + " file); choose a new or empty folder");
    }
    for (String name : entries) {
      Path p = dir.resolve(name);
      if (Files.isDirectory(p) && PATIENT_DIR.matcher(name).matches()) {
        for (String file : list(p)) {
          if (file.startsWith(name + "_") && file.endsWith(".nii.gz")) {
            Files.delete(p.resolve(file));
          }
        }
        if (list(p).isEmpty()) {
          Files.delete(p);
        }
      } else if (name.equals(SyntheticCohort.NAME_MAPPING)) {
        Files.delete(p);
      }
    }
  }

  /**
   * Writes the marker: the parameters (and, once complete, what was written) and the status, "writing"
   * until the end. Sorted key=value lines without a date, so that the same cohort gives the same bytes.
   */
  static void mark(Path dir, Map<String, String> entries, boolean complete) throws IOException {
    TreeMap<String, String> sorted = new TreeMap<>(entries);
    sorted.put("status", complete ? "complete" : "writing");
    StringBuilder sb = new StringBuilder("# written by glioma-bench synth (SIMULATED data); synth may overwrite this folder\n");
    sorted.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Path tmp = dir.resolve(MARKER + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(MARKER), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The marker's entries, or an empty map when the folder is not a synth output. */
  static Map<String, String> readMarker(Path dir) throws IOException {
    Path m = dir.resolve(MARKER);
    Map<String, String> out = new TreeMap<>();
    if (!Files.isRegularFile(m)) {
      return out;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(m, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort(null);
    return names;
  }
}
