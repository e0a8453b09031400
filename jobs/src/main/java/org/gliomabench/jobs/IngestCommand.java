package org.gliomabench.jobs;

import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code ingest}. */
public final class IngestCommand implements Command {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String summary() {
    return "ingest (being written)";
  }

  @Override
  public int run(JobContext context) throws Exception {
    throw new UnsupportedOperationException("ingest: not written yet");
  }
}
