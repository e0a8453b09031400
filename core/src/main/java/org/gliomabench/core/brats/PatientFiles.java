package org.gliomabench.core.brats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The NIfTI files found in one patient folder, by modality. Built from file names alone so that the
 * listing can happen on any Hadoop file system and the reading on executors.
 */
public final class PatientFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String patientId;
  private final String folder;
  private final EnumMap<Modality, String> files;
  private final List<String> notes;

  private PatientFiles(String patientId, String folder, EnumMap<Modality, String> files, List<String> notes) {
    this.patientId = patientId;
    this.folder = folder;
    this.files = files;
    this.notes = notes;
  }

  /**
   * Resolves the files of folder {@code folder} (whose name is the patient id) from their names.
   * Quirks handled: BraTS 2021+ suffixes; a segmentation with a non-standard name such as
   * {@code W39_1998.09.19_Segm.nii} (BraTS20_Training_355) when no {@code _seg} file exists; the same
   * modality as both .nii and .nii.gz (the .nii.gz is taken, noted).
   */
  public static PatientFiles resolve(String patientId, String folder, List<String> fileNames) {
    EnumMap<Modality, String> files = new EnumMap<>(Modality.class);
    List<String> notes = new ArrayList<>();
    List<String> sorted = new ArrayList<>(fileNames);
    Collections.sort(sorted);
    String looseSeg = null;
    for (String name : sorted) {
      String stem = stem(name);
      if (stem == null) {
        continue;
      }
      int cut = Math.max(stem.lastIndexOf('_'), stem.lastIndexOf('-'));
      String suffix = cut >= 0 ? stem.substring(cut + 1) : stem;
      Optional<Modality> m = Modality.fromSuffix(suffix);
      if (m.isPresent()) {
        String previous = files.get(m.get());
        if (previous == null || (name.endsWith(".gz") && !previous.endsWith(".gz"))) {
          if (previous != null) {
            notes.add("both " + previous + " and " + name + " found for " + m.get().code() + "; using " + name);
          }
          files.put(m.get(), name);
        } else {
          notes.add("both " + previous + " and " + name + " found for " + m.get().code() + "; using " + previous);
        }
      } else if (stem.toLowerCase(Locale.ROOT).contains("seg") && looseSeg == null) {
        looseSeg = name;
      }
    }
    if (!files.containsKey(Modality.SEG) && looseSeg != null) {
      files.put(Modality.SEG, looseSeg);
      notes.add("segmentation taken from the non-standard file name " + looseSeg);
    }
    return new PatientFiles(patientId, folder, files, List.copyOf(notes));
  }

  /** The name without .nii / .nii.gz, or null when the file is not NIfTI by name. */
  static String stem(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".nii.gz")) {
      return fileName.substring(0, fileName.length() - 7);
    }
    if (lower.endsWith(".nii")) {
      return fileName.substring(0, fileName.length() - 4);
    }
    return null;
  }

  public static boolean isNiftiName(String fileName) {
    return stem(fileName) != null;
  }

  public String patientId() {
    return patientId;
  }

  public String folder() {
    return folder;
  }

  public boolean has(Modality m) {
    return files.containsKey(m);
  }

  /** The file's full path (folder + "/" + name). */
  public String path(Modality m) {
    String name = files.get(m);
    return name == null ? null : folder + "/" + name;
  }

  public Map<Modality, String> fileNames() {
    return Collections.unmodifiableMap(files);
  }

  public List<Modality> missingImages() {
    List<Modality> out = new ArrayList<>();
    for (Modality m : Modality.IMAGES) {
      if (!files.containsKey(m)) {
        out.add(m);
      }
    }
    return out;
  }

  public List<String> notes() {
    return notes;
  }
}
