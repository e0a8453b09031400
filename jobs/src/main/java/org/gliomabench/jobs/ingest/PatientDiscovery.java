package org.gliomabench.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gliomabench.core.brats.GradeTable;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.brats.PatientFiles;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.ingest.IngestIssue;
import org.gliomabench.core.ingest.IssueKind;
import org.gliomabench.core.ingest.PatientTask;
import org.gliomabench.core.synth.SyntheticCohort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a BraTS folder on any Hadoop file system, on the driver (names and sizes only; volumes are read
 * on executors). Layouts: BraTS 2020/2021 (patient folders directly under the root, grades from
 * name_mapping.csv or a labels CSV) and BraTS 2018/2019 (HGG/ and LGG/ folders whose names give the grade).
 */
public final class PatientDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(PatientDiscovery.class);
  public static final String NAME_MAPPING = "name_mapping.csv";

  /** The patients to read, and what was rejected while listing. */
  public record Result(List<PatientTask> tasks, List<IngestIssue> issues, String gradeSource) {}

  private final Configuration conf;
  private final Map<String, String> references = new HashMap<>();

  public PatientDiscovery(Configuration conf) {
    this.conf = conf;
  }

  public Result discover(String dataDir, String labelsFile) throws IOException {
    Path root = new Path(dataDir);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
      throw new ConfigException("data folder " + dataDir + " does not exist or is not a folder");
    }
    String gradeSource;
    GradeTable grades;
    if (labelsFile != null) {
      grades = readGrades(new Path(labelsFile));
      gradeSource = labelsFile;
    } else if (fs.exists(new Path(root, NAME_MAPPING))) {
      grades = readGrades(new Path(root, NAME_MAPPING));
      gradeSource = new Path(root, NAME_MAPPING).toString();
    } else {
      grades = GradeTable.empty();
      gradeSource = "folder names (HGG/, LGG/)";
    }
    List<IngestIssue> issues = new ArrayList<>();
    List<PatientTask> tasks = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    references.clear();
    for (FileStatus child : sorted(fs.listStatus(root))) {
      String name = child.getPath().getName();
      if (!child.isDirectory()) {
        continue;
      }
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      FileStatus[] entries;
      try {
        entries = sorted(fs.listStatus(child.getPath()));
      } catch (IOException e) {
        issues.add(IngestIssue.rejection(child.getPath().toString(), name, IssueKind.UNREADABLE_FOLDER,
            "cannot list the folder: " + e.getMessage()));
        continue;
      }
      String gradeHint = gradeFolder(name);
      if (gradeHint != null) {
        for (FileStatus patient : entries) {
          if (patient.isDirectory()) {
            addPatient(fs, patient, gradeHint, grades, tasks, issues, seen);
          }
        }
      } else {
        addPatient(fs, child, null, grades, tasks, issues, seen);
      }
    }
    for (String problem : grades.problems()) {
      issues.add(new IngestIssue(gradeSource, null, IssueKind.INVALID_GRADE, problem, false));
    }
    return new Result(tasks, issues, gradeSource);
  }

  private void addPatient(FileSystem fs, FileStatus folder, String gradeHint, GradeTable grades,
      List<PatientTask> tasks, List<IngestIssue> issues, Map<String, String> seen) {
    String id = folder.getPath().getName();
    String path = folder.getPath().toString();
    FileStatus[] entries;
    try {
      entries = sorted(fs.listStatus(folder.getPath()));
    } catch (IOException e) {
      issues.add(IngestIssue.rejection(path, id, IssueKind.UNREADABLE_FOLDER, "cannot list the folder: " + e.getMessage()));
      return;
    }
    String previous = seen.putIfAbsent(id, path);
    if (previous != null) {
      issues.add(IngestIssue.rejection(path, id, IssueKind.DUPLICATE_PATIENT_ID,
          "patient id " + id + " already taken by " + previous + "; this copy is skipped"));
      return;
    }
    List<String> names = new ArrayList<>();
    for (FileStatus f : entries) {
      if (f.isFile() && PatientFiles.isNiftiName(f.getPath().getName())) {
        names.add(f.getPath().getName());
      }
    }
    if (names.isEmpty()) {
      issues.add(IngestIssue.rejection(path, id, IssueKind.MISSING_MODALITY, "no NIfTI files (*.nii, *.nii.gz) in the folder"));
      return;
    }
    PatientFiles files = PatientFiles.resolve(id, path, names);
    String grade = grades.grade(id);
    if (grade == null) {
      grade = gradeHint;
    }
    tasks.add(new PatientTask(files, grade, fingerprint(entries), reference(fs, folder.getPath().getParent())));
  }

  /**
   * What the patients of a folder are scored against: the exact phantoms when synth wrote the folder (its
   * marker file is there), else the BraTS annotators' consensus. Looked up once per parent folder.
   */
  private String reference(FileSystem fs, Path parent) {
    if (parent == null) {
      return Segmentation.REFERENCE_CONSENSUS;
    }
    String known = references.get(parent.toString());
    if (known == null) {
      boolean phantom;
      try {
        phantom = fs.exists(new Path(parent, SyntheticCohort.MARKER_FILE));
      } catch (IOException e) {
        // Conservative: not known to be a phantom, so its Dice is reported as against a consensus.
        LOG.warn("ingest: cannot look for synth's marker file in {} ({}); its patients' reference is {}", parent,
            e.toString(), Segmentation.REFERENCE_CONSENSUS);
        phantom = false;
      }
      known = phantom ? Segmentation.REFERENCE_PHANTOM : Segmentation.REFERENCE_CONSENSUS;
      references.put(parent.toString(), known);
    }
    return known;
  }

  private GradeTable readGrades(Path file) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      throw new ConfigException("grade table " + file + " does not exist");
    }
    try (InputStream in = fs.open(file)) {
      return GradeTable.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static String gradeFolder(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return n.equals("HGG") || n.equals("LGG") ? n : null;
  }

  private static FileStatus[] sorted(FileStatus[] s) {
    FileStatus[] copy = s.clone();
    Arrays.sort(copy, Comparator.comparing(f -> f.getPath().getName()));
    return copy;
  }

  /** Names, sizes and modification times of a patient's files: changes when any file changes. */
  static String fingerprint(FileStatus[] entries) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      for (FileStatus f : entries) {
        md.update((f.getPath().getName() + ":" + f.getLen() + ":" + f.getModificationTime() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      StringBuilder sb = new StringBuilder();
      for (byte b : md.digest()) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
