package org.gliomabench.jobs;

import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code study}. */
public final class StudyCommand implements Command {
  @Override
  public String name() {
    return "study";
  }

  @Override
  public String summary() {
    return "study (being written)";
  }

  @Override
  public int run(JobContext context) throws Exception {
    throw new UnsupportedOperationException("study: not written yet");
  }
}
