package org.gliomabench.udf.fanout;

import java.io.Serializable;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.ServerKind;
import org.gliomabench.udf.client.Urls;

/**
 * One named arm: a model behind an endpoint, asked with one prompt template and decoding parameters.
 * {@code simulated} marks the SIMULATED server in every row it produces; {@code server} is the kind of server
 * (what it accepts and returns; the SIMULATED server speaks vLLM's dialect).
 */
public record ArmSpec(String name, boolean simulated, String model, String promptId, DecodingParams decoding,
    ClientConfig client, ServerKind server) implements Serializable {

  /** An arm on a server that speaks vLLM's dialect (the SIMULATED server, tests, the bench). */
  public ArmSpec(String name, boolean simulated, String model, String promptId, DecodingParams decoding, ClientConfig client) {
    this(name, simulated, model, promptId, decoding, client, ServerKind.VLLM);
  }

  public String displayEndpoint() {
    return Urls.redact(client.endpoint());
  }
}
