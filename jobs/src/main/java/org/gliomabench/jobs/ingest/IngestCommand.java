package org.gliomabench.jobs.ingest;

import java.util.List;
import org.gliomabench.core.Tables;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.ingest.IngestException;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.ExitStatus;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.ingest.IngestJob;

/** {@code ingest}: BraTS folders into the patients, volumes, slices and ingest_errors tables. */
public final class IngestCommand implements Command {

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String summary() {
    return "read a BraTS folder into the patients, volumes, slices and ingest_errors tables";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--data", ConfigKeys.DATA_DIR, "DIR", "BraTS folder (patient folders + name_mapping.csv)"),
        CliOption.value("--labels", ConfigKeys.DATA_LABELS, "CSV", "grades CSV (patient id, grade) instead of name_mapping.csv"),
        CliOption.flag("--strict", ConfigKeys.INGEST_STRICT, "stop at the first rejected input"));
  }

  @Override
  public String details() {
    return "Rejected inputs become rows of ingest_errors and the other patients go on. Exit status: 0 all\n"
        + "accepted, 3 tables written but some inputs rejected, 1 failure, 2 usage error.\n"
        + "Rerunning replaces the tables: patients whose files and preprocessing settings are unchanged are carried\n"
        + "over without being read again, and every patient already ingested keeps its cohort and fold.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    if (!context.settings().has(ConfigKeys.DATA_DIR)) {
      throw new org.gliomabench.core.config.ConfigException("ingest needs the BraTS folder: --data DIR (or "
          + ConfigKeys.DATA_DIR + " in the --conf file)");
    }
    // Two ingests at once would each replace the tables the other writes: the second is refused at the start.
    context.warehouse().claim(Tables.Patients.NAME, Tables.Volumes.NAME, Tables.Slices.NAME, Tables.IngestErrors.NAME,
        Tables.ReferenceMasks.NAME);
    IngestJob.Summary s;
    try {
      s = new IngestJob(context.settings(), context.warehouse(), context.runId()).run();
    } catch (Exception e) {
      // Spark wraps an executor's exception (thrown undeclared, as Scala does) in a SparkException.
      IngestException strict = findCause(e);
      if (strict != null) {
        System.err.println("ingest stopped (--strict) at: " + strict.getMessage());
        return 1;
      }
      throw e;
    }
    System.out.printf("ingest %s: %d patients found, %d accepted (%d usable by the CNN, %d unchanged and carried over),"
            + " %d rejected%s; %d slices; %.1f s%n  tables under %s%n",
        context.runId(), s.discovered(), s.accepted(), s.cnnUsable(), s.carriedOver(), s.rejected(),
        s.rejectedByKind().isEmpty() ? "" : " " + s.rejectedByKind(), s.slices(), s.seconds(),
        context.warehouse().root());
    if (s.rejected() > 0) {
      System.out.println("  see the ingest_errors table for the rejected inputs and reasons");
      return ExitStatus.PARTIAL;
    }
    return 0;
  }

  private static IngestException findCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IngestException) {
        return (IngestException) c;
      }
    }
    return null;
  }
}
