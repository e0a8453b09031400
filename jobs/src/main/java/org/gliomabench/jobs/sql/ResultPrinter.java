package org.gliomabench.jobs.sql;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Prints a statement's result rows: an aligned table with a header, or TSV / CSV for scripts. */
final class ResultPrinter {
  enum Format { TABLE, TSV, CSV }

  private final Format format;
  private final PrintStream out;

  ResultPrinter(String format, PrintStream out) {
    try {
      this.format = Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new org.gliomabench.core.config.ConfigException("sql.output must be table, tsv or csv, got '" + format + "'");
    }
    this.out = out;
  }

  /** Prints the rows (at most {@code shown} of {@code total}); a table ends with a row count. */
  void print(StructType schema, List<Row> rows, long total) {
    StructField[] fields = schema.fields();
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      String[] c = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        c[i] = cell(r, i, fields[i]);
      }
      cells.add(c);
    }
    switch (format) {
      case TSV -> {
        out.println(String.join("\t", names(fields)));
        cells.forEach(c -> out.println(String.join("\t", c)));
      }
      case CSV -> {
        out.println(String.join(",", names(fields).stream().map(ResultPrinter::csv).toList()));
        cells.forEach(c -> out.println(String.join(",", java.util.Arrays.stream(c).map(ResultPrinter::csv).toList())));
      }
      default -> table(fields, cells, total);
    }
    if (format != Format.TABLE && total > rows.size()) {
      System.err.printf("(%d rows, %d shown: sql.max.rows)%n", total, rows.size());
    }
  }

  private void table(StructField[] fields, List<String[]> cells, long total) {
    int[] width = new int[fields.length];
    List<String> names = names(fields);
    for (int i = 0; i < fields.length; i++) {
      width[i] = names.get(i).length();
      for (String[] c : cells) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    StringBuilder header = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      header.append(i == 0 ? "" : "  ").append(pad(names.get(i), width[i]));
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    out.println(header.toString().stripTrailing());
    out.println(rule);
    for (String[] c : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < fields.length; i++) {
        line.append(i == 0 ? "" : "  ").append(pad(c[i], width[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println(total == cells.size() ? "(" + total + (total == 1 ? " row)" : " rows)")
        : "(" + total + " rows, the first " + cells.size() + " shown: sql.max.rows)");
  }

  private static List<String> names(StructField[] fields) {
    List<String> n = new ArrayList<>();
    for (StructField f : fields) {
      n.add(f.name());
    }
    return n;
  }

  private static String cell(Row r, int i, StructField f) {
    if (r.isNullAt(i)) {
      return "NULL";
    }
    if (f.dataType() instanceof BinaryType) {
      return "<" + ((byte[]) r.get(i)).length + " bytes>";
    }
    if (f.dataType() instanceof ArrayType) {
      return r.getList(i).toString();
    }
    if (f.dataType() instanceof MapType) {
      return r.getJavaMap(i).toString();
    }
    return String.valueOf(r.get(i)).replace("\t", " ").replace("\n", " ");
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
