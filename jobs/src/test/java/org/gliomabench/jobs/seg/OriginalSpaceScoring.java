package org.gliomabench.jobs.seg;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.brats.Modality;
import org.gliomabench.core.brats.PatientFiles;
import org.gliomabench.core.metrics.MaskMetrics;
import org.gliomabench.core.nifti.NiftiHeader;
import org.gliomabench.core.nifti.NiftiReader;
import org.gliomabench.core.nifti.NiftiVolume;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.seg.GridMapping;
import org.gliomabench.core.seg.Regions;
import org.gliomabench.core.synth.SyntheticCohort;

/**
 * TEST ORACLE (test scope only): the file-reading scorer train-seg used before ingest wrote reference_masks;
 * OriginalSpaceScorerEqualityTest holds the table-based {@link org.gliomabench.core.seg.OriginalSpaceScorer} to
 * exactly its figures. Scores a predicted region mask on the volume grid against the patient's ORIGINAL segmentation file:
 * the prediction is mapped back onto the original voxels ({@link GridMapping}: nearest neighbour, voxels
 * outside the crop box are predicted background), and Dice and HD95 (mm, the file's voxel size) are
 * taken per region (WT, TC, ET). Orientation comes from the FLAIR's affine, as ingest took it (the
 * segmentation's own when there is no FLAIR). The reference is 'synthetic_phantom' when the patient folder
 * lies in a synth output (its parent holds synth's marker file), else 'brats_consensus'.
 *
 */
public final class OriginalSpaceScoring {
  private OriginalSpaceScoring() {}

  /** One region's overlap in the original space. */
  public record RegionScore(String region, double dice, Double hd95, long predVoxels, long trueVoxels)
      implements Serializable {}

  /** The patient's region scores and what they were compared against. */
  public record Result(List<RegionScore> regions, String reference) implements Serializable {}

  /** The original volume's orientation (the FLAIR's, as ingest took it, else the segmentation's) and shape. */
  public record Geometry(Orientation orientation, int[] shape) implements Serializable {
    public Orientation.Indexer indexer() {
      return orientation.indexer(shape);
    }
  }

  public static Geometry geometry(FileSystem fs, String sourceFolder, String patientId) throws IOException {
    PatientFiles files = files(fs, sourceFolder, patientId);
    Modality m = files.has(Modality.FLAIR) ? Modality.FLAIR : Modality.SEG;
    if (!files.has(m)) {
      throw new IOException("neither FLAIR nor segmentation file in " + sourceFolder);
    }
    NiftiHeader h = header(fs, new Path(sourceFolder), files, m);
    return new Geometry(Orientation.fromAffine(h.affine()), java.util.Arrays.copyOf(h.shape(), 3));
  }

  private static PatientFiles files(FileSystem fs, String sourceFolder, String patientId) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus f : fs.listStatus(new Path(sourceFolder))) {
      if (f.isFile()) {
        names.add(f.getPath().getName());
      }
    }
    return PatientFiles.resolve(patientId, sourceFolder, names);
  }

  private static NiftiHeader header(FileSystem fs, Path folder, PatientFiles files, Modality m) throws IOException {
    try (InputStream in = fs.open(new Path(folder, files.fileNames().get(m)))) {
      return NiftiReader.readHeader(in);
    }
  }

  public static Result score(FileSystem fs, String sourceFolder, String patientId, byte[] gridBits, int[] gridDhw,
      int[] cropOrigin, int[] cropExtent) throws IOException {
    Path folder = new Path(sourceFolder);
    PatientFiles files = files(fs, sourceFolder, patientId);
    if (!files.has(Modality.SEG)) {
      throw new IOException("no segmentation file in " + sourceFolder);
    }
    NiftiVolume seg;
    try (InputStream in = fs.open(new Path(folder, files.fileNames().get(Modality.SEG)))) {
      seg = NiftiReader.read(in);
    }
    double[][] affine = files.has(Modality.FLAIR) ? header(fs, folder, files, Modality.FLAIR).affine() : seg.affine();
    int[] shape = {seg.nx(), seg.ny(), seg.nz()};
    Orientation.Indexer ix = Orientation.fromAffine(affine).indexer(shape);
    byte[] predicted = GridMapping.toFile(gridBits, gridDhw, cropOrigin, cropExtent, ix);
    float[] labels = seg.data();
    byte[] truth = new byte[shape[0] * shape[1] * shape[2]];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = (byte) Regions.bits(Math.round(labels[i]));
    }
    double[] vs = seg.voxelSize();
    // File order (x fastest) is C-order over [z, y, x].
    int[] cShape = {shape[2], shape[1], shape[0]};
    double[] spacing = {vs[2], vs[1], vs[0]};
    List<RegionScore> out = new ArrayList<>();
    for (int r = 0; r < Regions.NAMES.length; r++) {
      MaskMetrics.Overlap o = MaskMetrics.compare(Regions.region(predicted, r), Regions.region(truth, r), cShape, spacing);
      out.add(new RegionScore(Regions.NAMES[r], o.dice(), o.hd95(), o.predVoxels(), o.trueVoxels()));
    }
    boolean phantom = folder.getParent() != null && fs.exists(new Path(folder.getParent(), SyntheticCohort.MARKER_FILE));
    return new Result(out, phantom ? Segmentation.REFERENCE_PHANTOM : Segmentation.REFERENCE_CONSENSUS);
  }
}
