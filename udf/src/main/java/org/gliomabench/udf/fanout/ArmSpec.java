package org.gliomabench.udf.fanout;

import java.io.Serializable;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.Urls;

/**
 * One named arm: a model behind an endpoint, asked with one prompt template and decoding parameters.
 * {@code simulated} marks the SIMULATED server in every row it produces.
 */
public record ArmSpec(String name, boolean simulated, String model, String promptId, DecodingParams decoding,
    ClientConfig client) implements Serializable {

  public String displayEndpoint() {
    return Urls.redact(client.endpoint());
  }
}
