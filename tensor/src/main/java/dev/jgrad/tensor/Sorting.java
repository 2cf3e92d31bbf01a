package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * Sorting along one dim: sort, argsort and top-k. Each row along the dim is ordered by a stable
 * sort on {@link #ascending}, PyTorch's order: NaN above every number, −0.0 equal to 0.0, equal
 * values keeping their order of appearance (in both directions).
 */
final class Sorting {
  private Sorting() {}

  /** PyTorch's ascending order of values: NaN is the largest, −0.0 and 0.0 are equal. */
  static int ascending(double x, double y) {
    if (x == y) {
      return 0;
    }
    boolean xNaN = x != x;
    boolean yNaN = y != y;
    if (xNaN || yNaN) {
      return xNaN && yNaN ? 0 : xNaN ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }

  static ValuesAndIndices sort(NDArray a, int dim, boolean descending) {
    int d = Shapes.normalizeDim("sort", dim, Math.max(1, a.rank()));
    int n = a.rank() == 0 ? 1 : a.shape[d];
    return firstK("sort", a, d, n, descending, true);
  }

  static NDArray argsort(NDArray a, int dim, boolean descending) {
    int d = Shapes.normalizeDim("argsort", dim, Math.max(1, a.rank()));
    int n = a.rank() == 0 ? 1 : a.shape[d];
    return firstK("argsort", a, d, n, descending, false).indices();
  }

  static ValuesAndIndices topk(NDArray a, int k, int dim, boolean largest) {
    int d = Shapes.normalizeDim("topk", dim, Math.max(1, a.rank()));
    int n = a.rank() == 0 ? 1 : a.shape[d];
    if (k < 0 || k > n) {
      throw new IllegalArgumentException(
          String.format(
              "topk: k = %d is out of range for dim %d of size %d in shape %s",
              k, d, n, Shapes.toString(a.shape)));
    }
    return firstK("topk", a, d, k, largest, true);
  }

  /**
   * The first {@code k} elements of every row along {@code d} once sorted (descending or not), and
   * their INT32 positions in the row; values only when asked for. The outputs are contiguous, with
   * {@code a}'s shape except k along d.
   */
  private static ValuesAndIndices firstK(
      String op, NDArray a, int d, int k, boolean descending, boolean withValues) {
    NDArray x = a.rank() == 0 ? a.reshape(1) : a;
    int last = x.rank() - 1;
    NDArray rows = x.transpose(d, last); // each row along d is now a row along the last dim
    int len = rows.shape[last];
    int stride = rows.strides[last];
    // each thread sorts a row at a time in scratch arrays as long as the row (keys in double)
    Shapes.checkAllocation(
        op,
        len,
        Double.BYTES + Long.BYTES + 2 * Integer.BYTES,
        " (the scratch of a row of the input of shape " + Shapes.toString(a.shape) + ")");
    int[] outShape = rows.shape.clone();
    outShape[last] = k;
    NDArray values = withValues ? Creation.empty(op, a.dtype, outShape) : null;
    NDArray indices = Creation.empty(op, DType.INT32, outShape);
    int[] idx = (int[]) indices.data;
    int count = len == 0 ? Shapes.numel(Arrays.copyOf(rows.shape, last)) : rows.numel() / len;
    boolean ints = a.dtype == DType.INT32;
    Object valueData = values == null ? null : values.data;
    boolean wide = a.dtype == DType.FLOAT64; // 64-bit keys: no packed sort
    // Rows are independent: threads take fixed ranges of them, each with its own scratch.
    Parallel.forEachRange(
        count,
        Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(len, 1)),
        (from, to) -> {
          double[] key = new double[len];
          int[] order = new int[len];
          int[] scratch = wide ? new int[len] : null;
          long[] packed = wide ? null : new long[len];
          for (int r = from; r < to; r++) {
            int base = rows.offset;
            for (int q = last - 1, rest = r; q >= 0; q--) { // row r's multi-index, dim by dim
              base += (rest % rows.shape[q]) * rows.strides[q];
              rest /= rows.shape[q];
            }
            load(rows.data, base, stride, key);
            if (k <= SELECT_MAX_K && 4 * k <= len) {
              select(key, descending, k, order); // the first k only: one pass over the row
            } else if (!wide) {
              packedSort(key, descending, ints, packed, order);
            } else {
              for (int i = 0; i < len; i++) {
                order[i] = i;
              }
              mergeSort(key, descending, order, scratch);
            }
            for (int i = 0; i < k; i++) {
              idx[r * k + i] = order[i];
              if (valueData != null) {
                Storage.set(valueData, r * k + i, key[order[i]]);
              }
            }
          }
        });
    indices = indices.transpose(d, last).contiguous();
    values = values == null ? null : values.transpose(d, last).contiguous();
    if (a.rank() == 0 && k == 1) { // a 0-d input gives 0-d results (or [0] for top-0)
      indices = indices.reshape();
      values = values == null ? null : values.reshape();
    }
    return new ValuesAndIndices(values, indices);
  }

  /**
   * The stable order of 32-bit keys (FLOAT32 or INT32 values) by one primitive sort of longs: the
   * key, mapped to an int whose signed order is {@link #ascending} (and complemented for
   * descending), in the high half, the position in the low half, so that equal keys come out by
   * position.
   */
  static void packedSort(
      double[] key, boolean descending, boolean ints, long[] packed, int[] order) {
    int n = key.length;
    for (int i = 0; i < n; i++) {
      int k = ints ? (int) key[i] : orderedBits((float) key[i]);
      packed[i] = ((long) (descending ? ~k : k) << 32) | i;
    }
    Arrays.sort(packed);
    for (int i = 0; i < n; i++) {
      order[i] = (int) packed[i];
    }
  }

  /**
   * An int whose signed order is the float's order under {@link #ascending}: −0.0 as 0.0, every NaN
   * as one value above +∞.
   */
  static int orderedBits(float f) {
    int b = Float.floatToIntBits(f + 0.0f); // −0.0 + 0.0 = +0.0; every NaN to the canonical one
    return b ^ ((b >> 31) & 0x7fffffff); // negative floats: reverse their magnitude order
  }

  /** Below this k (and a quarter of the row), top-k selects in one pass instead of sorting. */
  static final int SELECT_MAX_K = 32;

  /** Element i of the strided row at {@code base} into key[i], one dtype dispatch per row. */
  private static void load(Object data, int base, int stride, double[] key) {
    int n = key.length;
    if (data instanceof float[] f) {
      for (int i = 0; i < n; i++) {
        key[i] = f[base + i * stride];
      }
    } else if (data instanceof double[] v) {
      for (int i = 0; i < n; i++) {
        key[i] = v[base + i * stride];
      }
    } else {
      int[] v = (int[]) data;
      for (int i = 0; i < n; i++) {
        key[i] = v[base + i * stride];
      }
    }
  }

  /** True when key x goes before key y in the requested direction (ties: neither goes first). */
  private static boolean before(double x, double y, boolean descending) {
    int c = ascending(x, y);
    return descending ? c > 0 : c < 0;
  }

  /**
   * The positions of the first {@code k} keys in the stable order, into order[0..k): a sorted
   * buffer of the best so far, which a later key enters only when strictly before its last (so ties
   * keep the earlier position, as the stable sort does).
   */
  static void select(double[] key, boolean descending, int k, int[] order) {
    if (k == 0) {
      return;
    }
    int held = 0;
    for (int i = 0; i < key.length; i++) {
      if (held == k && !before(key[i], key[order[k - 1]], descending)) {
        continue;
      }
      int j = held < k ? held++ : k - 1;
      while (j > 0 && before(key[i], key[order[j - 1]], descending)) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
  }

  /**
   * Sorts the positions {@code order} (holding 0..n−1) by their keys, stably: a bottom-up merge
   * sort on ints (no boxing), whose merges take from the left run on ties.
   */
  static void mergeSort(double[] key, boolean descending, int[] order, int[] scratch) {
    int n = order.length;
    int[] from = order;
    int[] to = scratch;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          boolean left;
          if (i >= mid) {
            left = false;
          } else if (j >= hi) {
            left = true;
          } else {
            int c = ascending(key[from[i]], key[from[j]]);
            left = descending ? c >= 0 : c <= 0;
          }
          to[k] = left ? from[i++] : from[j++];
        }
      }
      int[] t = from;
      from = to;
      to = t;
    }
    if (from != order) {
      System.arraycopy(from, 0, order, 0, n);
    }
  }
}
