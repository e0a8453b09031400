package org.gliomabench.jobs;

import java.util.List;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code synth}: writes a synthetic BraTS-layout cohort of real .nii.gz files. */
public final class SynthCommand implements Command {
  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String summary() {
    return "write a synthetic BraTS-layout cohort (.nii.gz + name_mapping.csv)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--out", ConfigKeys.SYNTH_DIR, "DIR", "where to write the cohort"),
        CliOption.value("--patients", ConfigKeys.SYNTH_PATIENTS, "N", "number of patients"),
        CliOption.value("--seed", ConfigKeys.SYNTH_SEED, "N", "generator seed"));
  }

  @Override
  public int run(JobContext context) throws Exception {
    throw new UnsupportedOperationException("synth: not written yet");
  }
}
