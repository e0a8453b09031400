package org.gliomabench.udf.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gliomabench.udf.client.ClientConfig;
import org.gliomabench.udf.client.DecodingParams;
import org.gliomabench.udf.client.LlmClient;
import org.gliomabench.udf.client.RetryPolicy;
import org.gliomabench.udf.fanout.ArmCaller;
import org.gliomabench.udf.fanout.ArmSpec;
import org.gliomabench.udf.fanout.CallRecord;
import org.gliomabench.udf.fanout.SliceCall;
import org.gliomabench.udf.testing.TestImages;
import org.junit.jupiter.api.Test;

/** The SIMULATED server answers the new arms' requests differently from the study's, as documented, over HTTP. */
class SimulatedEvidenceTest {
  private static final SimulatedBehaviour B = SimulatedBehaviour.defaults().withLatency(0, 0).withMalformed(0);

  private static double hggShare(String prompt, List<SliceCall.Example> examples, Double score) throws Exception {
    try (SimulatedLlmServer server = SimulatedLlmServer.start(B)) {
      ClientConfig config = new ClientConfig(server.baseUrl(), null, 2000, 5000, 8, 0, new RetryPolicy(2, 10, 50, 5000, 1000));
      try (LlmClient client = new LlmClient(config, null)) {
        ArmCaller caller = new ArmCaller(new ArmSpec("a", true, "simulated-m", prompt,
            new DecodingParams(0.6, 64, 3L, false, 0, DecodingParams.NONE), config), client);
        int hgg = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
          SliceCall c = new SliceCall("k" + i, "a", "P1", 1, "cv", 0, "axial", i, i, TestImages.png(24, 20, i), 24, 20,
              examples, score);
          CallRecord r = caller.call(c).get(30, TimeUnit.SECONDS);
          assertEquals("ok", r.status(), r.error());
          hgg += r.choice() == 1 ? 1 : 0;
        }
        return (double) hgg / n;
      }
    }
  }

  @Test
  void theCnnInformedArmFollowsTheStatedScoreAndTheMontageArmIsLessBiasedThanTheStudysPrompt() throws Exception {
    double general = hggShare("classify-v1", List.of(), null);
    double low = hggShare("classify-cnn-informed-v1", List.of(), 0.05);
    double high = hggShare("classify-cnn-informed-v1", List.of(), 0.95);
    double montage = hggShare("classify-montage-v1", List.of(), null);
    assertTrue(general > 0.8, "the study's majority-class bias: " + general);
    assertTrue(low < 0.4 && high > 0.8, "cnn-informed follows the CNN: " + low + " / " + high);
    assertTrue(montage < general - 0.1, "the montage arm leans less on HGG: " + montage + " vs " + general);
    List<SliceCall.Example> lgg = List.of(new SliceCall.Example("x:axial:1", 0, TestImages.png(24, 20, 1)),
        new SliceCall.Example("y:axial:2", 0, TestImages.png(24, 20, 2)));
    assertTrue(hggShare("classify-fewshot-v1", lgg, null) < general - 0.2,
        "examples of one grade pull the answers towards it");
  }
}
