package dev.jgrad.tensor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The intra-op thread pool shared by all kernels.
 *
 * <p>Kernels split their work into a fixed number of chunks that depends only on the problem size,
 * never on the thread count, so a computation gives bit-identical results on 1 or N threads. The
 * calling thread works on chunks too; small work (a single chunk) never leaves the caller.
 *
 * <pre>{@code
 * Parallel.setThreads(1);   // e.g. for a benchmark on one core
 * }</pre>
 */
public final class Parallel {
  private static final Object LOCK = new Object();
  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static ExecutorService pool;
  private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);

  private Parallel() {}

  /** The number of threads kernels use (the caller included). Defaults to the processor count. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets the number of threads kernels use, the caller included. Safe while kernels run on other
   * threads: the next kernel gets a new pool of the new size, and the old pool is shut down
   * gracefully, running the chunks already handed to it (kernels hand theirs out under the same
   * lock, so none is handed to a pool that is shut down).
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("setThreads: need at least 1 thread, got " + n);
    }
    synchronized (LOCK) {
      if (n != threads && pool != null) {
        pool.shutdown(); // finishes what it was given, then its threads end
        pool = null;
      }
      threads = n;
    }
  }

  /** The current pool, made on first use; the caller holds {@code LOCK}. */
  private static ExecutorService pool() {
    synchronized (LOCK) {
      if (pool == null) {
        pool =
            Executors.newFixedThreadPool(
                Math.max(1, threads - 1), // threads may have dropped to 1 since the caller read it
                r -> {
                  Thread t =
                      new Thread(
                          () -> {
                            IN_WORKER.set(true);
                            r.run();
                          },
                          "jgrad-worker");
                  t.setDaemon(true);
                  return t;
                });
      }
      return pool;
    }
  }

  /**
   * Runs {@code body} for every chunk index in {@code [0, chunks)}, in parallel when there are
   * several chunks and several threads. Returns when all chunks are done; the first exception a
   * chunk throws is rethrown.
   */
  public static void forEachChunk(int chunks, IntConsumer body) {
    int t = threads;
    if (chunks <= 1 || t == 1 || IN_WORKER.get()) {
      for (int c = 0; c < chunks; c++) {
        body.accept(c);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(chunks);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            try {
              if (failure.get() == null) {
                body.accept(c);
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            } finally {
              done.countDown();
            }
          }
        };
    synchronized (LOCK) { // so that setThreads cannot shut this pool down between the two
      ExecutorService executor = pool();
      for (int i = Math.min(t, chunks) - 1; i > 0; i--) {
        executor.execute(worker);
      }
    }
    worker.run();
    // Every chunk is claimed now; wait for those that helpers are still running. A helper that
    // never started finds nothing left to claim.
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    if (e != null) {
      throw new IllegalStateException(e);
    }
  }

  /** Receives a half-open range of work items. */
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Splits {@code [0, n)} into fixed ranges of {@code grain} items and runs them in parallel. Work
   * of fewer than two grains, or any work on one thread, runs on the calling thread as one range:
   * the body must give the same result however {@code [0, n)} is split.
   */
  public static void forEachRange(int n, int grain, RangeBody body) {
    if (n < 2 * grain || threads == 1) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    forEachChunk(
        chunkCount(n, grain),
        c -> {
          int from = c * grain;
          body.run(from, Math.min(n, from + grain));
        });
  }

  /** The number of fixed-size chunks covering {@code n} units of work. */
  static int chunkCount(long n, long chunkSize) {
    return (int) Math.max(1, (n + chunkSize - 1) / chunkSize);
  }
}
