package org.gliomabench.udf.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Where the SIMULATED server listens and what address it gives clients (on a cluster: the driver's advertised one). */
class SimulatedLlmServerAddressTest {
  @Test
  void itAnnouncesTheAdvertisedHostAndAnswersThere() throws Exception {
    try (SimulatedLlmServer s = SimulatedLlmServer.start(SimulatedBehaviour.defaults(), InetAddress.getLoopbackAddress(),
        "localhost")) {
      assertTrue(s.baseUrl().startsWith("http://localhost:"), s.baseUrl());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/models")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("simulated-"), r.body());
    }
  }

  @Test
  void withoutAnAddressItStaysOnLoopback() {
    try (SimulatedLlmServer s = SimulatedLlmServer.start(SimulatedBehaviour.defaults())) {
      assertTrue(s.baseUrl().startsWith("http://127.0.0.1:"), s.baseUrl());
    }
  }
}
