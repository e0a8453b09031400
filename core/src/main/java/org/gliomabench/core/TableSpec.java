package org.gliomabench.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's declaration, Spark-free: its columns in order (name, type, nullability, doc) and its partition
 * columns. The jobs module derives the Spark schema, the row builder and the readers from it
 * ({@code jobs.SparkTables}), so a column is written down once, in {@link Tables}. A table whose writers write
 * different column sets into its partitions (predictions) has one declaration per set, told apart by a variant.
 */
public final class TableSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Column types. Array elements are never null. */
  public enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN, BINARY, TIMESTAMP, STRING_ARRAY, INT_ARRAY, DOUBLE_ARRAY }

  /** One column: its name, type, whether it may be null, and what it holds (empty when the name says it). */
  public record Column(String name, Type type, boolean nullable, String doc) implements Serializable {}

  private final String name;
  private final String variant;
  private final List<Column> columns;
  private final List<String> partitionColumns;
  private final Map<String, Integer> index;

  private TableSpec(String name, String variant, List<Column> columns, List<String> partitionColumns) {
    this.name = name;
    this.variant = variant;
    this.columns = List.copyOf(columns);
    this.partitionColumns = List.copyOf(partitionColumns);
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (idx.put(columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("table " + id() + " declares column " + columns.get(i).name() + " twice");
      }
    }
    for (String p : partitionColumns) {
      if (!idx.containsKey(p)) {
        throw new IllegalArgumentException("table " + id() + " is partitioned by " + p + ", which it does not declare");
      }
    }
    this.index = Collections.unmodifiableMap(idx);
  }

  /** Starts the declaration of table {@code name}. */
  public static Builder table(String name) {
    return new Builder(name, null, new ArrayList<>(), List.of());
  }

  /** Starts another column set of the same table (same name and partitioning), from this one's columns. */
  public Builder variant(String variant) {
    return new Builder(name, variant, new ArrayList<>(columns), partitionColumns);
  }

  /** The table's name (its folder under the warehouse). */
  public String name() {
    return name;
  }

  /** Null for a table's main declaration; otherwise which rows of the table this column set describes. */
  public String variant() {
    return variant;
  }

  /** The name, with the variant in brackets where there is one: "predictions[llm]". */
  public String id() {
    return variant == null ? name : name + "[" + variant + "]";
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  public String[] partitionColumns() {
    return partitionColumns.toArray(new String[0]);
  }

  public boolean has(String column) {
    return index.containsKey(column);
  }

  /** The column's position; an error naming the table and its columns when it has none of that name. */
  public int indexOf(String column) {
    Integer i = index.get(column);
    if (i == null) {
      throw new IllegalArgumentException("table " + id() + " has no column '" + column + "'; it has " + columnNames());
    }
    return i;
  }

  public Column column(String name) {
    return columns.get(indexOf(name));
  }

  @Override
  public String toString() {
    return id() + columnNames();
  }

  /** Columns in order, then the partition columns. */
  public static final class Builder {
    private final String name;
    private final String variant;
    private final List<Column> columns;
    private List<String> partitionColumns;

    private Builder(String name, String variant, List<Column> columns, List<String> partitionColumns) {
      this.name = name;
      this.variant = variant;
      this.columns = columns;
      this.partitionColumns = partitionColumns;
    }

    /** A column that is never null. */
    public Builder required(String column, Type type) {
      return required(column, type, "");
    }

    public Builder required(String column, Type type, String doc) {
      columns.add(new Column(column, type, false, doc));
      return this;
    }

    /** A column that may be null. */
    public Builder nullable(String column, Type type) {
      return nullable(column, type, "");
    }

    public Builder nullable(String column, Type type, String doc) {
      columns.add(new Column(column, type, true, doc));
      return this;
    }

    /** Leaves out columns taken over from the table this variant starts from. */
    /**
     * A nullable DOUBLE metric and its interval, each of {@code metrics}: {@code m}, {@code m<lowSuffix>},
     * {@code m<highSuffix>} (the tables that show metrics with their intervals side by side).
     */
    public Builder nullableWithIntervals(List<String> metrics, String lowSuffix, String highSuffix) {
      for (String m : metrics) {
        nullable(m, Type.DOUBLE);
        nullable(m + lowSuffix, Type.DOUBLE);
        nullable(m + highSuffix, Type.DOUBLE);
      }
      return this;
    }

    public Builder without(String... names) {
      List<String> drop = Arrays.asList(names);
      columns.removeIf(c -> drop.contains(c.name()));
      return this;
    }

    /** The columns whose values name the table's folders, in folder order (none: the table is not partitioned). */
    public Builder partitionedBy(String... names) {
      partitionColumns = List.of(names);
      return this;
    }

    public TableSpec build() {
      return new TableSpec(name, variant, columns, partitionColumns);
    }
  }
}
