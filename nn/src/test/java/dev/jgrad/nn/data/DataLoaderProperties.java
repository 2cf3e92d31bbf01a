package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link DataLoader} with the {@link Batch}es it makes, over any {@link Dataset} (here also one
 * that has only the per-example methods, so the interface's default stacking is used).
 */
class DataLoaderProperties {

  @Property(tries = 20)
  void theLoaderVisitsEveryExampleOncePerEpochInASeededOrder(
      @ForAll @IntRange(min = 1, max = 50) int n,
      @ForAll @IntRange(min = 1, max = 16) int batch,
      @ForAll boolean dropLast,
      @ForAll boolean prefetch,
      @ForAll long seed) {
    NDArray x = NDArray.arange(n).to(dev.jgrad.tensor.DType.FLOAT32).reshape(n, 1);
    TensorDataset d = new TensorDataset(x, NDArray.arange(n));
    DataLoader a = new DataLoader(d, batch, true, seed, dropLast).prefetch(prefetch);
    DataLoader b = new DataLoader(d, batch, true, seed, dropLast);
    for (int epoch = 0; epoch < 2; epoch++) {
      List<Integer> seen = new ArrayList<>();
      List<Integer> again = new ArrayList<>();
      for (Batch bt : a) {
        assertTrue(bt.size() == batch || !dropLast);
        for (int v : bt.targets().data().toIntArray()) {
          seen.add(v);
        }
        assertArrayEquals(
            bt.targets().data().toFloatArray(), bt.inputs().data().reshape(-1).toFloatArray());
      }
      for (Batch bt : b) {
        for (int v : bt.targets().data().toIntArray()) {
          again.add(v);
        }
      }
      assertEquals(seen, again, "the same seed gives the same order");
      Set<Integer> unique = new HashSet<>(seen);
      assertEquals(seen.size(), unique.size());
      assertEquals(dropLast ? n / batch * batch : n, seen.size());
      assertEquals(a.batches(), dropLast ? n / batch : (n + batch - 1) / batch);
    }
  }

  /** Examples i ↦ (input [i, −i], target i), with only the per-example methods. */
  static final class Counting implements Dataset {
    final int n;

    Counting(int n) {
      this.n = n;
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public NDArray input(int index) {
      return NDArray.of((float) index, (float) -index);
    }

    @Override
    public NDArray target(int index) {
      return NDArray.scalar(dev.jgrad.tensor.DType.INT32, index);
    }
  }

  @Property(tries = 10)
  void inOrderBatchesStackTheExamples(
      @ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 8) int batch) {
    Counting data = new Counting(n);
    DataLoader loader = new DataLoader(data, batch);
    assertSame(data, loader.dataset());
    int next = 0;
    for (Batch b : loader) {
      assertEquals(Math.min(batch, n - next), b.size());
      assertArrayEquals(new int[] {b.size(), 2}, b.inputs().shape());
      assertArrayEquals(new int[] {b.size()}, b.targets().shape());
      for (int i = 0; i < b.size(); i++) {
        assertEquals(next, b.targets().data().getInt(i));
        assertEquals(-next, b.inputs().data().getFloat(i, 1));
        next++;
      }
    }
    assertEquals(n, next);
  }

  /** Batch sizes up to Integer.MAX_VALUE: ⌈n / batchSize⌉ batches, the last one partial. */
  @Property(tries = 30)
  void batchCountsDoNotOverflowForHugeBatchSizes(
      @ForAll @IntRange(min = 0, max = 40) int n,
      @ForAll @IntRange(min = Integer.MAX_VALUE - 40, max = Integer.MAX_VALUE) int batch,
      @ForAll boolean dropLast) {
    DataLoader loader = new DataLoader(new Counting(n), batch, false, 0, dropLast);
    int want = dropLast || n == 0 ? 0 : 1;
    assertEquals(want, loader.batches());
    int seen = 0;
    for (Batch b : loader) {
      assertEquals(n, b.size());
      seen++;
    }
    assertEquals(want, seen);
  }

  @Test
  void anExhaustedPassSaysSoAndBatchSizeMustBePositive() {
    Iterator<Batch> it = new DataLoader(new Counting(3), 2).iterator();
    it.next();
    it.next();
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(new Counting(3), 0));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
  }
}
