package org.gliomabench.jobs.warehouse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A process that holds the warehouse's commit lock or a claim, written into the lock and claim files so that
 * another process can tell whether it still runs: on the same host (same host name and boot) by its pid and start
 * time, at once; on another host only by the file's heartbeat (its modification time).
 *
 * @param id unique per holder: the host, pid and a random part
 * @param bootId the kernel's boot id ({@code /proc/sys/kernel/random/boot_id}): a pid from an earlier boot is dead
 * @param startMillis the process's start time (0 when unknown): a reused pid is another process
 * @param description what holds it, for whoever is refused: run id and command
 */
public record Holder(String id, String host, String bootId, long pid, long startMillis, String description) {

  private static final String HOST = hostName();
  private static final String BOOT = readBootId();
  private static final long PID = ProcessHandle.current().pid();
  private static final long START = startOf(ProcessHandle.current()).orElse(0L);

  /** This process, holding for {@code description}. */
  public static Holder self(String description) {
    return new Holder(HOST + "-" + PID + "-" + UUID.randomUUID().toString().substring(0, 8), HOST, BOOT, PID, START,
        description);
  }

  /** Whether this holder is the current process (any of its holders). */
  public boolean isThisProcess() {
    return sameHost() && pid == PID && startMillis == START;
  }

  /**
   * Whether the holder's process is known to be gone: on this host (same host name and boot) its pid is not
   * running, or runs another process (started at another time), or the host has rebooted since. False when it
   * runs, and for a holder on another host, which only its heartbeat can tell.
   */
  public boolean knownDead() {
    if (!host.equals(HOST)) {
      return false;
    }
    if (!bootId.equals(BOOT)) {
      return true;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    return startMillis != 0 && startOf(p.get()).map(s -> s != startMillis).orElse(false);
  }

  boolean sameHost() {
    return host.equals(HOST) && bootId.equals(BOOT);
  }

  /** "run R (train-cnn) on HOST (pid N)". */
  @Override
  public String toString() {
    return description + " on " + host + " (pid " + pid + ")";
  }

  String serialize() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("host", host);
    m.put("boot", bootId);
    m.put("pid", Long.toString(pid));
    m.put("start", Long.toString(startMillis));
    m.put("since", Instant.now().toString());
    m.put("holder", description.replace('\n', ' '));
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  /** Reads {@link #serialize}'s text; null when it is not one (a file cut short, or of another version). */
  static Holder parse(byte[] bytes) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      return new Holder(m.get("id"), m.get("host"), m.get("boot"), Long.parseLong(m.get("pid")),
          Long.parseLong(m.get("start")), m.getOrDefault("holder", "another run"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Optional<Long> startOf(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toEpochMilli);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown-host" : env;
    }
  }

  private static String readBootId() {
    try {
      return Files.readString(Paths.get("/proc/sys/kernel/random/boot_id"), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
