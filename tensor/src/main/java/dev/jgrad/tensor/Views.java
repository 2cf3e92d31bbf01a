package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * View algebra: new (shape, strides, offset) triples over an array's storage, computed without
 * touching an element. Element (i₀, …, iₖ) of a view lives at {@code offset + Σ i_d·strides[d]} of
 * the shared storage, so a transpose swaps two strides, a slice scales one and moves the offset,
 * and an expand sets a stride to 0; {@link #split} and {@link #chunk} are narrows. Only {@link
 * #reshape} (when the strides do not allow a view), {@link #cat} and {@link #stack} copy.
 */
final class Views {
  private Views() {}

  // ------------------------------------------------------------------ layout helpers

  /** True when an array of this shape and these strides lies in row-major order with no gaps. */
  static boolean isContiguous(int[] shape, int[] strides) {
    int expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] == 0) {
        return true;
      }
      if (shape[d] != 1 && strides[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /**
   * The storage position of the element at {@code index} (negative indices count from the end).
   *
   * @throws IllegalArgumentException when the index count is not the rank
   * @throws IndexOutOfBoundsException when an index lies outside its dim
   */
  static int storageIndex(String op, NDArray a, int[] index) {
    if (index.length != a.shape.length) {
      throw new IllegalArgumentException(
          op + ": " + index.length + " indices for an array of shape " + Shapes.toString(a.shape));
    }
    int at = a.offset;
    for (int d = 0; d < index.length; d++) {
      int i = index[d];
      int size = a.shape[d];
      if (i < -size || i >= size) {
        throw new IndexOutOfBoundsException(
            String.format("%s: index %d is out of bounds for dim %d with size %d", op, i, d, size));
      }
      at += (i < 0 ? i + size : i) * a.strides[d];
    }
    return at;
  }

  /** A copy of {@code a} without element {@code i}. */
  static int[] remove(int[] a, int i) {
    int[] r = new int[a.length - 1];
    System.arraycopy(a, 0, r, 0, i);
    System.arraycopy(a, i + 1, r, i, a.length - i - 1);
    return r;
  }

  /** A copy of {@code a} with {@code v} inserted at position {@code i}. */
  static int[] insert(int[] a, int i, int v) {
    int[] r = new int[a.length + 1];
    System.arraycopy(a, 0, r, 0, i);
    r[i] = v;
    System.arraycopy(a, i, r, i + 1, a.length - i);
    return r;
  }

  // ------------------------------------------------------------------ reshape and view

  static NDArray reshape(NDArray a, int[] newShape) {
    int[] s = inferShape("reshape", a, newShape);
    int[] st = viewStrides(a, s);
    return st != null ? new NDArray(a.dtype, a.data, s, st, a.offset) : view(a.clone(), s);
  }

  static NDArray view(NDArray a, int[] newShape) {
    int[] s = inferShape("view", a, newShape);
    int[] st = viewStrides(a, s);
    if (st == null) {
      throw new IllegalArgumentException(
          String.format(
              "view: shape %s is not compatible with the strides of an array of shape %s and"
                  + " strides %s; use reshape(), which copies",
              Shapes.toString(s), Shapes.toString(a.shape), Arrays.toString(a.strides)));
    }
    return new NDArray(a.dtype, a.data, s, st, a.offset);
  }

  /** {@code newShape} with its one −1 replaced by the size that keeps the element count. */
  private static int[] inferShape(String op, NDArray a, int[] newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int d = 0; d < s.length; d++) {
      if (s[d] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              op + ": only one dimension can be -1, got " + Arrays.toString(newShape));
        }
        infer = d;
      } else if (s[d] < 0) {
        throw new IllegalArgumentException(
            op + ": invalid size in shape " + Arrays.toString(newShape));
      } else {
        known *= s[d];
      }
    }
    int n = a.numel();
    if (infer >= 0 ? known == 0 || n % known != 0 : known != n) {
      throw new IllegalArgumentException(
          String.format(
              "%s: shape %s is invalid for input of shape %s (%d elements)",
              op, Arrays.toString(newShape), Shapes.toString(a.shape), n));
    }
    if (infer >= 0) {
      s[infer] = (int) (n / known);
    }
    return s;
  }

  /**
   * Strides that show {@code a}'s storage in {@code newShape} without copying, or null. Dims are
   * matched in chunks that are contiguous among themselves; each chunk must split into whole new
   * dims.
   */
  private static int[] viewStrides(NDArray a, int[] newShape) {
    int[] shape = a.shape;
    int[] strides = a.strides;
    int[] out = new int[newShape.length];
    if (a.numel() == 0 || shape.length == 0) {
      return Shapes.contiguousStrides(newShape);
    }
    int viewD = newShape.length - 1;
    int chunkBase = strides[shape.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      tensorNumel *= shape[d];
      boolean chunkEnds =
          d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase);
      if (chunkEnds) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
          out[viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= newShape[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (d > 0) {
          chunkBase = strides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1 ? out : null;
  }

  /** Dims {@code startDim..endDim} (inclusive) merged into one. */
  static NDArray flatten(NDArray a, int startDim, int endDim) {
    int rank = a.rank();
    int first = Shapes.normalizeDim("flatten", startDim, rank); // a 0-d array has dims -1 and 0
    int last = Shapes.normalizeDim("flatten", endDim, rank);
    if (rank == 0) {
      return reshape(a, new int[] {1});
    }
    if (first > last) {
      throw new IllegalArgumentException(
          "flatten: startDim " + startDim + " comes after endDim " + endDim);
    }
    int[] s = new int[rank - (last - first)];
    int k = 0;
    for (int d = 0; d < first; d++) {
      s[k++] = a.shape[d];
    }
    int merged = 1;
    for (int d = first; d <= last; d++) {
      merged *= a.shape[d];
    }
    s[k++] = merged;
    for (int d = last + 1; d < rank; d++) {
      s[k++] = a.shape[d];
    }
    return reshape(a, s);
  }

  // ------------------------------------------------------------------ reordering dims

  static NDArray transpose(NDArray a, int dim0, int dim1) {
    int i = Shapes.normalizeDim("transpose", dim0, a.rank());
    int j = Shapes.normalizeDim("transpose", dim1, a.rank());
    if (a.rank() == 0) {
      return a;
    }
    int[] s = a.shape.clone();
    int[] st = a.strides.clone();
    s[i] = a.shape[j];
    s[j] = a.shape[i];
    st[i] = a.strides[j];
    st[j] = a.strides[i];
    return new NDArray(a.dtype, a.data, s, st, a.offset);
  }

  static NDArray t(NDArray a) {
    if (a.rank() > 2) {
      throw new IllegalArgumentException(
          "t: expects an array with at most 2 dims, got shape "
              + Shapes.toString(a.shape)
              + "; use transpose(dim0, dim1) or mT()");
    }
    return a.rank() < 2 ? a : transpose(a, 0, 1);
  }

  static NDArray mT(NDArray a) {
    if (a.rank() < 2) {
      throw new IllegalArgumentException(
          "mT: expects an array with at least 2 dims, got shape " + Shapes.toString(a.shape));
    }
    return transpose(a, -2, -1);
  }

  static NDArray permute(NDArray a, int[] order) {
    int rank = a.rank();
    if (order.length != rank) {
      throw new IllegalArgumentException(
          "permute: "
              + Arrays.toString(order)
              + " does not list the "
              + rank
              + " dims of shape "
              + Shapes.toString(a.shape));
    }
    int[] s = new int[rank];
    int[] st = new int[rank];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      int d = Shapes.normalizeDim("permute", order[i], rank);
      if (seen[d]) {
        throw new IllegalArgumentException(
            "permute: dim " + d + " repeats in " + Arrays.toString(order));
      }
      seen[d] = true;
      s[i] = a.shape[d];
      st[i] = a.strides[d];
    }
    return new NDArray(a.dtype, a.data, s, st, a.offset);
  }

  // ------------------------------------------------------------------ adding and removing dims

  static NDArray squeeze(NDArray a) {
    int n = 0;
    for (int size : a.shape) {
      n += size == 1 ? 0 : 1;
    }
    int[] s = new int[n];
    int[] st = new int[n];
    int k = 0;
    for (int d = 0; d < a.rank(); d++) {
      if (a.shape[d] != 1) {
        s[k] = a.shape[d];
        st[k++] = a.strides[d];
      }
    }
    return new NDArray(a.dtype, a.data, s, st, a.offset);
  }

  static NDArray squeeze(NDArray a, int dim) {
    if (a.rank() == 0) {
      Shapes.normalizeDim("squeeze", dim, 0);
      return a;
    }
    int d = Shapes.normalizeDim("squeeze", dim, a.rank());
    if (a.shape[d] != 1) {
      return a;
    }
    return new NDArray(a.dtype, a.data, remove(a.shape, d), remove(a.strides, d), a.offset);
  }

  static NDArray unsqueeze(NDArray a, int dim) {
    int d = Shapes.normalizeDim("unsqueeze", dim, a.rank() + 1);
    int stride = d < a.rank() ? a.shape[d] * a.strides[d] : 1;
    return new NDArray(
        a.dtype, a.data, insert(a.shape, d, 1), insert(a.strides, d, stride), a.offset);
  }

  /**
   * A view of {@code a} repeated to {@code newShape} through stride 0 on its size-1 dims and on new
   * leading dims; −1 keeps a size. {@code op} names the caller in errors.
   */
  static NDArray expand(String op, NDArray a, int[] newShape) {
    int rank = a.rank();
    if (newShape.length < rank) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the target shape %s has fewer dims than shape %s",
              op, Arrays.toString(newShape), Shapes.toString(a.shape)));
    }
    int lead = newShape.length - rank;
    int[] s = new int[newShape.length];
    int[] st = new int[newShape.length];
    for (int d = 0; d < newShape.length; d++) {
      int want = newShape[d];
      if (d < lead) {
        if (want < 0) {
          throw new IllegalArgumentException(
              op
                  + ": -1 is not allowed for the new leading dim "
                  + d
                  + " of "
                  + Arrays.toString(newShape));
        }
        s[d] = want;
        st[d] = 0;
        continue;
      }
      int have = a.shape[d - lead];
      if (want == -1) {
        want = have;
      }
      if (want == have) {
        s[d] = have;
        st[d] = a.strides[d - lead];
      } else if (have == 1 && want >= 0) {
        s[d] = want;
        st[d] = 0;
      } else {
        throw new IllegalArgumentException(
            String.format(
                "%s: shape %s cannot be expanded to %s (size %d at dim %d is not 1)",
                op, Shapes.toString(a.shape), Arrays.toString(newShape), have, d - lead));
      }
    }
    Shapes.checkShape(op, s);
    return new NDArray(a.dtype, a.data, s, st, a.offset);
  }

  // ------------------------------------------------------------------ parts of a dim

  static NDArray narrow(NDArray a, int dim, int start, int length) {
    int d = Shapes.normalizeDim("narrow", dim, a.rank());
    int size = a.shape[d];
    int from = start < 0 ? start + size : start;
    if (from < 0
        || from > size
        || length < 0
        || length > size - from) { // no from + length: overflow
      throw new IndexOutOfBoundsException(
          String.format(
              "narrow: start %d with length %d is out of range for dim %d of size %d (shape %s)",
              start, length, d, size, Shapes.toString(a.shape)));
    }
    int[] s = a.shape.clone();
    s[d] = length;
    return new NDArray(a.dtype, a.data, s, a.strides.clone(), a.offset + from * a.strides[d]);
  }

  /** Python's {@code a[start:end:step]} along {@code dim}: bounds clamped, step positive. */
  static NDArray slice(NDArray a, int dim, int start, int end, int step) {
    int d = Shapes.normalizeDim("slice", dim, a.rank());
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be positive, got " + step);
    }
    int size = a.shape[d];
    int from = clampIndex(start, size);
    int to = clampIndex(end, size);
    int len = to > from ? (to - from - 1) / step + 1 : 0; // ⌈(to − from)/step⌉ without overflow
    int[] s = a.shape.clone();
    int[] st = a.strides.clone();
    s[d] = len;
    // With two or more elements step < size and the product fits; with fewer it is never used to
    // move, and when it does not fit (a step near Integer.MAX_VALUE) the stride is kept.
    long scaled = (long) a.strides[d] * step;
    st[d] = scaled == (int) scaled ? (int) scaled : a.strides[d];
    return new NDArray(a.dtype, a.data, s, st, a.offset + (len > 0 ? from * a.strides[d] : 0));
  }

  /** A Python slice bound: negative counts from the end, then clamped into [0, size]. */
  private static int clampIndex(int i, int size) {
    int j = i < 0 ? i + size : i;
    return Math.max(0, Math.min(size, j));
  }

  static NDArray select(NDArray a, int dim, int index) {
    if (a.rank() == 0) { // normalizeDim lets dim 0 and -1 through for a 0-d array
      throw new IndexOutOfBoundsException(
          "select: a 0-d array (shape []) has no dim "
              + dim
              + " to select index "
              + index
              + " from");
    }
    int d = Shapes.normalizeDim("select", dim, a.rank());
    int size = a.shape[d];
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          String.format(
              "select: index %d is out of bounds for dim %d with size %d", index, d, size));
    }
    int i = index < 0 ? index + size : index;
    return new NDArray(
        a.dtype, a.data, remove(a.shape, d), remove(a.strides, d), a.offset + i * a.strides[d]);
  }

  // ------------------------------------------------------------------ splitting (views)

  /**
   * Consecutive pieces of {@code size} along a dim, the last one shorter when size does not divide
   * the dim; an empty dim gives one empty piece. Every piece is a {@link #narrow} view.
   */
  static List<NDArray> split(NDArray a, int size, int dim) {
    int d = checkSplittable("split", a, dim);
    if (size <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "split: size must be positive, got %d for shape %s", size, Shapes.toString(a.shape)));
    }
    int n = a.shape[d];
    long pieces = Math.max(1, ((long) n + size - 1) / size);
    // one view object (some 64 bytes) per piece: a count no heap holds is refused up front
    Shapes.checkAllocation(
        "split",
        pieces,
        64,
        " (views along dim " + d + " of shape " + Shapes.toString(a.shape) + ")");
    int[] sizes = new int[(int) pieces];
    for (int i = 0; i < pieces; i++) {
      sizes[i] = Math.min(size, n - i * size);
    }
    return pieces(a, d, sizes);
  }

  /** Pieces of the given sizes along a dim, which must add up to the dim's size. */
  static List<NDArray> split(NDArray a, int[] sizes, int dim) {
    int d = checkSplittable("split", a, dim);
    long total = 0;
    for (int s : sizes) {
      if (s < 0) {
        throw new IllegalArgumentException(
            "split: sizes must not be negative, got " + Arrays.toString(sizes));
      }
      total += s;
    }
    if (total != a.shape[d]) {
      throw new IllegalArgumentException(
          String.format(
              "split: sizes %s add up to %d, but dim %d of shape %s has size %d",
              Arrays.toString(sizes), total, d, Shapes.toString(a.shape), a.shape[d]));
    }
    return pieces(a, d, sizes);
  }

  /**
   * At most {@code chunks} pieces of ⌈n / chunks⌉ along a dim (fewer when the last ones would be
   * empty, as in PyTorch); an empty dim gives {@code chunks} empty pieces.
   */
  static List<NDArray> chunk(NDArray a, int chunks, int dim) {
    int d = checkSplittable("chunk", a, dim);
    if (chunks <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "chunk: the number of chunks must be positive, got %d for shape %s",
              chunks, Shapes.toString(a.shape)));
    }
    int n = a.shape[d];
    if (n == 0) {
      // one view object (some 64 bytes) per piece: a count no heap holds is refused up front
      Shapes.checkAllocation(
          "chunk",
          chunks,
          64,
          " (views along dim " + d + " of shape " + Shapes.toString(a.shape) + ")");
      return pieces(a, d, new int[chunks]);
    }
    return split(a, (int) (((long) n + chunks - 1) / chunks), d); // ⌈n / chunks⌉ without overflow
  }

  /** The dim to split along, normalised; a 0-d array has none. */
  private static int checkSplittable(String op, NDArray a, int dim) {
    if (a.rank() == 0) {
      throw new IllegalArgumentException(
          op + ": expects an array with at least 1 dim, got shape []");
    }
    return Shapes.normalizeDim(op, dim, a.rank());
  }

  private static List<NDArray> pieces(NDArray a, int d, int[] sizes) {
    NDArray[] out = new NDArray[sizes.length];
    int at = 0;
    for (int i = 0; i < sizes.length; i++) {
      out[i] = narrow(a, d, at, sizes[i]);
      at += sizes[i];
    }
    return List.of(out);
  }

  // ------------------------------------------------------------------ joining (copies)

  static NDArray cat(int dim, NDArray... arrays) {
    if (arrays.length == 0) {
      throw new IllegalArgumentException("cat: expected at least one array, got 0");
    }
    NDArray first = arrays[0];
    int d = Shapes.normalizeDim("cat", dim, first.rank());
    if (first.rank() == 0) {
      throw new IllegalArgumentException(
          "cat: zero-dimensional arrays (shape []) cannot be concatenated; stack them instead");
    }
    DType dtype = first.dtype;
    int total = 0;
    for (NDArray a : arrays) {
      boolean ok = a.rank() == first.rank();
      for (int k = 0; ok && k < a.rank(); k++) {
        ok = k == d || a.shape[k] == first.shape[k];
      }
      if (!ok) {
        throw new IllegalArgumentException(
            String.format(
                "cat: shapes %s and %s do not match except in dim %d",
                Shapes.toString(first.shape), Shapes.toString(a.shape), d));
      }
      total += a.shape[d];
      dtype = DType.promote(dtype, a.dtype);
    }
    int[] s = first.shape.clone();
    s[d] = total;
    NDArray out = Creation.empty("cat", dtype, s);
    int at = 0;
    for (NDArray a : arrays) {
      Elementwise.copy(narrow(out, d, at, a.shape[d]), a);
      at += a.shape[d];
    }
    return out;
  }

  static NDArray stack(int dim, NDArray... arrays) {
    if (arrays.length == 0) {
      throw new IllegalArgumentException("stack: expected at least one array, got 0");
    }
    int d = Shapes.normalizeDim("stack", dim, arrays[0].rank() + 1);
    NDArray[] expanded = new NDArray[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      if (!Arrays.equals(arrays[i].shape, arrays[0].shape)) {
        throw new IllegalArgumentException(
            String.format(
                "stack: expects arrays of one shape, got %s and %s",
                Shapes.toString(arrays[0].shape), Shapes.toString(arrays[i].shape)));
      }
      expanded[i] = unsqueeze(arrays[i], d);
    }
    return cat(d, expanded);
  }
}
