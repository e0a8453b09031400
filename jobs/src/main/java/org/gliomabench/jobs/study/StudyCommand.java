package org.gliomabench.jobs.study;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.StopSignals;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.cli.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code study}: every stage in order under one run id; without {@code --data} it first writes the
 * synthetic cohort and uses it. Stages talk only through the tables, so a failed study can be resumed
 * by rerunning it (or one stage) with the same {@code --run-id}.
 */
public final class StudyCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(StudyCommand.class);

  /** Settings laid under the user's when study runs on the synthetic cohort (conf/synthetic-study.properties). */
  static final String SYNTHETIC_PROFILE = "/synthetic-study.properties";

  /** The stages, in order. Each stage issue adds its command name here. */
  static final List<String> STAGES = List.of("ingest", "train-cnn", "train-seg", "train-multitask", "llm-slices",
      "aggregate", "report");

  /** The launcher's commands by name, handed in by Main (study runs them; it does not import the launcher). */
  private final Supplier<Map<String, Command>> commands;

  public StudyCommand(Supplier<Map<String, Command>> commands) {
    this.commands = commands;
  }

  @Override
  public String name() {
    return "study";
  }

  @Override
  public String summary() {
    return "run every stage in order (" + String.join(", ", STAGES) + "); synthetic cohort without --data";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--data", ConfigKeys.DATA_DIR, "DIR", "BraTS folder (default: generate the synthetic cohort)"),
        CliOption.value("--labels", ConfigKeys.DATA_LABELS, "CSV", "grades CSV instead of name_mapping.csv"));
  }

  @Override
  public int run(JobContext context) throws Exception {
    if (!context.settings().has(ConfigKeys.DATA_DIR)) {
      // Shapes and epochs that suit the small phantoms, under whatever the user set.
      context = context.withProfile(SettingsLoader.profile(SYNTHETIC_PROFILE));
    }
    Settings settings = context.settings();
    if (!settings.has(ConfigKeys.DATA_DIR)) {
      String dir = settings.get(ConfigKeys.SYNTH_DIR);
      LOG.info("study: no --data given, writing the synthetic cohort to {}", dir);
      int rc = commands.get().get("synth").run(context.derive(Settings.empty(), List.of()));
      if (rc != 0) {
        return rc;
      }
      settings = settings.with(ConfigKeys.DATA_DIR, dir);
    }
    Map<String, Command> stages = commands.get();
    int worst = 0;
    for (String stage : STAGES) {
      if (StopSignals.requested()) {
        System.err.println("study: stopped by " + StopSignals.reason() + " before stage " + stage + "; rerun with --run-id "
            + context.runId() + " to resume");
        return ExitStatus.STOPPED;
      }
      LOG.info("study {}: stage {}", context.runId(), stage);
      long t0 = System.nanoTime();
      int rc = stages.get(stage).run(context.derive(settings, List.of()));
      LOG.info("study {}: stage {} finished with status {} in {} s", context.runId(), stage, rc,
          String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      if (rc != ExitStatus.OK && ExitStatus.studyGoesOn(rc)) {
        worst = rc;
      } else if (rc != ExitStatus.OK) {
        System.err.println("study: stage " + stage + (rc == ExitStatus.STOPPED ? " stopped by " + StopSignals.reason()
            : " failed") + " (status " + rc + "); rerun with --run-id " + context.runId() + " to resume");
        return rc;
      }
    }
    System.out.println("study " + context.runId() + ": all stages done; tables under " + context.warehouse().root());
    return worst;
  }
}
