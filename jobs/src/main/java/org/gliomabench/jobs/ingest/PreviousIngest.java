package org.gliomabench.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gliomabench.core.TableSpec;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.ingest.PatientTask;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of the previous ingest, where a rerun finds what it need not redo: patients whose files are
 * unchanged (same fingerprint) and were preprocessed with the same settings keep their rows, and every
 * patient keeps its cohort and fold if the split settings are the same.
 */
final class PreviousIngest {
  private static final Logger LOG = LoggerFactory.getLogger(PreviousIngest.class);

  /** A patient whose previous rows can be carried over. */
  record Kept(String patientId, String grade, boolean cnnUsable) {}

  private final Warehouse warehouse;
  private final Map<String, Row> patients = new HashMap<>();
  /** Patients with a reference_masks row (a warehouse ingested before that table existed has none). */
  private final Set<String> withReference = new HashSet<>();

  private PreviousIngest(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  static PreviousIngest read(Warehouse warehouse) {
    PreviousIngest p = new PreviousIngest(warehouse);
    if (!warehouse.exists(Tables.Patients.NAME)) {
      return p;
    }
    try {
      for (Row r : warehouse.read(Tables.Patients.NAME).select(Tables.PATIENT_ID, Patients.GRADE, Patients.CNN_USABLE,
          Patients.FINGERPRINT, Patients.PREPROCESS_KEY, Patients.SPLIT_KEY, Tables.COHORT, Tables.FOLD).collectAsList()) {
        p.patients.put(SparkTables.string(r, Tables.PATIENT_ID), r);
      }
    } catch (RuntimeException e) {
      LOG.warn("ingest: the previous patients table is unreadable or of an older layout ({}); nothing is reused",
          e.getMessage());
      p.patients.clear();
    }
    if (warehouse.exists(Tables.ReferenceMasks.NAME)) {
      try {
        warehouse.read(Tables.ReferenceMasks.NAME).select(Tables.PATIENT_ID).collectAsList()
            .forEach(r -> p.withReference.add(SparkTables.string(r, Tables.PATIENT_ID)));
      } catch (RuntimeException e) {
        LOG.warn("ingest: the previous reference_masks table is unreadable ({}); every patient is read again",
            e.getMessage());
        p.withReference.clear();
      }
    }
    return p;
  }

  /**
   * Patients of {@code tasks} whose files and preprocessing settings are unchanged since the previous ingest
   * and whose every row is there to carry over (a warehouse from before reference_masks is read again).
   */
  List<Kept> unchanged(List<PatientTask> tasks, String preprocessKey) {
    List<Kept> out = new ArrayList<>();
    for (PatientTask t : tasks) {
      Row r = patients.get(t.patientId());
      if (r != null && withReference.contains(t.patientId()) && t.fingerprint().equals(SparkTables.string(r, Patients.FINGERPRINT))
          && preprocessKey.equals(SparkTables.string(r, Patients.PREPROCESS_KEY))
          && t.grade() != null && t.grade().equalsIgnoreCase(SparkTables.string(r, Patients.GRADE))) {
        out.add(new Kept(t.patientId(), SparkTables.string(r, Patients.GRADE), SparkTables.boolValue(r, Patients.CNN_USABLE)));
      }
    }
    return out;
  }

  /** Cohort and fold of every previous patient drawn with {@code splitKey}. */
  Map<String, Assignment> assignments(String splitKey) {
    Map<String, Assignment> out = new HashMap<>();
    patients.forEach((id, r) -> {
      if (splitKey.equals(SparkTables.string(r, Patients.SPLIT_KEY))) {
        out.put(id, new Assignment(SparkTables.string(r, Tables.COHORT), SparkTables.intOrNull(r, Tables.FOLD)));
      }
    });
    return out;
  }

  /**
   * The previous rows of {@code table} for {@code ids}, with this run's id and the current cohort/fold, in
   * the declared column order (ready to union with freshly computed rows).
   */
  Dataset<Row> carryOver(TableSpec table, Set<String> ids, Dataset<Row> assignments, String runId, String extraFilter) {
    Dataset<Row> old = warehouse.read(table.name()).where(col(Tables.PATIENT_ID).isin(ids.toArray()));
    if (extraFilter != null) {
      old = old.where(extraFilter);
    }
    boolean hasSplit = table.has(Tables.COHORT);
    if (hasSplit) {
      old = old.drop(Tables.COHORT, Tables.FOLD).join(assignments, Tables.PATIENT_ID);
    }
    old = old.withColumn(Tables.RUN_ID, lit(runId));
    List<String> have = java.util.Arrays.asList(old.columns());
    List<Column> cols = new ArrayList<>();
    for (TableSpec.Column c : table.columns()) {
      // A nullable column added since the previous ingest (slices.montage_png) is null in carried-over rows.
      cols.add(have.contains(c.name()) || !c.nullable() ? col(c.name())
          : lit(null).cast(SparkTables.schema(table).apply(c.name()).dataType()).as(c.name()));
    }
    return old.select(cols.toArray(new Column[0]));
  }
}
