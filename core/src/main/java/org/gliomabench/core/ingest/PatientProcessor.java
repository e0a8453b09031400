package org.gliomabench.core.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipException;
import org.gliomabench.core.brats.Grade;
import org.gliomabench.core.brats.Modality;
import org.gliomabench.core.brats.PatientFiles;
import org.gliomabench.core.nifti.NiftiException;
import org.gliomabench.core.nifti.NiftiVolume;
import org.gliomabench.core.preprocess.BrainMask;
import org.gliomabench.core.preprocess.IntensityStats;
import org.gliomabench.core.preprocess.MontageRenderer;
import org.gliomabench.core.preprocess.Orientation;
import org.gliomabench.core.preprocess.Plane;
import org.gliomabench.core.preprocess.SliceGeometry;
import org.gliomabench.core.preprocess.SliceImage;
import org.gliomabench.core.preprocess.SliceRenderer;
import org.gliomabench.core.preprocess.TumourCrop;
import org.gliomabench.core.preprocess.TumourRegion;
import org.gliomabench.core.seg.ReferenceMask;

/**
 * Turns one patient's files into table rows: validates them, finds the tumour, builds the CNN tensor,
 * renders the FLAIR slices (and the four-modality montages of tumour slices) and encodes the reference segmentation in its original voxels. Never throws for bad input: a rejected patient comes back as a result with
 * one issue naming the file and the reason. Plain Java, so that it runs on executors and in unit tests.
 */
public final class PatientProcessor {
  private final IngestOptions options;
  private final VolumeSource source;

  public PatientProcessor(IngestOptions options, VolumeSource source) {
    this.options = options;
    this.source = source;
  }

