package dev.jgrad.nn.data;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mini-batches of a data set in a for-each loop. With shuffling, each pass (epoch) uses a new
 * permutation drawn from a generator seeded once, so the same seed gives the same batches on every
 * run. Optionally prepares the next batch on a background thread.
 *
 * <pre>{@code
 * var loader = new DataLoader(train, 64, true, 42, false);
 * for (int epoch = 0; epoch < 5; epoch++) {
 *   for (Batch b : loader) { ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
  private static final ExecutorService PREFETCH =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jgrad-prefetch");
            t.setDaemon(true);
            return t;
          });

  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final Generator generator;
  private boolean prefetch;

  /**
   * Batches in order, keeping a last smaller batch.
   *
   * @throws IllegalArgumentException if {@code batchSize} is not positive
   */
  public DataLoader(Dataset dataset, int batchSize) {
    this(dataset, batchSize, false, 0, false);
  }

  /**
   * Every option; {@code seed} drives the shuffling.
   *
   * @throws IllegalArgumentException if {@code batchSize} is not positive
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "DataLoader: batchSize must be positive, got " + batchSize);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = new Generator(seed);
  }

  /** Prepares each next batch on a background thread while the current one is used. */
  public DataLoader prefetch(boolean enabled) {
    this.prefetch = enabled;
    return this;
  }

  /** The number of batches per pass. */
  public int batches() {
    int n = dataset.size();
    return dropLast ? n / batchSize : n / batchSize + (n % batchSize == 0 ? 0 : 1); // no n + bs
  }

  /** The data set. */
  public Dataset dataset() {
    return dataset;
  }

  private int[] order() {
    int n = dataset.size();
    if (shuffle) {
      return permutation(n, generator);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /**
   * The permutation of 0..n−1 that a shuffling DataLoader draws from {@code generator} for one pass
   * (Fisher-Yates), so that other training loops (jgrad-spark's) can visit the same batches.
   *
   * <pre>{@code
   * Generator g = new Generator(42);
   * int[] first = DataLoader.permutation(60_000, g);   // a DataLoader seeded 42: its first pass
   * }</pre>
   */
  public static int[] permutation(int n, Generator generator) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = generator.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private Batch make(int[] order, int b) {
    int from = b * batchSize; // b < batches(), so below order.length
    int to = from + Math.min(batchSize, order.length - from);
    int[] idx = java.util.Arrays.copyOfRange(order, from, to);
    return new Batch(new Tensor(dataset.inputs(idx)), new Tensor(dataset.targets(idx)));
  }

  /** A new pass over the data (a new permutation when shuffling). */
  @Override
  public Iterator<Batch> iterator() {
    int[] order = order();
    int count = batches();
    return new Iterator<>() {
      private int next;
      private CompletableFuture<Batch> ahead = schedule(0);

      private CompletableFuture<Batch> schedule(int b) {
        if (!prefetch || b >= count) {
          return null;
        }
        return CompletableFuture.supplyAsync(() -> make(order, b), PREFETCH);
      }

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Batch next() {
        if (next >= count) {
          throw new NoSuchElementException();
        }
        Batch b = ahead != null ? ahead.join() : make(order, next);
        next++;
        ahead = schedule(next);
        return b;
      }
    };
  }
}
