package org.gliomabench.jobs.ingest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Test fixture: the local file system under the scheme {@code unlistable:}, where listing any folder
 * named {@code Locked} fails with "permission denied" as an unreadable HDFS or S3 prefix would
 * (the tests run as root, for whom local permissions never fail).
 */
public final class UnlistableFolderFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "unlistable";

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(uri, conf);
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    if (f.getName().equals("Locked")) {
      throw new AccessDeniedException(f.toString(), null, "Permission denied");
    }
    return super.listStatus(f);
  }
}
