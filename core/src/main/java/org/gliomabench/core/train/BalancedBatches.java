package org.gliomabench.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One epoch's minibatches with the minority class (LGG in BraTS) oversampled to the size of the majority
 * class, and both classes spread evenly over the batches: every batch holds half of each (one more of
 * one class when the batch size is odd). Deterministic for a seed, so a resumed run replays the same
 * epochs as an uninterrupted one.
 */
public final class BalancedBatches {
  private BalancedBatches() {}

  /** An example to be batched: its key (patient id) and binary label (1 HGG, 0 LGG). */
  public record Item(String id, int label) {}

  /**
   * @param items the training examples, each once
   * @param batchSize examples per batch (the last batch may be smaller)
   * @param seed the epoch's seed
   * @return the batches, as lists of ids (minority ids repeat)
   */
  public static List<List<String>> plan(List<Item> items, int batchSize, long seed) {
    if (batchSize < 2) {
      throw new IllegalArgumentException("a balanced batch needs at least 2 examples, got batch size " + batchSize);
    }
    List<String> positives = new ArrayList<>();
    List<String> negatives = new ArrayList<>();
    for (Item it : items) {
      if (it.label() == 1) {
        positives.add(it.id());
      } else if (it.label() == 0) {
        negatives.add(it.id());
      } else {
        throw new IllegalArgumentException("label of " + it.id() + " must be 0 or 1, got " + it.label());
      }
    }
    if (positives.isEmpty() || negatives.isEmpty()) {
      throw new IllegalArgumentException("cannot balance the classes: " + positives.size() + " HGG and "
          + negatives.size() + " LGG examples (both classes are needed to train)");
    }
    Random random = new Random(seed);
    int size = Math.max(positives.size(), negatives.size());
    List<String> pos = oversample(positives, size, random);
    List<String> neg = oversample(negatives, size, random);

    List<List<String>> batches = new ArrayList<>();
    int p = 0;
    int n = 0;
    boolean extraToPositive = random.nextBoolean();
    while (p < size || n < size) {
      int room = batchSize;
      int wantPos = batchSize / 2 + (batchSize % 2 == 1 && extraToPositive ? 1 : 0);
      extraToPositive = !extraToPositive;
      List<String> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < wantPos && p < size; i++, room--) {
        batch.add(pos.get(p++));
      }
      while (room > 0 && n < size) {
        batch.add(neg.get(n++));
        room--;
      }
      while (room > 0 && p < size) {
        batch.add(pos.get(p++));
        room--;
      }
      Collections.shuffle(batch, random);
      batches.add(batch);
    }
    return batches;
  }

  /** All of {@code ids} (shuffled) repeated whole, then a random subset without replacement, to {@code size}. */
  static List<String> oversample(List<String> ids, int size, Random random) {
    List<String> out = new ArrayList<>(size);
    while (out.size() + ids.size() <= size) {
      out.addAll(ids);
    }
    List<String> rest = new ArrayList<>(ids);
    Collections.shuffle(rest, random);
    out.addAll(rest.subList(0, size - out.size()));
    Collections.shuffle(out, random);
    return out;
  }

  /** A seed for (base seed, fold, epoch) that differs for every fold and epoch. */
  public static long epochSeed(long baseSeed, int fold, int epoch) {
    long h = baseSeed * 0x9E3779B97F4A7C15L + fold * 0xC2B2AE3D27D4EB4FL + epoch * 0x165667B19E3779F9L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
