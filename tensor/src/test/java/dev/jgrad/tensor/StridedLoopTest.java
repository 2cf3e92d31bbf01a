package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class StridedLoopTest {

  @Test
  void aContiguousArrayOfAnyRankIsOneRow() {
    StridedLoop loop = StridedLoop.of(new int[] {2, 3, 4}, new int[] {5}, new int[] {12, 4, 1});
    assertEquals(1, loop.rows);
    assertEquals(24, loop.inner);
    assertArrayEquals(new int[] {1}, loop.innerStrides);
    List<String> rows = new ArrayList<>();
    loop.run((o, n) -> rows.add(o[0] + "+" + n));
    assertEquals(List.of("5+24"), rows);
  }

  @Test
  void aTransposeWalksRowsInTheOutputsOrder() {
    // out [3, 2] contiguous; in = a [2, 3] matrix transposed (strides 1, 3); size-1 dims dropped.
    StridedLoop loop =
        StridedLoop.of(
            new int[] {3, 1, 2}, new int[] {0, 0}, new int[] {2, 2, 1}, new int[] {1, 1, 3});
    assertEquals(3, loop.rows);
    assertEquals(2, loop.inner);
    assertArrayEquals(new int[] {1, 3}, loop.innerStrides);
    List<String> rows = new ArrayList<>();
    loop.run((o, n) -> rows.add(o[0] + "," + o[1]));
    assertEquals(List.of("0,0", "2,1", "4,2"), rows);
  }

  @Test
  void broadcastDimsKeepStrideZero() {
    // a row of 4 added to each of 3 rows: the row's outer stride is 0.
    StridedLoop loop =
        StridedLoop.of(new int[] {3, 4}, new int[] {0, 7}, new int[] {4, 1}, new int[] {0, 1});
    List<String> rows = new ArrayList<>();
    loop.run((o, n) -> rows.add(o[0] + "," + o[1]));
    assertEquals(List.of("0,7", "4,7", "8,7"), rows);
  }

  @Test
  void emptyShapesVisitNothingAndScalarsOneElement() {
    int[] visits = new int[1];
    StridedLoop.of(new int[] {4, 0}, new int[] {0}, new int[] {0, 1}).run((o, n) -> visits[0] += n);
    assertEquals(0, visits[0]);
    StridedLoop.of(new int[0], new int[] {3}, new int[0]).run((o, n) -> visits[0] += n);
    assertEquals(1, visits[0]);
  }

  @Test
  void parallelRunsVisitEveryElementOnceInFixedChunks() {
    int before = Parallel.threads();
    try {
      for (int[] shape : new int[][] {{300_001}, {700, 513}}) {
        int n = shape.length == 1 ? shape[0] : shape[0] * shape[1];
        int[] strides = shape.length == 1 ? new int[] {1} : new int[] {513, 1};
        for (int threads : new int[] {1, 2}) {
          Parallel.setThreads(threads);
          AtomicIntegerArray seen = new AtomicIntegerArray(n);
          StridedLoop.of(shape, new int[] {0}, strides)
              .runParallel(
                  (o, len) -> {
                    for (int i = 0; i < len; i++) {
                      seen.incrementAndGet(o[0] + i);
                    }
                  });
          for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "element " + i + " on " + threads + " threads");
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
