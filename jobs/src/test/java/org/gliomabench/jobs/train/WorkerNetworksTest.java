package org.gliomabench.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.gliomabench.core.model.CnnSpec;
import org.gliomabench.core.model.GliomaCnn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle networks are handed out by configuration, never twice, and let go when unused. */
class WorkerNetworksTest {
  private final MultiLayerNetwork small = GliomaCnn.network(CnnSpec.of(new int[] {2, 8, 8, 8}, 1e-3, 3));
  private final MultiLayerNetwork other = GliomaCnn.network(CnnSpec.of(new int[] {2, 8, 8, 8}, 1e-4, 3));

  @BeforeEach
  @AfterEach
  void empty() {
    WorkerNetworks.clear();
  }

  @Test
  void theKeyIgnoresTrainingCountersButNotTheModel() {
    String key = WorkerNetworks.key(small.getLayerWiseConfigurations());
    small.getLayerWiseConfigurations().setIterationCount(40);
    small.getLayerWiseConfigurations().setEpochCount(3);
    assertEquals(key, WorkerNetworks.key(small.getLayerWiseConfigurations()));
    assertEquals(40, small.getLayerWiseConfigurations().getIterationCount(), "the network's own counters stay");
    assertNotEquals(key, WorkerNetworks.key(other.getLayerWiseConfigurations()), "another learning rate");
  }

  @Test
  void aNetworkGivenBackTwiceIsHandedOutOnce() {
    String key = WorkerNetworks.key(small.getLayerWiseConfigurations());
    WorkerNetworks.give(key, small);
    WorkerNetworks.give(key, small);
    assertEquals(1, WorkerNetworks.idle());
    assertSame(small, WorkerNetworks.take(key));
    assertNull(WorkerNetworks.take(key));
  }

  @Test
  void askingForAnotherModelLetsTheIdleOnesGo() {
    String key = WorkerNetworks.key(small.getLayerWiseConfigurations());
    WorkerNetworks.give(key, small);
    assertNull(WorkerNetworks.take(WorkerNetworks.key(other.getLayerWiseConfigurations())));
    assertEquals(0, WorkerNetworks.idle());
  }

  @Test
  void networksIdleTooLongAreLetGo() throws InterruptedException {
    String key = WorkerNetworks.key(small.getLayerWiseConfigurations());
    WorkerNetworks.give(key, small);
    WorkerNetworks.evictIdleSince(System.currentTimeMillis() - 60_000);
    assertEquals(1, WorkerNetworks.idle(), "given back just now");
    Thread.sleep(5);
    WorkerNetworks.evictIdleSince(System.currentTimeMillis());
    assertEquals(0, WorkerNetworks.idle());
  }
}
