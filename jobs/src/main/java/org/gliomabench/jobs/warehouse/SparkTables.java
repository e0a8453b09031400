package org.gliomabench.jobs.warehouse;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;

/**
 * The Spark side of the table declarations in {@link Tables}: a declaration's schema, rows built by column name,
 * frames of those rows, and readers that take a column by name (null-safe, and numeric whatever type Spark inferred
 * for a partition column). Rows are never built or read by position against a table.
 */
public final class SparkTables {
  /** By declaration id: a declaration deserialized on an executor is another object with the same columns. */
  private static final Map<String, StructType> SCHEMAS = new ConcurrentHashMap<>();

  /** The column Spark's {@code groupBy(...).count()} adds. */
  public static final String COUNT = "count";

  private SparkTables() {}

  /** The declaration's Spark schema: its columns in order, with their types and nullability. */
  public static StructType schema(TableSpec table) {
    return SCHEMAS.computeIfAbsent(table.id(), id -> {
      StructType s = new StructType();
      for (TableSpec.Column c : table.columns()) {
        s = s.add(c.name(), type(c.type()), c.nullable());
      }
      return s;
    });
  }

  static DataType type(TableSpec.Type type) {
    switch (type) {
      case STRING: return DataTypes.StringType;
      case INT: return DataTypes.IntegerType;
      case LONG: return DataTypes.LongType;
      case DOUBLE: return DataTypes.DoubleType;
      case BOOLEAN: return DataTypes.BooleanType;
      case BINARY: return DataTypes.BinaryType;
      case TIMESTAMP: return DataTypes.TimestampType;
      case STRING_ARRAY: return DataTypes.createArrayType(DataTypes.StringType, false);
      case INT_ARRAY: return DataTypes.createArrayType(DataTypes.IntegerType, false);
      case DOUBLE_ARRAY: return DataTypes.createArrayType(DataTypes.DoubleType, false);
      default: throw new IllegalArgumentException("no Spark type for " + type);
    }
  }

  /** A row of {@code table}, its values set by column name. */
  public static RowBuilder row(TableSpec table) {
    return new RowBuilder(table);
  }

  public static Dataset<Row> frame(SparkSession spark, TableSpec table, List<Row> rows) {
    return spark.createDataFrame(rows, schema(table));
  }

  public static Dataset<Row> frame(SparkSession spark, TableSpec table, JavaRDD<Row> rows) {
    return spark.createDataFrame(rows, schema(table));
  }

  /** Replaces the partitions (the declaration's partition columns) that {@code data} covers; see {@link Warehouse}. */
  public static void overwritePartitions(Warehouse warehouse, TableSpec table, Dataset<Row> data) {
    warehouse.overwriteRunPartitions(table.name(), data, table.partitionColumns());
  }

  /** Appends rows to a log table (runs, llm_calls), partitioned as declared. */
  public static void append(Warehouse warehouse, TableSpec table, Dataset<Row> data) {
    warehouse.append(table.name(), data, table.partitionColumns());
  }

  /** Appends rows and deletes {@code consumed} (the files they were read from) in the same commit. */
  public static void append(Warehouse warehouse, TableSpec table, Dataset<Row> data, List<String> consumed) {
    warehouse.append(table.name(), data, consumed, table.partitionColumns());
  }