  public PatientResult process(PatientTask task) {
    try {
      return processOrReject(task);
    } catch (Rejection r) {
      return PatientResult.rejected(r.issue);
    } catch (RuntimeException e) {
      // A defect or an exotic file must still cost only this patient.
      return PatientResult.rejected(IngestIssue.rejection(task.files().folder(), task.patientId(), IssueKind.READ_ERROR,
          "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private PatientResult processOrReject(PatientTask task) {
    PatientFiles files = task.files();
    String id = files.patientId();
    String folder = files.folder();

    if (task.grade() == null) {
      throw reject(folder, id, IssueKind.MISSING_GRADE, "no grade for " + id + " in the grade table");
    }
    Grade grade = Grade.parse(task.grade()).orElseThrow(() -> reject(folder, id, IssueKind.INVALID_GRADE,
        "grade '" + task.grade() + "' is neither HGG nor LGG"));
    if (!files.has(Modality.SEG)) {
      throw reject(folder, id, IssueKind.MISSING_SEGMENTATION, "no segmentation file (*_seg.nii[.gz]) in " + folder);
    }
    if (!files.has(Modality.FLAIR)) {
      throw reject(folder, id, IssueKind.MISSING_MODALITY, "no FLAIR file (*_flair.nii[.gz]); FLAIR is needed by both arms");
    }

    EnumMap<Modality, NiftiVolume> volumes = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) {
      if (files.has(m)) {
        volumes.put(m, read(files, m));
      }
    }
    int[] shape = spatialShape(volumes.get(Modality.SEG), files.path(Modality.SEG), id);
    for (Map.Entry<Modality, NiftiVolume> e : volumes.entrySet()) {
      int[] s = spatialShape(e.getValue(), files.path(e.getKey()), id);
      if (!Arrays.equals(s, shape)) {
        throw reject(files.path(e.getKey()), id, IssueKind.SHAPE_MISMATCH, "shape " + Arrays.toString(s) + " of "
            + e.getKey().code() + " differs from the segmentation's " + Arrays.toString(shape));
      }
      if (e.getKey() != Modality.SEG) {
        long bad = countNonFinite(e.getValue().data());
        if (bad > 0) {
          throw reject(files.path(e.getKey()), id, IssueKind.NON_FINITE_VOXELS, bad + " NaN or infinite voxels in "
              + e.getKey().code());
        }
      }
    }

    // Everything below reads the file-ordered arrays through the orientation: nothing is copied into RAS order.
    Orientation orientation = Orientation.fromAffine(volumes.get(Modality.FLAIR).affine());
    boolean[] sawLabel3 = new boolean[1];
    byte[] labels = normaliseLabels(volumes.get(Modality.SEG).data(), files.path(Modality.SEG), id, sawLabel3);
    TumourRegion tumour = TumourRegion.of(labels, shape, orientation);
    if (tumour.isEmpty()) {
      throw reject(files.path(Modality.SEG), id, IssueKind.EMPTY_SEGMENTATION, "the segmentation has no tumour voxels");
    }

    List<IngestIssue> issues = new ArrayList<>();
    List<Modality> missing = files.missingImages();
    boolean cnnUsable = missing.isEmpty();
    String cnnReason = null;
    if (!cnnUsable) {
      cnnReason = "missing modalities " + missing.stream().map(Modality::code).toList() + "; kept for the slice-level (LLM) arm";
      issues.add(new IngestIssue(folder, id, IssueKind.CNN_UNUSABLE, cnnReason, false));
    }

    List<SliceImage> slices = new ArrayList<>();
    if (!options.planes().isEmpty()) {
      float[] flair = volumes.get(Modality.FLAIR).data();
      float background = BrainMask.background(flair, shape);
      IntensityStats stats = IntensityStats.withPercentiles(flair, background);
      SliceRenderer renderer = new SliceRenderer(flair, background, labels,
          stats.percentile(options.windowLowPercentile()), stats.percentile(options.windowHighPercentile()),
          shape, orientation);
      for (Plane plane : options.planes()) {
        slices.addAll(renderer.render(plane, options.sliceScope()));
      }
      if (options.montage() && cnnUsable) {
        slices = withMontages(slices, volumes, shape, orientation);
      }
    }

    VolumeRecord volume = null;
    if (cnnUsable) {
      volume = buildTensor(id, grade, volumes, shape, orientation, labels, tumour);
    }

    int[] bbox = new int[6];
    for (int a = 0; a < 3; a++) {
      bbox[2 * a] = tumour.fileMin(a);
      bbox[2 * a + 1] = tumour.fileMax(a);
    }
    int[] ranges = new int[6];
    for (Plane p : new Plane[] {Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL}) {
      int a = orientation.arrayAxis(p.rasAxis());
      ranges[2 * p.ordinal()] = bbox[2 * a];
      ranges[2 * p.ordinal() + 1] = bbox[2 * a + 1];
    }
    List<String> present = new ArrayList<>();
    for (Modality m : Modality.IMAGES) {
      if (files.has(m)) {
        present.add(m.code());
      }
    }
    double[] voxelSize = volumes.get(Modality.FLAIR).voxelSize();
    PatientRecord patient = new PatientRecord(id, grade.name(), grade.label(), folder, present, cnnUsable, cnnReason,
        shape, Arrays.copyOf(voxelSize, 3), orientation.axisCodes(), bbox,
        ranges[0], ranges[1], ranges[2], ranges[3], ranges[4], ranges[5],
        tumour.voxels(), tumour.necroticCore(), tumour.oedema(), tumour.enhancing(),
        sawLabel3[0] ? "brats2013-2015 (label 3 merged into 1)" : "brats2017+", task.fingerprint());
    for (String note : files.notes()) {
      issues.add(new IngestIssue(folder, id, IssueKind.FILE_NAME_QUIRK, note, false));
    }
    // The segmentation's own voxel size: original-space HD95 is measured in it.
    ReferenceMask reference = ReferenceMask.ofLabels(id, labels, shape, volumes.get(Modality.SEG).voxelSize(), orientation,
        task.reference());
    return new PatientResult(patient, volume, reference, slices, issues);
  }

  /**
   * The tumour slices with their four-modality montage (before buildTensor z-scores the volumes in place): each
   * modality windowed to its own brain percentiles, as the FLAIR PNG is.
   */
  private List<SliceImage> withMontages(List<SliceImage> slices, Map<Modality, NiftiVolume> volumes, int[] shape,
      Orientation orientation) {
    List<MontageRenderer.Channel> channels = new ArrayList<>();
    for (Modality m : Modality.IMAGES) {
      float[] data = volumes.get(m).data();
      float background = BrainMask.background(data, shape);
      IntensityStats stats = IntensityStats.withPercentiles(data, background);
      channels.add(new MontageRenderer.Channel(data, background, stats.percentile(options.windowLowPercentile()),
          stats.percentile(options.windowHighPercentile())));
    }
    MontageRenderer montage = new MontageRenderer(channels, shape, orientation);
    List<SliceImage> out = new ArrayList<>(slices.size());
    for (SliceImage s : slices) {
      out.add(s.inTumour()
          ? s.withMontage(montage.render(s.plane(), SliceGeometry.canonicalSlice(orientation, shape, s.plane(), s.sliceIndex())))
          : s);
    }
    return out;
  }

  private VolumeRecord buildTensor(String id, Grade grade, Map<Modality, NiftiVolume> volumes, int[] shape,
      Orientation orientation, byte[] labels, TumourRegion tumour) {
    int[] dhw = options.volumeShapeDhw();
    Orientation.Indexer ix = orientation.indexer(shape);
    int[] ras = {ix.nx(), ix.ny(), ix.nz()};
    TumourCrop crop = TumourCrop.around(tumour, ras, options.cropExtentXyz(), dhw);
    int per = crop.voxelsPerChannel();
    float[] tensor = new float[Modality.IMAGES.size() * per];
    int c = 0;
    for (Modality m : Modality.IMAGES) {
      // Normalised in place: the volumes were read for this patient alone and the slices are already rendered.
      float[] data = volumes.get(m).data();
      IntensityStats.zScoreInPlace(data, BrainMask.background(data, shape));
      crop.resample(data, ix, tensor, c * per);
      c++;
    }
    ByteBuffer buf = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(tensor);
    byte[] mask = crop.resampleLabels(labels, ix);
    int[] tensorShape = {Modality.IMAGES.size(), dhw[0], dhw[1], dhw[2]};
    return new VolumeRecord(id, grade.label(), tensorShape, buf.array(), mask, crop.origin(), crop.extent());
  }

  private NiftiVolume read(PatientFiles files, Modality m) {
    String path = files.path(m);
    try {
      return source.read(path);
    } catch (NiftiException e) {
      IssueKind kind;
      switch (e.kind()) {
        case TRUNCATED: kind = IssueKind.TRUNCATED_FILE; break;
        case NOT_NIFTI: kind = IssueKind.NOT_NIFTI; break;
        case UNSUPPORTED_DATATYPE: kind = IssueKind.UNSUPPORTED_DATATYPE; break;
        default: kind = IssueKind.BAD_HEADER; break;
      }
      throw reject(path, files.patientId(), kind, m.code() + ": " + e.getMessage());
    } catch (EOFException | ZipException e) {
      throw reject(path, files.patientId(), IssueKind.TRUNCATED_FILE, m.code() + ": truncated or corrupt gzip: " + e.getMessage());
    } catch (IOException e) {
      throw reject(path, files.patientId(), IssueKind.READ_ERROR, m.code() + ": " + e);
    }
  }

  /** The first three dimensions (a 4-D file with one volume counts as 3-D). */
  private int[] spatialShape(NiftiVolume v, String path, String id) {
    int[] s = v.shape();
    if (s.length < 3) {
      throw reject(path, id, IssueKind.SHAPE_MISMATCH, "expected a 3-D volume, got shape " + Arrays.toString(s));
    }
    for (int i = 3; i < s.length; i++) {
      if (s[i] != 1) {
        throw reject(path, id, IssueKind.SHAPE_MISMATCH, "expected a 3-D volume, got shape " + Arrays.toString(s));
      }
    }
    return new int[] {s[0], s[1], s[2]};
  }

  private static long countNonFinite(float[] data) {
    long n = 0;
    for (float v : data) {
      if (!Float.isFinite(v)) {
        n++;
      }
    }
    return n;
  }

  /** BraTS labels as bytes in {0, 1, 2, 4}; 3 (BraTS 2013-2015) becomes 1; anything else rejects. */
  private byte[] normaliseLabels(float[] seg, String path, String id, boolean[] sawLabel3) {
    byte[] out = new byte[seg.length];
    TreeSet<Float> bad = new TreeSet<>();
    for (int i = 0; i < seg.length; i++) {
      float v = seg[i];
      int l = Math.round(v);
      if (!Float.isFinite(v) || Math.abs(v - l) > 1e-3 || l < 0 || l > 4) {
        if (bad.size() < 5) {
          bad.add(v);
        }
        continue;
      }
      if (l == 3) {
        sawLabel3[0] = true;
        l = 1;
      }
      out[i] = (byte) l;
    }
    if (!bad.isEmpty()) {
      throw reject(path, id, IssueKind.INVALID_SEGMENTATION_LABELS, "segmentation values " + bad
          + " are not BraTS labels 0, 1, 2, (3,) 4");
    }
    return out;
  }

  private static Rejection reject(String source, String id, IssueKind kind, String message) {
    return new Rejection(IngestIssue.rejection(source, id, kind, message));
  }

  /** Control flow for a rejection inside the processing steps. */
  private static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient IngestIssue issue;

    Rejection(IngestIssue issue) {
      super(issue.message(), null, false, false);
      this.issue = issue;
    }
  }
}
