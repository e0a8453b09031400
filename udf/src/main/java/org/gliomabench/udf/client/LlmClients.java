package org.gliomabench.udf.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients of this JVM, one per endpoint configuration, shared by every task (and thread) that calls
 * it: one connection pool, one in-flight bound and one rate share per executor. The API key is read here,
 * on the executor, from the environment variable the configuration names.
 */
public final class LlmClients {
  private static final Map<ClientConfig, LlmClient> CLIENTS = new ConcurrentHashMap<>();

  private LlmClients() {}

  public static LlmClient get(ClientConfig config) {
    return CLIENTS.computeIfAbsent(config, c -> new LlmClient(c,
        c.apiKeyEnv() == null || c.apiKeyEnv().isBlank() ? null : ApiKey.fromEnv(c.apiKeyEnv())));
  }

  /** Closes every client (end of a job on the driver; executors keep theirs for the next task). */
  public static void closeAll() {
    CLIENTS.values().forEach(LlmClient::close);
    CLIENTS.clear();
  }
}
