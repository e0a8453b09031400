package org.gliomabench.jobs.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.gliomabench.core.config.ConfigException;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.udf.client.ApiKey;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.ServerKind;
import org.gliomabench.udf.client.ServerProbe;
import org.gliomabench.udf.client.Urls;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.RetryPolicy;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.prompt.PromptTemplates;
import org.gliomabench.udf.sim.SimulatedBehaviour;
import org.gliomabench.udf.sim.SimulatedLlmServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arms of a run, read from the settings: {@code llm.arms} (or the single {@code llm.arm}), each key
 * looked up as {@code llm.arm.<name>.X} before {@code llm.X} ({@link Settings#forArm}, the chain the training
 * arms use too; defaults in conf/glioma-bench.properties). An arm without an endpoint gets the SIMULATED
 * server, started here on loopback (one for all such arms) and stopped by {@link #close()}.
 */
public final class LlmArms implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LlmArms.class);

  private final List<ArmSpec> arms;
  /** Per arm: what its requests show (the prompt's images, examples). */
  private final Map<String, ArmInput> inputs;
  private final SimulatedLlmServer simulated;
  /** Per arm: what the user should know before the calls (server kind, logprobs that will not come). */
  private final Map<String, List<String>> notes;
  /** Arms whose P(HGG) was wanted (llm.logprobs=true) whatever the server can do. */
  private final Set<String> logprobsWanted;

  private LlmArms(List<ArmSpec> arms, Map<String, ArmInput> inputs, SimulatedLlmServer simulated,
      Map<String, List<String>> notes, Set<String> logprobsWanted) {
    this.arms = arms;
    this.inputs = inputs;
    this.simulated = simulated;
    this.notes = notes;
    this.logprobsWanted = logprobsWanted;
  }

  public static LlmArms resolve(Settings settings, SparkSession spark) {
    List<String> names = settings.getList(ConfigKeys.LLM_ARMS);
    if (names.isEmpty()) {
      names = List.of(settings.get(ConfigKeys.LLM_ARM));
    }
    int executors = executors(spark);
    List<ArmSpec> out = new ArrayList<>();
    Map<String, ArmInput> inputs = new LinkedHashMap<>();
    Map<String, List<String>> notes = new LinkedHashMap<>();
    Set<String> logprobsWanted = new LinkedHashSet<>();
    SimulatedLlmServer server = null;
    try {
      for (String name : names) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
          throw new ConfigException("arm name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Settings a = settings.forArm(ConfigKeys.llmArmPrefix(name), ConfigKeys.LLM);
        // Empty by default: no endpoint (the SIMULATED server), no seed, no API key.
        String endpoint = a.has(ConfigKeys.LLM_ENDPOINT) ? a.get(ConfigKeys.LLM_ENDPOINT) : "";
        String model = a.get(ConfigKeys.LLM_MODEL);
        // A SIMULATED server we started, or one started elsewhere (tests, the bench): its model name says so.
        boolean sim = endpoint.isEmpty() || model.startsWith(SimulatedLlmServer.MODEL_PREFIX);
        if (endpoint.isEmpty()) {
          if (server == null) {
            server = startSimulated(spark, behaviour(settings));
          }
          endpoint = server.baseUrl();
          model = SimulatedLlmServer.modelName(model);
        }
        if (inputs.containsKey(name)) {
          throw new ConfigException("arm " + name + " is listed twice in " + ConfigKeys.LLM_ARMS);
        }
        ArmInput input = ArmInput.of(name, settings, a);
        inputs.put(name, input);
        String prompt = input.promptId();
        try {
          String seed = a.has(ConfigKeys.LLM_SEED) ? a.get(ConfigKeys.LLM_SEED) : "";
          boolean wantLogprobs = a.getBoolean(ConfigKeys.LLM_LOGPROBS);
          String constrained = a.get(ConfigKeys.LLM_CONSTRAINED);
          String keyEnv = a.has(ConfigKeys.LLM_API_KEY_ENV) ? a.get(ConfigKeys.LLM_API_KEY_ENV) : "";
          List<String> armNotes = notes.computeIfAbsent(name, k -> new ArrayList<>());
          ServerKind kind = sim ? ServerKind.VLLM : serverKind(a, name, endpoint, model, keyEnv, armNotes);
          if (!kind.supportsConstrained(constrained)) {
            throw new ConfigException("arm " + name + ": " + ConfigKeys.LLM_CONSTRAINED + "=" + constrained + " is not supported by "
                + kind.display() + " (" + ConfigKeys.LLM_SERVER + "=" + kind.id() + "); servers that support it: "
                + String.join(", ", ServerKind.supporting(constrained)) + ". Use " + ConfigKeys.LLM_CONSTRAINED + "=none here");
          }
          if (wantLogprobs && !PromptTemplates.byId(prompt).kind().isLocate()) { // P(HGG) is a classify matter
            logprobsWanted.add(name);
            if (!kind.logprobs()) {
              armNotes.add(kind.display() + " returns no token logprobs: none are asked for, p_hgg stays empty and this arm's"
                  + " AUC uses GLDR (HGG / (HGG + LGG) slices) instead of P(HGG)");
            }
          }
          DecodingParams decoding = new DecodingParams(a.getDouble(ConfigKeys.LLM_TEMPERATURE),
              a.getInt(ConfigKeys.LLM_MAX_TOKENS), seed.isEmpty() ? null : Long.parseLong(seed),
              wantLogprobs && kind.logprobs(), a.getInt(ConfigKeys.LLM_TOP_LOGPROBS), constrained);
          RetryPolicy retry = new RetryPolicy(a.getInt(ConfigKeys.LLM_RETRY_MAX_ATTEMPTS),
              a.getLong(ConfigKeys.LLM_RETRY_BASE_MS), a.getLong(ConfigKeys.LLM_RETRY_MAX_BACKOFF_MS),
              a.getLong(ConfigKeys.LLM_RETRY_BUDGET_MS), a.getLong(ConfigKeys.LLM_RETRY_AFTER_MAX_MS));
          double rate = a.getDouble(ConfigKeys.LLM_RATE_LIMIT);
          if (!keyEnv.isEmpty() && System.getenv(keyEnv) == null) {
            // checked on the driver too, so a missing key fails fast instead of in every task
            throw new ConfigException("arm " + name + ": the API key environment variable " + keyEnv + " is not set");
          }
          ClientConfig client = new ClientConfig(endpoint, keyEnv.isEmpty() ? null : keyEnv,
              a.getLong(ConfigKeys.LLM_CONNECT_TIMEOUT_MS), a.getLong(ConfigKeys.LLM_RESPONSE_TIMEOUT_MS),
              a.getInt(ConfigKeys.LLM_CONCURRENCY), rate / executors, retry);
          out.add(new ArmSpec(name, sim, model, prompt, decoding, client, kind));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("arm " + name + ": " + e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
    for (ArmSpec s : out) {
      LOG.info("llm arm {}: {}{} ({}) model {} prompt {} showing {} ({}), concurrency {} per executor{}", s.name(),
          s.simulated() ? "SIMULATED server " : "", s.displayEndpoint(), s.server().id(), s.model(), s.promptId(),
          inputs.get(s.name()).describe(), s.decoding().canonical(),
          s.client().concurrency(), s.client().ratePerSecond() > 0
              ? String.format(", %.2f requests/s per executor (%d executors)", s.client().ratePerSecond(), executors) : "");
    }
    return new LlmArms(List.copyOf(out), inputs, server, notes, logprobsWanted);
  }

  /**
   * The arm's server kind: llm.server, or (auto) what the server says about itself. With a model list (vLLM,
   * Ollama, llama-server, OpenAI) a model the server does not serve stops the run here, before any call.
   */
  private static ServerKind serverKind(Settings a, String name, String endpoint, String model, String keyEnv, List<String> notes) {
    String configured = a.get(ConfigKeys.LLM_SERVER);
    ServerKind kind = configured.equalsIgnoreCase("auto") ? null : parseKind(name, configured);
    ServerProbe probe = ServerProbe.of(endpoint, keyEnv.isEmpty() || System.getenv(keyEnv) == null ? null : ApiKey.fromEnv(keyEnv),
        Math.min(5_000, a.getLong(ConfigKeys.LLM_CONNECT_TIMEOUT_MS)));
    if (kind == null) {
      kind = probe.detected();
      if (kind == null) {
        kind = ServerKind.OPENAI;
        notes.add("server kind not recognised" + (probe.note() == null ? "" : " (" + probe.note() + ")") + ": assuming the"
            + " OpenAI schema; set " + ConfigKeys.llmArmKey(name, ConfigKeys.LLM_SERVER) + " or " + ConfigKeys.LLM_SERVER
            + " (vllm, ollama, llamacpp, transformers, openai)");
      } else {
        notes.add("server kind " + kind.id() + " (" + kind.display() + ", detected; " + ConfigKeys.LLM_SERVER + " overrides)");
      }
    } else if (probe.detected() != null && probe.detected() != kind) {
      notes.add(ConfigKeys.LLM_SERVER + "=" + kind.id() + ", but the server looks like " + probe.detected().display());
    }
    if (probe.listed() && !probe.served().isEmpty() && !kind.serves(probe.served(), model)) {
      throw new ConfigException("arm " + name + ": the server at " + Urls.redact(endpoint) + " does not serve a model named '"
          + model + "'; it lists " + probe.served() + ". Pass --model (or " + ConfigKeys.llmArmKey(name, ConfigKeys.LLM_MODEL)
          + ") one of those");
    }
    return kind;
  }

  private static ServerKind parseKind(String arm, String value) {
    try {
      return ServerKind.byId(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("arm " + arm + ": " + ConfigKeys.LLM_SERVER + ": " + e.getMessage());
    }
  }

  /**
   * The SIMULATED server: on loopback in local mode; on a cluster on the driver's bind address, announced as
   * spark.driver.host, so that executors on other hosts reach it as they reach the driver.
   */
  static SimulatedLlmServer startSimulated(SparkSession spark, SimulatedBehaviour behaviour) {
    if (spark.sparkContext().isLocal()) {
      return SimulatedLlmServer.start(behaviour);
    }
    org.apache.spark.SparkConf conf = spark.sparkContext().getConf();
    String host = conf.get("spark.driver.host", "127.0.0.1");
    String bind = conf.get("spark.driver.bindAddress", host);
    try {
      return SimulatedLlmServer.start(behaviour, java.net.InetAddress.getByName(bind), host);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("cannot start the SIMULATED LLM server on the driver's address " + bind + ": " + e.getMessage(), e);
    }
  }

  /** Per arm, what to tell the user before the calls start. */
  public Map<String, List<String>> notes() {
    return notes;
  }

  /** Whether the arm wanted P(HGG) from logprobs (llm.logprobs=true). */
  public boolean logprobsWanted(String arm) {
    return logprobsWanted.contains(arm);
  }

  static SimulatedBehaviour behaviour(Settings s) {
    return new SimulatedBehaviour(s.getLong(ConfigKeys.LLM_SIM_LATENCY_MS), s.getLong(ConfigKeys.LLM_SIM_JITTER_MS),
        s.getDouble(ConfigKeys.LLM_SIM_P_HGG), s.getDouble(ConfigKeys.LLM_SIM_P_NO_GLIOMA),
        s.getDouble(ConfigKeys.LLM_SIM_MALFORMED), s.getDouble(ConfigKeys.LLM_SIM_FAULTS),
        s.getInt(ConfigKeys.LLM_SIM_RETRY_AFTER_S), s.getLong(ConfigKeys.LLM_SIM_SEED), null);
  }

  /** Executors sharing an endpoint's rate: registered ones, else spark.executor.instances, else 1 (local). */
  public static int executors(SparkSession spark) {
    int registered = spark.sparkContext().getExecutorMemoryStatus().size() - 1; // minus the driver
    if (registered > 0 && !spark.sparkContext().isLocal()) {
      return registered;
    }
    return spark.sparkContext().isLocal() ? 1 : Math.max(1, spark.sparkContext().getConf().getInt("spark.executor.instances", 1));
  }

  public List<ArmSpec> arms() {
    return arms;
  }

  /** What the arm's requests show. */
  public ArmInput input(String arm) {
    return inputs.get(arm);
  }

  /** The SIMULATED server, when an arm uses it (null otherwise). */
  public SimulatedLlmServer simulated() {
    return simulated;
  }

  @Override
  public void close() {
    if (simulated != null) {
      simulated.close();
    }
  }
}
