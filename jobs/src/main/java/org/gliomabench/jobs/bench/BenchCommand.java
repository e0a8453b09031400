package org.gliomabench.jobs.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code bench <name>}: benchmarks that print ratios measured side by side in one run. */
public final class BenchCommand implements Command {

  /** One benchmark; returns the exit status. */
  public interface Benchmark {
    String summary();

    int run(JobContext context) throws Exception;
  }

  /** The benchmarks by name; each stage adds its own. */
  static Map<String, Benchmark> benchmarks() {
    Map<String, Benchmark> m = new LinkedHashMap<>();
    m.put("ingest", new IngestBenchmark());
    m.put("cnn", new CnnBenchmark());
    m.put("seg", new SegBenchmark());
    m.put("llm", new LlmBenchmark());
    m.put("scale", new ScaleBenchmark());
    return m;
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "run a benchmark and print its ratios: " + String.join(", ", benchmarks().keySet());
  }

  @Override
  public String positionalUsage() {
    return "<" + String.join("|", benchmarks().keySet()) + ">";
  }

  @Override
  public String details() {
    StringBuilder sb = new StringBuilder("benchmarks:\n");
    benchmarks().forEach((k, v) -> sb.append(String.format("  %-10s %s%n", k, v.summary())));
    return sb.toString();
  }

  @Override
  public int run(JobContext context) throws Exception {
    if (context.positional().size() != 1) {
      throw new ConfigException("bench takes one benchmark name: " + positionalUsage());
    }
    Benchmark b = benchmarks().get(context.positional().get(0));
    if (b == null) {
      throw new ConfigException("unknown benchmark '" + context.positional().get(0) + "'; choose " + positionalUsage());
    }
    return b.run(context);
  }
}
