package org.gliomabench.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.gliomabench.jobs.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune's process handling with a real Python: the script runs, finds what is missing, and the command says so.
 * (The training itself runs in CI's scripts/check-real-llm.sh, where torch, peft and trl are installed.)
 */
class FinetuneCommandTest {
  @TempDir
  Path tmp;

  private Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int rc = Main.run(args);
      return new Object[] {rc, buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path export() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("export"));
    Files.writeString(data.resolve("train.jsonl"), "{\"messages\":[],\"images\":[]}\n");
    return data;
  }

  @Test
  void aPythonWithoutTheTrainingPackagesIsNamedWithWhatToInstall() throws Exception {
    // python3 without site-packages: the standard library only, whatever this machine has installed
    Path bare = tmp.resolve("bare-python");
    Files.writeString(bare, "#!/bin/sh\nexec python3 -I -S \"$@\"\n");
    Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path out = tmp.resolve("out");
    Object[] r = run("finetune", "--data", export().toString(), "--base", tmp.toString(), "--out", out.toString(),
        "--python", bare.toString());
    assertEquals(2, r[0], (String) r[1]);
    String text = (String) r[1];
    assertTrue(text.contains("finetune failed: missing Python packages: torch, transformers, peft, trl, datasets"), text);
    assertTrue(text.contains("pip install"), text);
    assertTrue(Files.isRegularFile(out.resolve(FinetuneRunner.SCRIPT)), "the script that ran is kept beside its output");
    assertTrue(Files.readString(out.resolve("finetune.log")).contains("missing_packages"));
  }

  @Test
  void anExportFolderWithoutTrainingDataOrAPythonThatIsNotThereAreUsageErrors() throws Exception {
    Object[] noData = run("finetune", "--data", tmp.resolve("nothing").toString(), "--base", "x", "--out",
        tmp.resolve("o1").toString());
    assertEquals(2, noData[0]);
    assertTrue(((String) noData[1]).contains("has no train.jsonl: run export-finetune"), (String) noData[1]);
    Object[] noPython = run("finetune", "--data", export().toString(), "--base", "x", "--out", tmp.resolve("o2").toString(),
        "--python", tmp.resolve("no-such-python").toString());
    assertEquals(2, noPython[0]);
    assertTrue(((String) noPython[1]).contains("cannot start " + tmp.resolve("no-such-python")), (String) noPython[1]);
  }

  @Test
  void exportFoldersOnAnotherFileSystemAreRefusedWithWhatToDo() {
    Object[] r = run("finetune", "--data", "hdfs://nn/ft", "--base", "x", "--out", tmp.resolve("o3").toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("copy the folder to this machine's disk"), (String) r[1]);
  }
}
