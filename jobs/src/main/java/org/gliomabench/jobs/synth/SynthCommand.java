package org.gliomabench.jobs.synth;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.gliomabench.core.brats.Grade;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.synth.SyntheticCohort;
import org.gliomabench.core.synth.SyntheticCohortException;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code synth}: writes a synthetic (simulated) BraTS-layout cohort of real .nii.gz files. No Spark. */
public final class SynthCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(SynthCommand.class);

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
  public String details() {
    return "Writes <DIR>/Synth_NNN/Synth_NNN_{t1,t1ce,t2,flair,seg}.nii.gz (int16, 1 mm, BraTS affine) and\n"
        + "<DIR>/name_mapping.csv: SIMULATED phantoms, round(synth.lgg.fraction * N) of them LGG, shape\n"
        + "synth.shape (x,y,z). The same settings give the same files. DIR must be new, empty, or an earlier\n"
        + "synth output (which is overwritten); any other non-empty folder is refused.";
  }

  @Override
  public int run(JobContext context) throws IOException {
    Settings s = context.settings();
    Path dir = localPath(s.get(ConfigKeys.SYNTH_DIR));
    int patients = s.getInt(ConfigKeys.SYNTH_PATIENTS);
    double lggFraction = s.getDouble(ConfigKeys.SYNTH_LGG_FRACTION);
    int[] shape = s.getInts(ConfigKeys.SYNTH_SHAPE);
    long seed = s.getLong(ConfigKeys.SYNTH_SEED);
    if (shape.length != 3) {
      throw new ConfigException("setting '" + ConfigKeys.SYNTH_SHAPE + "' must be x,y,z, got '"
          + s.get(ConfigKeys.SYNTH_SHAPE) + "'");
    }
    LOG.info("synth: writing {} simulated patients of {}x{}x{} voxels (seed {}) to {}", patients, shape[0], shape[1],
        shape[2], seed, dir);
    long t0 = System.nanoTime();
    int step = Math.max(1, patients / 10); // about ten progress lines
    int[] done = {0};
    SyntheticCohort.Summary summary;
    try {
      summary = SyntheticCohort.write(dir, patients, lggFraction, shape, seed, p -> {
        if (++done[0] % step == 0 || done[0] == patients) {
          LOG.info("synth: {}/{} patients written", done[0], patients);
        }
      });
    } catch (SyntheticCohortException | IllegalArgumentException e) {
      throw new ConfigException("synth: " + e.getMessage());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (summary.reused()) {
      System.out.printf(Locale.ROOT, "synth: %s already holds this SIMULATED cohort (%d patients: %d HGG, %d LGG; "
              + "%dx%dx%d voxels, seed %d), complete and intact; nothing rewritten%n", dir.toAbsolutePath(),
          summary.patients().size(), summary.count(Grade.HGG), summary.count(Grade.LGG), shape[0], shape[1], shape[2],
          seed);
      return 0;
    }
    System.out.printf(Locale.ROOT, "synth: wrote %d SIMULATED patients (%d HGG, %d LGG) of %dx%dx%d voxels, seed %d, "
            + "to %s%n  %d files, %.1f MB, in %.1f s; layout <ID>/<ID>_{t1,t1ce,t2,flair,seg}.nii.gz + %s%n",
        summary.patients().size(), summary.count(Grade.HGG), summary.count(Grade.LGG), shape[0], shape[1], shape[2],
        seed, dir.toAbsolutePath(), summary.files(), megabytes(dir), seconds, SyntheticCohort.NAME_MAPPING);
    return 0;
  }

  /** synth writes with java.nio: a plain path or a file: URI; other file systems are refused by name. */
  static Path localPath(String value) {
    if (value.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !value.matches("^[A-Za-z]:[\\\\/].*")) {
      URI uri = URI.create(value);
      if (!"file".equalsIgnoreCase(uri.getScheme())) {
        throw new ConfigException("synth writes to the local file system; '" + value
            + "' is not local (write locally, then copy the folder to " + uri.getScheme() + ")");
      }
      return Path.of(uri);
    }
    return Path.of(value);
  }

  private static double megabytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
  }
}
