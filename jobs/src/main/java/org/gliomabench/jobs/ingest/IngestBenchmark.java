package org.gliomabench.jobs.ingest;

import org.gliomabench.jobs.BenchCommand;
import org.gliomabench.jobs.cli.JobContext;

/** bench ingest (being written). */
public final class IngestBenchmark implements BenchCommand.Benchmark {
  @Override
  public String summary() {
    return "ingest seconds per patient vs gunzip floor vs nibabel+numpy";
  }

  @Override
  public int run(JobContext context) {
    throw new UnsupportedOperationException("bench ingest: not written yet");
  }
}
