package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * sort, argsort and topk against a reference that ranks each row by counting (selection by
 * comparison counts, no library sort): covers {@code Sorting}. Values are drawn from a few integers
 * so that ties are common and the stable order is tested.
 */
class SortingProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes(0, 3);
  }

  /**
   * The reference position of element i of a row after a stable sort: the number of elements that
   * come before it (smaller, or equal and earlier; NaN above everything).
   */
  static int rank(double[] row, int i, boolean descending) {
    int before = 0;
    for (int j = 0; j < row.length; j++) {
      int c = compare(row[j], row[i]);
      if (descending) {
        c = -c;
      }
      if (c < 0 || (c == 0 && j < i)) {
        before++;
      }
    }
    return before;
  }

  static int compare(double x, double y) {
    boolean xn = Double.isNaN(x);
    boolean yn = Double.isNaN(y);
    if (xn || yn) {
      return xn == yn ? 0 : xn ? 1 : -1;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * The row of the model along dim through the position {@code at} (whose dim entry is ignored).
   */
  static double[] row(Model m, int dim, int[] at) {
    double[] r = new double[m.shape()[dim]];
    for (int i = 0; i < r.length; i++) {
      int[] idx = at.clone();
      idx[dim] = i;
      r[i] = m.get(idx);
    }
    return r;
  }

  @Property(tries = 150)
  void sortArgsortAndTopkFollowTheStableOrder(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll DType dtype,
      @ForAll int dimSeed,
      @ForAll boolean descending,
      @ForAll int kSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -3, 3);
    // few distinct values: ties everywhere; FLOAT arrays also get NaN and −0.0
    NDArray x = a.array().to(DType.FLOAT64).mul(2).to(DType.INT32).to(dtype);
    if (dtype.isFloatingPoint() && x.numel() > 0) {
      x = x.maskedFill(x.eq(5), Double.NaN).maskedFill(x.eq(-5), -0.0);
    }
    Model m = Model.of(shape, x.toDoubleArray());
    boolean scalar = shape.length == 0;
    int dim = scalar ? 0 : Math.floorMod(dimSeed, shape.length);
    Model vm = scalar ? Model.of(new int[] {1}, m.values()) : m;
    int[] s = vm.shape();
    int n = s[dim];
    int k = Math.floorMod(kSeed, n + 1);
    ValuesAndIndices sorted = x.sort(dim, descending);
    NDArray order = x.argsort(dim, descending);
    ValuesAndIndices top = x.topk(k, dim, descending, true);
    assertArrayEquals(shape, sorted.values().shape());
    assertArrayEquals(shape, order.shape());
    assertEquals(x.dtype(), sorted.values().dtype());
    NDArray sv = scalar ? sorted.values().reshape(1) : sorted.values();
    NDArray si = scalar ? sorted.indices().reshape(1) : sorted.indices();
    NDArray oi = scalar ? order.reshape(1) : order;
    NDArray tv = scalar ? top.values().reshape(k) : top.values();
    NDArray ti = scalar ? top.indices().reshape(k) : top.indices();
    for (int f = 0; f < vm.values().length; f++) {
      int[] at = Model.unflat(s, f);
      double[] r = row(vm, dim, at);
      int i = at[dim];
      int p = rank(r, i, descending); // element i of the row lands at position p
      int[] dest = at.clone();
      dest[dim] = p;
      assertEquals(i, si.getInt(dest), "sort index at " + java.util.Arrays.toString(dest));
      assertEquals(i, oi.getInt(dest), "argsort at " + java.util.Arrays.toString(dest));
      assertEquals(
          Double.doubleToLongBits(r[i] + 0.0), // −0.0 and 0.0 tie, so either may appear
          Double.doubleToLongBits(sv.getDouble(dest) + 0.0),
          "sorted value at " + java.util.Arrays.toString(dest));
      if (p < k) {
        assertEquals(i, ti.getInt(dest), "topk index");
        assertEquals(r[i] + 0.0, tv.getDouble(dest) + 0.0, "topk value");
      }
    }
  }

  /** Long rows with many ties: top-k's one-pass selection gives the stable sort's first k. */
  @Property(tries = 40)
  void topkSelectionAgreesWithTheStableSort(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int n,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 40) int k,
      @ForAll boolean largest,
      @ForAll long seed) {
    net.jqwik.api.Assume.that(k <= n);
    NDArray x = NDArray.randint(new Generator(seed), -4, 5, 3, n).to(DType.FLOAT32);
    x = x.maskedFill(x.eq(4), Double.NaN);
    ValuesAndIndices top = x.topk(k, 1, largest, true);
    ValuesAndIndices sorted = x.sort(1, largest);
    assertArrayEquals(sorted.indices().narrow(1, 0, k).toIntArray(), top.indices().toIntArray());
    assertArrayEquals(sorted.values().narrow(1, 0, k).toFloatArray(), top.values().toFloatArray());
    // and the sort itself: each row's indices are a permutation in the stable order
    for (int r = 0; r < 3; r++) {
      double[] row = x.select(0, r).toDoubleArray();
      int[] order = sorted.indices().select(0, r).toIntArray();
      for (int i = 0; i < n; i++) {
        assertEquals(i, rank(row, order[i], largest), "row " + r + " position " + i);
      }
    }
  }

  @Test
  void rowsSharedAmongThreadsGiveTheSameResult() {
    NDArray x = NDArray.randint(new Generator(8), -50, 50, 300, 1000).to(DType.FLOAT32);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      ValuesAndIndices one = x.sort(1, true);
      NDArray oneTop = x.topk(40, 1, false, true).indices();
      Parallel.setThreads(2);
      ValuesAndIndices two = x.sort(1, true);
      assertArrayEquals(one.indices().toIntArray(), two.indices().toIntArray());
      assertArrayEquals(one.values().toFloatArray(), two.values().toFloatArray());
      assertArrayEquals(oneTop.toIntArray(), x.topk(40, 1, false, true).indices().toIntArray());
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void topkRefusesAKLargerThanTheDim() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NDArray.zeros(2, 3).topk(4, 1, true, true));
    assertEquals("topk: k = 4 is out of range for dim 1 of size 3 in shape [2, 3]", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> NDArray.zeros(2, 3).sort(2, false));
    assertTrue(NDArray.zeros(2, 0).sort(1, true).values().numel() == 0);
  }
}
