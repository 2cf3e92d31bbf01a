package dev.jgrad.spark;

import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.tensor.Generator;

/**
 * The order in which one epoch visits the examples, and so its global batches: the permutations
 * jgrad's {@code DataLoader(data, batchSize, true, seed, false)} draws, epoch after epoch, from one
 * generator seeded once. Every task computes the same orders, so the tasks agree on each global
 * batch without talking, and one process training with that DataLoader sees the same batches.
 *
 * <pre>{@code
 * EpochOrder order = new EpochOrder(60_000, 42);
 * int[] first = order.next();   // epoch 1's permutation of 0..59999
 * }</pre>
 */
public final class EpochOrder {
  private final int size;
  private final Generator generator;

  /**
   * The orders of {@code size} examples under {@code seed}.
   *
   * @throws IllegalArgumentException if size is negative
   */
  public EpochOrder(int size, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("EpochOrder: size must be >= 0, got " + size);
    }
    this.size = size;
    this.generator = new Generator(seed);
  }

  /**
   * The next epoch's permutation of 0..size−1 (the DataLoader's own, {@link
   * DataLoader#permutation}).
   */
  public int[] next() {
    return DataLoader.permutation(size, generator);
  }

  /** Skips {@code epochs} permutations (a resumed run continues where it stopped). */
  public void skip(int epochs) {
    for (int e = 0; e < epochs; e++) {
      next();
    }
  }

  /** The number of global batches of an epoch: the last one may be smaller. */
  public static int batches(int size, int batchSize) {
    return size / batchSize + (size % batchSize == 0 ? 0 : 1);
  }
}
