package org.gliomabench.jobs.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockManagerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one of the folds trained at the same time runs: the executors its averaging rounds prefer (Spark's
 * preferred locations, {@code executor_<host>_<id>}), so that each fold keeps to workers of its own and finds its
 * pooled network, training threads and cached minibatch files there round after round. Empty: anywhere (local
 * mode, one fold at a time, or fewer executors than folds).
 */
public record FoldLane(int index, List<String> locations) {
  private static final Logger LOG = LoggerFactory.getLogger(FoldLane.class);

  /** One fold at a time, on every worker. */
  public static final FoldLane ANYWHERE = new FoldLane(0, List.of());

  /** The lanes of {@code folds} folds at once: the executors dealt round-robin where there are enough. */
  static List<FoldLane> assign(JavaSparkContext jsc, int folds, int workersPerFold) {
    if (folds <= 1) {
      return List.of(ANYWHERE);
    }
    List<BlockManagerId> executors = new ArrayList<>();
    if (!jsc.sc().isLocal()) {
      scala.collection.Iterator<BlockManagerId> ids = SparkEnv.get().blockManager().master().getMemoryStatus()
          .keysIterator();
      while (ids.hasNext()) {
        BlockManagerId id = ids.next();
        if (!id.isDriver()) {
          executors.add(id);
        }
      }
      executors.sort(Comparator.comparing((BlockManagerId id) -> id.executorId().length())
          .thenComparing(BlockManagerId::executorId));
    }
    List<FoldLane> lanes = new ArrayList<>();
    boolean pinned = executors.size() >= folds;
    for (int i = 0; i < folds; i++) {
      List<String> mine = new ArrayList<>();
      List<String> named = new ArrayList<>();
      for (int e = i; pinned && e < executors.size(); e += folds) {
        mine.add("executor_" + executors.get(e).host() + "_" + executors.get(e).executorId());
        named.add(executors.get(e).executorId() + "@" + executors.get(e).host());
      }
      lanes.add(new FoldLane(i, List.copyOf(mine)));
      LOG.info("fold lane {}: {} worker(s) per fold{}", i, workersPerFold, pinned ? " on executor(s) " + named
          : jsc.sc().isLocal() ? " in this JVM" : " (fewer executors than folds at once: wherever a slot is free)");
    }
    return lanes;
  }
}
