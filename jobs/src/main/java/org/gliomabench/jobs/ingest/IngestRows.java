package org.gliomabench.jobs.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.gliomabench.core.brats.Modality;
import org.gliomabench.core.ingest.IngestIssue;
import org.gliomabench.core.ingest.IngestOptions;
import org.gliomabench.core.ingest.PatientRecord;
import org.gliomabench.core.ingest.VolumeRecord;
import org.gliomabench.core.preprocess.SliceImage;
import org.gliomabench.core.split.CohortSplitter.Assignment;
import org.gliomabench.jobs.TableSchemas;

/** Ingest records as Spark rows in the order of {@link TableSchemas}. */
final class IngestRows {
  private static final List<String> MODALITIES = Modality.IMAGES.stream().map(Modality::code).toList();

  private IngestRows() {}

  static Row patient(String runId, PatientRecord p, Assignment a, String preprocessKey, String splitKey) {
    int[] b = p.bbox();
    return RowFactory.create(runId, p.patientId(), p.grade(), p.label(), a.cohort(), a.fold(), p.source(),
        toList(p.modalities()), p.cnnUsable(), p.cnnUnusableReason(), ints(p.shape()), doubles(p.voxelSize()),
        p.orientation(), b[0], b[1], b[2], b[3], b[4], b[5],
        p.axialFirst(), p.axialLast(), p.coronalFirst(), p.coronalLast(), p.sagittalFirst(), p.sagittalLast(),
        p.tumourVoxels(), p.voxelsNcr(), p.voxelsEd(), p.voxelsEt(), p.labelConvention(), p.fingerprint(), preprocessKey,
        splitKey);
  }

  static Row volume(String runId, VolumeRecord v, Assignment a) {
    return RowFactory.create(runId, v.patientId(), v.label(), a.cohort(), a.fold(), ints(v.shape()), v.tensor(), v.mask(),
        toList(MODALITIES), ints(v.cropOrigin()), ints(v.cropExtent()), IngestOptions.NORMALISATION);
  }

  static Row slice(String runId, String patientId, int label, Assignment a, SliceImage s) {
    boolean t = s.inTumour();
    return RowFactory.create(runId, patientId, label, a.cohort(), a.fold(), s.plane().code(), s.sliceIndex(), t,
        s.inBrain(), s.width(), s.height(), s.flairPng(), s.maskPng(), s.tumourPixels(),
        t ? s.maskX0() : null, t ? s.maskY0() : null, t ? s.maskX1() : null, t ? s.maskY1() : null);
  }

  static Row issue(String runId, IngestIssue i) {
    return RowFactory.create(runId, i.source(), i.patientId(), i.kind().code(), i.message(), i.rejected());
  }

  // External rows take Scala sequences for array columns.
  private static scala.collection.Seq<Object> ints(int[] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (int v : a) {
      l.add(v);
    }
    return seq(l);
  }

  private static scala.collection.Seq<Object> doubles(double[] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (double v : a) {
      l.add(v);
    }
    return seq(l);
  }

  private static scala.collection.Seq<Object> toList(List<String> a) {
    return seq(new ArrayList<>(a));
  }

  private static scala.collection.Seq<Object> seq(List<Object> l) {
    return scala.collection.JavaConverters.asScalaBuffer(l).toSeq();
  }
}
