package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
  private int before;

  @BeforeEach
  void remember() {
    before = Parallel.threads();
  }

  @AfterEach
  void restore() {
    Parallel.setThreads(before);
  }

  @Test
  void everyChunkRunsExactlyOnceOnAnyThreadCount() {
    for (int threads : new int[] {1, 2, 3}) {
      Parallel.setThreads(threads);
      assertEquals(threads, Parallel.threads());
      AtomicIntegerArray runs = new AtomicIntegerArray(37);
      Parallel.forEachChunk(37, runs::incrementAndGet);
      for (int c = 0; c < 37; c++) {
        assertEquals(1, runs.get(c), "chunk " + c + " on " + threads + " threads");
      }
    }
  }

  @Test
  void rangesCoverTheWorkOnceInGrainSizedPieces() {
    Parallel.setThreads(2);
    List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    Parallel.forEachRange(1000, 300, (from, to) -> ranges.add(from + ".." + to));
    Collections.sort(ranges);
    assertEquals(List.of("0..300", "300..600", "600..900", "900..1000"), ranges);
    List<String> small = new ArrayList<>();
    Parallel.forEachRange(500, 300, (from, to) -> small.add(from + ".." + to));
    assertEquals(List.of("0..500"), small); // under two grains: one range on the caller
    Parallel.setThreads(1);
    Parallel.forEachRange(1000, 300, (from, to) -> small.add(from + ".." + to));
    assertEquals(List.of("0..500", "0..1000"), small); // one thread: one range
    Parallel.forEachRange(0, 300, (from, to) -> small.add("empty"));
    assertEquals(2, small.size());
  }

  @Test
  void aChunksExceptionReachesTheCaller() {
    Parallel.setThreads(2);
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.forEachChunk(
                    8,
                    c -> {
                      if (c == 5) {
                        throw boom;
                      }
                    }));
    assertSame(boom, e);
    AssertionError error = new AssertionError("error");
    assertSame(
        error,
        assertThrows(
            AssertionError.class,
            () ->
                Parallel.forEachChunk(
                    4,
                    c -> {
                      throw error;
                    })));
    AtomicIntegerArray after = new AtomicIntegerArray(1);
    Parallel.forEachChunk(3, c -> after.incrementAndGet(0)); // the pool still works
    assertEquals(3, after.get(0));
  }

  @Test
  void theThreadCountMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    assertTrue(e.getMessage().contains("setThreads"), e.getMessage());
    assertEquals(before, Parallel.threads());
  }

  @Test
  void chunkCountsRoundUpAndNeverReachZero() {
    assertArrayEquals(
        new int[] {1, 1, 1, 2, 4},
        new int[] {
          Parallel.chunkCount(0, 10),
          Parallel.chunkCount(1, 10),
          Parallel.chunkCount(10, 10),
          Parallel.chunkCount(11, 10),
          Parallel.chunkCount(31, 10)
        });
  }

  /**
   * setThreads while other threads run parallel kernels: a kernel that took the pool just before it
   * was replaced still hands its chunks out and finishes (it was refused with a
   * RejectedExecutionException), and every chunk runs exactly once. Two threads start together from
   * a latch; one runs kernels back to back, the other changes the thread count back and forth until
   * the kernels are done, so the two interleave at every point.
   */
  @Test
  void setThreadsWhileKernelsRunIsSafe() throws Exception {
    Parallel.setThreads(2);
    int kernels = 20_000;
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<int[]> work =
          callers.submit(
              () -> {
                ready.countDown();
                go.await();
                int[] wrong = new int[2]; // {kernels with a chunk not run exactly once, index}
                try {
                  for (int k = 0; k < kernels; k++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(8);
                    Parallel.forEachChunk(8, runs::incrementAndGet);
                    for (int c = 0; c < 8; c++) {
                      if (runs.get(c) != 1) {
                        wrong[0]++;
                        wrong[1] = k;
                      }
                    }
                  }
                } finally {
                  finished.set(true);
                }
                return wrong;
              });
      java.util.concurrent.Future<Integer> resizes =
          callers.submit(
              () -> {
                ready.countDown();
                go.await();
                int n = 0;
                while (!finished.get()) {
                  Parallel.setThreads(2 + n++ % 3);
                }
                return n;
              });
      ready.await();
      go.countDown();
      int[] wrong = work.get();
      assertEquals(
          0, wrong[0], "kernels with a chunk run other than once (last: " + wrong[1] + ")");
      assertTrue(resizes.get() > 0);
    } finally {
      callers.shutdownNow();
    }
  }
}
