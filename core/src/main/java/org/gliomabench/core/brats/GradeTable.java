package org.gliomabench.core.brats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Patient grades from BraTS 2020's {@code name_mapping.csv} (columns {@code Grade} and
 * {@code BraTS_2020_subject_ID}) or from a user CSV with a patient id column ({@code patient_id},
 * {@code id}, {@code subject_id}, or the first column) and a {@code grade} column. Grades are kept as
 * written; validation (HGG/LGG) happens per patient at ingest so that one bad row rejects one patient.
 */
public final class GradeTable {
  private static final List<String> ID_COLUMNS = List.of("brats_2020_subject_id", "patient_id", "subject_id", "id", "brats20id");

  private final Map<String, String> grades;
  private final List<String> problems;

  private GradeTable(Map<String, String> grades, List<String> problems) {
    this.grades = grades;
    this.problems = problems;
  }

  public static GradeTable empty() {
    return new GradeTable(Map.of(), List.of());
  }

  /** Parses CSV text; {@code source} names the file in errors. */
  public static GradeTable parse(String csv, String source) {
    List<String> lines = new ArrayList<>();
    for (String line : csv.split("\r?\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(source + ": empty grade table");
    }
    List<String> header = splitCsv(lines.get(0));
    int gradeCol = -1;
    int idCol = -1;
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (h.equals("grade")) {
        gradeCol = i;
      }
    }
    for (String wanted : ID_COLUMNS) {
      for (int i = 0; i < header.size() && idCol < 0; i++) {
        if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(wanted)) {
          idCol = i;
        }
      }
    }
    if (gradeCol < 0) {
      throw new IllegalArgumentException(source + ": no 'Grade' column in header " + header);
    }
    if (idCol < 0) {
      idCol = gradeCol == 0 ? 1 : 0;
    }
    Map<String, String> grades = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      List<String> cells = splitCsv(lines.get(n));
      if (cells.size() <= Math.max(idCol, gradeCol)) {
        problems.add(source + " line " + (n + 1) + ": too few columns");
        continue;
      }
      String id = cells.get(idCol).trim();
      String grade = cells.get(gradeCol).trim();
      if (id.isEmpty() || id.equalsIgnoreCase("NA")) {
        continue;
      }
      String previous = grades.putIfAbsent(id, grade);
      if (previous != null && !previous.equalsIgnoreCase(grade)) {
        problems.add(source + " line " + (n + 1) + ": patient " + id + " listed twice with grades " + previous + " and " + grade);
      }
    }
    return new GradeTable(Collections.unmodifiableMap(grades), List.copyOf(problems));
  }

  /** The grade as written in the table, or null when the patient is not listed. */
  public String grade(String patientId) {
    return grades.get(patientId);
  }

  public int size() {
    return grades.size();
  }

  public List<String> problems() {
    return problems;
  }

  /** Minimal CSV: commas, double quotes around fields, "" inside quotes. */
  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