  /**
   * {@code data} (rows of the table computed by a query) in the declaration's column order and types. It must hold
   * exactly the declared columns: a query that drifted from the declaration fails here, naming the difference.
   */
  public static Dataset<Row> conform(Dataset<Row> data, TableSpec table) {
    List<String> have = List.of(data.columns());
    List<String> missing = table.columnNames().stream().filter(c -> !have.contains(c)).toList();
    List<String> extra = have.stream().filter(c -> !table.has(c)).toList();
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new IllegalStateException("rows for table " + table.id() + " do not match its declaration: missing "
          + missing + ", undeclared " + extra);
    }
    return data.select(columns(table));
  }

  /** The declared columns, each cast to its declared type (e.g. to read back a partition column Spark inferred). */
  public static Column[] columns(TableSpec table) {
    return table.columns().stream().map(c -> col(c.name()).cast(type(c.type())).as(c.name())).toArray(Column[]::new);
  }

  // ---- reading by column name -------------------------------------------------------------------------------

  public static boolean isNull(Row r, String column) {
    return r.isNullAt(index(r, column));
  }

  public static String string(Row r, String column) {
    return (String) r.get(index(r, column));
  }

  public static Integer intOrNull(Row r, String column) {
    Object v = r.get(index(r, column));
    return v == null ? null : ((Number) v).intValue();
  }

  public static int intValue(Row r, String column) {
    return ((Number) required(r, column)).intValue();
  }

  public static Long longOrNull(Row r, String column) {
    Object v = r.get(index(r, column));
    return v == null ? null : ((Number) v).longValue();
  }

  public static long longValue(Row r, String column) {
    return ((Number) required(r, column)).longValue();
  }

  public static Double doubleOrNull(Row r, String column) {
    Object v = r.get(index(r, column));
    return v == null ? null : ((Number) v).doubleValue();
  }

  public static double doubleValue(Row r, String column) {
    return ((Number) required(r, column)).doubleValue();
  }

  public static Boolean boolOrNull(Row r, String column) {
    return (Boolean) r.get(index(r, column));
  }

  public static boolean boolValue(Row r, String column) {
    return (Boolean) required(r, column);
  }

  public static byte[] bytes(Row r, String column) {
    return (byte[]) r.get(index(r, column));
  }

  /** An array column as a list (null when null). */
  public static <T> List<T> list(Row r, String column) {
    int i = index(r, column);
    return r.isNullAt(i) ? null : r.getList(i);
  }

  /** An int array column (null when null). */
  public static int[] ints(Row r, String column) {
    List<Number> l = list(r, column);
    return l == null ? null : l.stream().mapToInt(Number::intValue).toArray();
  }

  private static Object required(Row r, String column) {
    Object v = r.get(index(r, column));
    if (v == null) {
      throw new IllegalStateException("column " + column + " is null");
    }
    return v;
  }

  private static int index(Row r, String column) {
    if (r.schema() == null) {
      throw new IllegalArgumentException("a row without a schema cannot be read by column name (" + column + ")");
    }
    return r.fieldIndex(column);
  }

  /** Sets a row's values by column name, checking each against the declared type. */
  public static final class RowBuilder {
    private final TableSpec table;
    private final Object[] values;
    private final boolean[] set;

    private RowBuilder(TableSpec table) {
      this.table = table;
      this.values = new Object[table.columns().size()];
      this.set = new boolean[values.length];
    }

    public RowBuilder set(String column, Object value) {
      int i = table.indexOf(column);
      values[i] = external(table.columns().get(i), value);
      set[i] = true;
      return this;
    }

    /** The row; every column that is never null must have been set (null is allowed, as Spark allows it). */
    public Row build() {
      for (int i = 0; i < values.length; i++) {
        if (!set[i] && !table.columns().get(i).nullable()) {
          throw new IllegalStateException("row of table " + table.id() + ": column " + table.columns().get(i).name()
              + " was not set");
        }
      }
      return new GenericRowWithSchema(values.clone(), schema(table));
    }

    /** The value as Spark's external rows hold it: boxed primitives, java.sql.Timestamp, Scala sequences for arrays. */
    private Object external(TableSpec.Column c, Object v) {
      if (v == null) {
        return null;
      }
      switch (c.type()) {
        case STRING:
          return check(c, v, v instanceof String);
        case INT:
          return v instanceof Integer || v instanceof Short || v instanceof Byte ? ((Number) v).intValue() : check(c, v, false);
        case LONG:
          return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
              ? ((Number) v).longValue() : check(c, v, false);
        case DOUBLE:
          return v instanceof Double || v instanceof Float ? ((Number) v).doubleValue() : check(c, v, false);
        case BOOLEAN:
          return check(c, v, v instanceof Boolean);
        case BINARY:
          return check(c, v, v instanceof byte[]);
        case TIMESTAMP:
          return v instanceof Instant i ? Timestamp.from(i) : check(c, v, v instanceof Timestamp);
        default:
          return seq(c, v);
      }
    }

    private Object check(TableSpec.Column c, Object v, boolean ok) {
      if (!ok) {
        throw new IllegalArgumentException("row of table " + table.id() + ": column " + c.name() + " is "
            + c.type().name().toLowerCase() + ", not " + v.getClass().getSimpleName());
      }
      return v;
    }

    private Object seq(TableSpec.Column c, Object v) {
      List<Object> l = new ArrayList<>();
      if (v instanceof int[] a) {
        for (int x : a) {
          l.add(x);
        }
      } else if (v instanceof double[] a) {
        for (double x : a) {
          l.add(x);
        }
      } else if (v instanceof Object[] a) {
        l.addAll(List.of(a));
      } else if (v instanceof Collection<?> a) {
        l.addAll(a);
      } else if (v instanceof scala.collection.Seq<?> a) {
        return a;
      } else {
        return check(c, v, false);
      }
      Class<?> element = c.type() == TableSpec.Type.STRING_ARRAY ? String.class
          : c.type() == TableSpec.Type.INT_ARRAY ? Integer.class : Double.class;
      for (Object x : l) {
        if (!element.isInstance(x)) {
          throw new IllegalArgumentException("row of table " + table.id() + ": column " + c.name() + " holds "
              + element.getSimpleName() + " elements, not " + (x == null ? "null" : x.getClass().getSimpleName()));
        }
      }
      return scala.collection.JavaConverters.asScalaBuffer(l).toSeq();
    }
  }
}
