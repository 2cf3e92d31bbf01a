package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order in which {@link DataLoader} visits a data set (issue #14, mutation testing): in index
 * order without shuffling, and with shuffling the textbook Fisher-Yates shuffle (for i from n − 1
 * down to 1, swap i with a uniform j in [0, i]), written out here as the reference, drawing exactly
 * n − 1 numbers a pass, so that the second pass and any code replaying {@link
 * DataLoader#permutation} (jgrad-spark's loops) see the same orders.
 */
class DataLoaderOrderTest {

  /** The Fisher-Yates shuffle of 0..n−1, written out. */
  static int[] fisherYates(int n, Generator g) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i >= 1; i--) {
      int j = g.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** The targets of every batch of one pass: the sample indices, as the targets are 0..n−1. */
  static int[] pass(DataLoader loader) {
    List<Integer> seen = new ArrayList<>();
    for (Batch b : loader) {
      for (int v : b.targets().data().toIntArray()) {
        seen.add(v);
      }
    }
    return seen.stream().mapToInt(Integer::intValue).toArray();
  }

  static TensorDataset indexed(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return new TensorDataset(NDArray.zeros(n, 1), NDArray.fromArray(ids, n));
  }

  @Test
  void permutationIsFisherYatesDrawingNMinusOneNumbers() {
    for (int n : new int[] {1, 2, 3, 10, 57}) {
      Generator a = new Generator(n);
      Generator b = new Generator(n);
      // two passes in a row: a draw too many or too few in the first changes the second
      assertArrayEquals(fisherYates(n, b), DataLoader.permutation(n, a), "n = " + n);
      assertArrayEquals(fisherYates(n, b), DataLoader.permutation(n, a), "second pass, n = " + n);
      assertEquals(b.nextLong(), a.nextLong());
    }
  }

  @Test
  void aLoaderVisitsInIndexOrderOrInItsSeedsShuffledOrder() {
    int n = 23;
    int[] inOrder = pass(new DataLoader(indexed(n), 5));
    assertEquals(n, inOrder.length);
    for (int i = 0; i < n; i++) {
      assertEquals(i, inOrder[i]);
    }
    DataLoader shuffled = new DataLoader(indexed(n), 4, true, 7, false);
    Generator g = new Generator(7);
    assertArrayEquals(fisherYates(n, g), pass(shuffled));
    assertArrayEquals(fisherYates(n, g), pass(shuffled), "the second epoch");
  }
}
