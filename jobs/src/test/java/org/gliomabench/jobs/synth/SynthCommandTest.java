package org.gliomabench.jobs.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.nifti.NiftiReader;
import org.gliomabench.core.nifti.NiftiVolume;
import org.gliomabench.jobs.Main;
import org.gliomabench.jobs.cli.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glioma-bench synth} through the launcher's entry point (no Spark needed). */
class SynthCommandTest {

  @TempDir
  Path tmp;

  /** Runs the launcher and returns exit status, stdout and stderr. */
  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      status = Main.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {Integer.toString(status), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void writesTheCohortAndSaysWhatItWrote() throws Exception {
    Path out = tmp.resolve("cohort");
    String[] r = run("synth", "--out", out.toString(), "--patients", "5", "--seed", "3",
        "--set", "synth.shape=20,22,16", "--set", "synth.lgg.fraction=0.4");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("wrote 5 SIMULATED patients (3 HGG, 2 LGG) of 20x22x16 voxels, seed 3"), r[1]);
    assertTrue(r[1].contains("26 files"), r[1]);
    List<String> mapping = Files.readAllLines(out.resolve("name_mapping.csv"));
    assertEquals(6, mapping.size());
    assertEquals(2, mapping.stream().filter(l -> l.startsWith("LGG,")).count());
    NiftiVolume t1ce = NiftiReader.read(out.resolve("Synth_005/Synth_005_t1ce.nii.gz"));
    assertEquals(20, t1ce.nx());
    assertEquals(22, t1ce.ny());
    assertEquals(16, t1ce.nz());

    // the same settings again: the intact cohort is kept as it is
    String[] same = run("synth", "--out", out.toString(), "--patients", "5", "--seed", "3",
        "--set", "synth.shape=20,22,16", "--set", "synth.lgg.fraction=0.4");
    assertEquals("0", same[0], same[2]);
    assertTrue(same[1].contains("already holds this SIMULATED cohort"), same[1]);

    // a rerun with other settings overwrites its own earlier output
    byte[] before = Files.readAllBytes(out.resolve("Synth_001/Synth_001_flair.nii.gz"));
    String[] again = run("synth", "--out", out.toString(), "--patients", "2", "--seed", "4",
        "--set", "synth.shape=20,22,16");
    assertEquals("0", again[0], again[2]);
    assertFalse(Files.exists(out.resolve("Synth_003")));
    assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("Synth_001/Synth_001_flair.nii.gz"))));
  }

  @Test
  void refusesAForeignNonEmptyFolderAndSaysWhy() throws Exception {
    Path data = tmp.resolve("real-brats");
    Files.createDirectories(data.resolve("BraTS20_Training_001"));
    String[] r = run("synth", "--out", data.toString(), "--patients", "2", "--set", "synth.shape=16,16,16");
    assertEquals(Integer.toString(ExitStatus.USAGE), r[0]);
    assertTrue(r[2].contains("not a previous synth output"), r[2]);
    assertTrue(r[2].contains(data.toString()), "names the folder: " + r[2]);
    assertEquals(List.of(data.resolve("BraTS20_Training_001")), Files.list(data).toList(), "untouched");
  }

  @Test
  void badSettingsAreUsageErrors() {
    Path out = tmp.resolve("x");
    for (String[] bad : new String[][] {
        {"--set", "synth.shape=20,20"},
        {"--set", "synth.shape=8,64,64"},
        {"--patients", "0"},
        {"--set", "synth.lgg.fraction=2"},
        {"--seed", "seven"}}) {
      String[] args = new String[3 + bad.length];
      args[0] = "synth";
      args[1] = "--out";
      args[2] = out.toString();
      System.arraycopy(bad, 0, args, 3, bad.length);
      String[] r = run(args);
      assertEquals(Integer.toString(ExitStatus.USAGE), r[0], String.join(" ", bad) + ": " + r[2]);
      assertTrue(r[2].contains("synth"), r[2]);
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void onlyLocalFoldersAreWritten() {
    assertEquals(Path.of("/tmp/a"), SynthCommand.localPath("file:///tmp/a"));
    assertEquals(Path.of("rel/dir"), SynthCommand.localPath("rel/dir"));
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> SynthCommand.localPath("hdfs://nn:8020/data"));
    assertTrue(e.getMessage().contains("hdfs"), e.getMessage());
  }

  @Test
  void helpListsTheOptions() {
    String[] r = run("synth", "--help");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("--out DIR") && r[1].contains("--patients N") && r[1].contains("--seed N"), r[1]);
    assertTrue(r[1].contains("SIMULATED"), r[1]);
  }
}
