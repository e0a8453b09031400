package org.gliomabench.core.ingest;

import java.io.IOException;
import org.gliomabench.core.nifti.NiftiVolume;

/** Reads one NIfTI file by path (local files in tests, any Hadoop file system in jobs). */
@FunctionalInterface
public interface VolumeSource {
  NiftiVolume read(String path) throws IOException;
}
