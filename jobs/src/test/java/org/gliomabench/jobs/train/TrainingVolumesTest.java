package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.Tables;
import org.gliomabench.jobs.PhantomVolumes;
import org.gliomabench.jobs.SharedSpark;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volumes table as training input: bad rows are left out, named with their reason; the others load. */
class TrainingVolumesTest {
  @TempDir
  Path tmp;

  @Test
  void badRowsAreLeftOutWithThePatientAndTheReasonWhileTheOthersLoad() throws Exception {
    SparkSession spark = SharedSpark.session();
    int[] shape = {4, 4, 4, 4};
    int bytes = 4 * 4 * 4 * 4 * 4;
    List<Row> rows = new ArrayList<>();
    for (PhantomVolumes.Patient p : PhantomVolumes.cohort(10, 0.3)) {
      rows.add(PhantomVolumes.row("v", p, shape, new byte[bytes]));
    }
    rows.add(PhantomVolumes.row("v", new PhantomVolumes.Patient("truncated", 1, "cv", 0), shape, new byte[bytes - 7]));
    rows.add(PhantomVolumes.row("v", new PhantomVolumes.Patient("other-shape", 0, "cv", 1), new int[] {4, 4, 4, 8},
        new byte[bytes * 2]));
    rows.add(PhantomVolumes.row("v", new PhantomVolumes.Patient("no-fold", 0, "cv", null), shape, new byte[bytes]));
    new Warehouse(spark, tmp.toString()).replace("volumes", SparkTables.frame(spark, Tables.Volumes.TABLE, rows));

    {
      TrainingVolumes v = TrainingVolumes.load(new Warehouse(spark, tmp.toString()), "train-cnn", TrainingVolumes.LABELLED, "");
      Map<String, String> why = v.rejected().stream().collect(Collectors.toMap(VolumeRows.Rejected::patientId,
          VolumeRows.Rejected::reason));
      assertEquals(3, why.size(), why.toString());
      assertTrue(why.get("truncated").contains("bytes"), why.get("truncated"));
      assertTrue(why.get("other-shape").contains("[4, 4, 4, 8]"), why.get("other-shape"));
      assertTrue(why.get("no-fold").contains("without a fold"), why.get("no-fold"));
      assertEquals(10, v.members().size());
      for (PhantomVolumes.Patient p : PhantomVolumes.cohort(10, 0.3)) {
        assertEquals(bytes, v.store().tensor(p.id()).length, "the training copy holds " + p.id());
      }
      assertEquals(List.of(4, 4, 4, 4), java.util.Arrays.stream(v.shape()).boxed().toList());
    }
  }
}
