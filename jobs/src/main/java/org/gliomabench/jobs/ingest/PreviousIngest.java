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
import org.apache.spark.sql.types.StructType;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.Patients;
import org.gliomabench.core.ingest.PatientTask;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.gliomabench.jobs.Warehouse;
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
        p.patients.put(r.getString(0), r);
      }
    } catch (RuntimeException e) {
      LOG.warn("ingest: the previous patients table is unreadable or of an older layout ({}); nothing is reused",
          e.getMessage());
      p.patients.clear();
    }
    if (warehouse.exists(Tables.ReferenceMasks.NAME)) {
      try {
        warehouse.read(Tables.ReferenceMasks.NAME).select(Tables.PATIENT_ID).collectAsList()
            .forEach(r -> p.withReference.add(r.getString(0)));
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
      if (r != null && withReference.contains(t.patientId()) && t.fingerprint().equals(r.getString(3)) && preprocessKey.equals(r.getString(4))
          && t.grade() != null && t.grade().equalsIgnoreCase(r.getString(1))) {
        out.add(new Kept(t.patientId(), r.getString(1), r.getBoolean(2)));
      }
    }
    return out;
  }

  /** Cohort and fold of every previous patient drawn with {@code splitKey}. */
  Map<String, Assignment> assignments(String splitKey) {
    Map<String, Assignment> out = new HashMap<>();
    patients.forEach((id, r) -> {
      if (splitKey.equals(r.getString(5))) {
        out.put(id, new Assignment(r.getString(6), r.isNullAt(7) ? null : r.getInt(7)));
      }
    });
    return out;
  }

  /**
   * The previous rows of {@code table} for {@code ids}, with this run's id and the current cohort/fold, in
   * the column order of {@code schema} (ready to union with freshly computed rows).
   */
  Dataset<Row> carryOver(String table, Set<String> ids, Dataset<Row> assignments, String runId, StructType schema,
      String extraFilter) {
    Dataset<Row> old = warehouse.read(table).where(col(Tables.PATIENT_ID).isin(ids.toArray()));
    if (extraFilter != null) {
      old = old.where(extraFilter);
    }
    boolean hasSplit = List.of(schema.fieldNames()).contains(Tables.COHORT);
    if (hasSplit) {
      old = old.drop(Tables.COHORT, Tables.FOLD).join(assignments, Tables.PATIENT_ID);
    }
    old = old.withColumn(Tables.RUN_ID, lit(runId));
    List<Column> cols = new ArrayList<>();
    for (String f : schema.fieldNames()) {
      cols.add(col(f));
    }
    return old.select(cols.toArray(new Column[0]));
  }
}
