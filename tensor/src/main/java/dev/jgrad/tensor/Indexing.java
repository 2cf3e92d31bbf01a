package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/** Gather, scatter-add, index-select, index-add and one-hot, with every index checked. */
final class Indexing {
  private Indexing() {}

  private static void checkIndexArray(String op, NDArray index) {
    if (index.dtype != DType.INT32) {
      throw new IllegalArgumentException(
          op
              + ": index must be INT32, got "
              + index.dtype
              + " of shape "
              + Shapes.toString(index.shape));
    }
  }

  /** Checks rank and sizes for gather and scatterAdd: index fits inside {@code other} off dim. */
  private static int checkShapes(String op, NDArray self, int dim, NDArray index, NDArray other) {
    checkIndexArray(op, index);
    int d = Shapes.normalizeDim(op, dim, self.rank());
    if (index.rank() != self.rank()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: index of shape %s must have the same number of dims as the input of shape %s",
              op, Shapes.toString(index.shape), Shapes.toString(self.shape)));
    }
    if (other != null && other.rank() != index.rank()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: source of shape %s must have the same number of dims as the index of shape %s",
              op, Shapes.toString(other.shape), Shapes.toString(index.shape)));
    }
    for (int k = 0; k < index.rank(); k++) {
      boolean fits =
          (k == d || index.shape[k] <= self.shape[k])
              && (other == null || index.shape[k] <= other.shape[k]);
      if (!fits) {
        throw new IllegalArgumentException(
            String.format(
                "%s: index of shape %s is larger than the input of shape %s%s at dim %d",
                op,
                Shapes.toString(index.shape),
                Shapes.toString(self.shape),
                other == null ? "" : " or the source of shape " + Shapes.toString(other.shape),
                k));
      }
    }
    return d;
  }

  /** {@code a}'s strides with 0 along {@code dim}: every index along dim reads its start. */
  private static int[] stridesWithout(NDArray a, int dim) {
    int[] st = a.strides.clone();
    if (st.length > 0) {
      st[dim] = 0;
    }
    return st;
  }

  private static int checkedIndex(String op, int v, int size, int dim) {
    if (v < -size || v >= size) {
      throw new IndexOutOfBoundsException(
          String.format("%s: index %d is out of bounds for dim %d with size %d", op, v, dim, size));
    }
    return v < 0 ? v + size : v;
  }

  static NDArray gather(NDArray self, int dim, NDArray index) {
    int d = checkShapes("gather", self, dim, index, null);
    NDArray out = Creation.empty("gather", self.dtype, index.shape);
    int size = self.rank() == 0 ? 1 : self.shape[d];
    int step = self.rank() == 0 ? 0 : self.strides[d];
    StridedLoop loop =
        StridedLoop.of(
            index.shape,
            new int[] {out.offset, index.offset, self.offset},
            out.strides,
            index.strides,
            stridesWithout(self, d));
    int[] s = loop.innerStrides;
    int[] idx = (int[]) index.data;
    loop.run(
        (o, n) -> {
          for (int i = 0; i < n; i++) {
            int k = checkedIndex("gather", idx[o[1] + i * s[1]], size, d);
            Storage.set(
                out.data, o[0] + i * s[0], Storage.get(self.data, o[2] + i * s[2] + k * step));
          }
        });
    return out;
  }

  static NDArray scatterAdd(NDArray self, int dim, NDArray index, NDArray src, boolean inPlace) {
    String op = inPlace ? "scatterAddInPlace" : "scatterAdd";
    int d = checkShapes(op, self, dim, index, src);
    if (inPlace) {
      self.checkWritable(op);
    }
    Shapes.checkAllocation(op, src.shape, self.dtype.byteSize()); // src.to copies it
    Shapes.checkAllocation(op, self.shape, self.dtype.byteSize()); // and self.clone() self
    NDArray out = inPlace ? self : self.clone();
    // a source sharing the destination's storage is read from a copy
    NDArray source = src.data == out.data ? src.clone().to(self.dtype) : src.to(self.dtype);
    if (isRowScatter(out, d, index, source)) {
      if (inPlace) { // check every index first, so a bad one leaves nothing half-written
        int n = out.shape[d];
        int[] idx = (int[]) index.data;
        for (int i = index.offset, end = index.offset + index.numel(); i < end; i++) {
          checkedIndex(op, idx[i], n, d);
        }
      }
      scatterAddRows(out, index, source);
      return out;
    }
    int size = out.rank() == 0 ? 1 : out.shape[d];
    int step = out.rank() == 0 ? 0 : out.strides[d];
    StridedLoop loop =
        StridedLoop.of(
            index.shape,
            new int[] {out.offset, index.offset, source.offset},
            stridesWithout(out, d),
            index.strides,
            source.strides);
    int[] s = loop.innerStrides;
    int[] idx = (int[]) index.data;
    // Check every index first, so a bad one leaves nothing half-written.
    loop.run(
        (o, n) -> {
          for (int i = 0; i < n; i++) {
            checkedIndex(op, idx[o[1] + i * s[1]], size, d);
          }
        });
    loop.run(
        (o, n) -> {
          for (int i = 0; i < n; i++) {
            int k = checkedIndex(op, idx[o[1] + i * s[1]], size, d);
            int at = o[0] + i * s[0] + k * step;
            Storage.set(
                out.data,
                at,
                Storage.get(out.data, at) + Storage.get(source.data, o[2] + i * s[2]));
          }
        });
    return out;
  }

  /**
   * Whether scatterAdd along {@code dim} is a row-by-row scatter: the last dim, a floating-point
   * (contiguous) {@code out}, and a contiguous index and source of one shape whose rows are out's
   * rows (max pooling's gradient into the flattened planes, a loss's into its classes).
   */
  private static boolean isRowScatter(NDArray out, int dim, NDArray index, NDArray source) {
    if (out.rank() == 0 || dim != out.rank() - 1 || out.dtype == DType.INT32) {
      return false;
    }
    if (!out.isContiguous() || !index.isContiguous() || !source.isContiguous()) {
      return false;
    }
    if (!Arrays.equals(index.shape, source.shape)) {
      return false;
    }
    for (int k = 0; k < dim; k++) {
      if (index.shape[k] != out.shape[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * out[r, index[r, i]] += source[r, i] for every row r: the scatter of {@link #isRowScatter} in
   * one pass, adding exactly as the general loop does.
   */
  private static void scatterAddRows(NDArray out, NDArray index, NDArray source) {
    int d = out.rank() - 1;
    int n = out.shape[d];
    int m = index.shape[d];
    int rows = m == 0 ? 0 : index.numel() / m;
    int[] idx = (int[]) index.data;
    int oo = out.offset;
    int io = index.offset;
    int so = source.offset;
    if (out.data instanceof float[]) {
      float[] o = (float[]) out.data;
      float[] v = (float[]) source.data;
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < m; i++) {
          int k = checkedIndex("scatterAdd", idx[io + r * m + i], n, d);
          o[oo + r * n + k] += v[so + r * m + i];
        }
      }
    } else {
      double[] o = (double[]) out.data;
      double[] v = (double[]) source.data;
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < m; i++) {
          int k = checkedIndex("scatterAdd", idx[io + r * m + i], n, d);
          o[oo + r * n + k] += v[so + r * m + i];
        }
      }
    }
  }

  static NDArray indexSelect(NDArray self, int dim, NDArray index) {
    checkIndexArray("indexSelect", index);
    if (index.rank() > 1) {
      throw new IllegalArgumentException(
          "indexSelect: index must be 1-D, got shape " + Shapes.toString(index.shape));
    }
    if (self.rank() == 0) {
      throw new IllegalArgumentException(
          "indexSelect: the input must have at least one dim, got shape []");
    }
    int d = Shapes.normalizeDim("indexSelect", dim, self.rank());
    int[] idx = index.toIntArray();
    int[] s = self.shape.clone();
    s[d] = idx.length;
    NDArray out = Creation.empty("indexSelect", self.dtype, s);
    if (d == 0 && self.isContiguous()) { // whole rows: one arraycopy each (mini-batches)
      int row = self.numel() / Math.max(1, self.shape[0]);
      for (int i = 0; i < idx.length; i++) {
        int k = checkedIndex("indexSelect", idx[i], self.shape[0], 0);
        System.arraycopy(self.data, self.offset + k * row, out.data, i * row, row);
      }
      return out;
    }
    for (int i = 0; i < idx.length; i++) {
      int k = checkedIndex("indexSelect", idx[i], self.shape[d], d);
      Elementwise.copy(out.select(d, i), self.select(d, k));
    }
    return out;
  }

  /**
   * A copy of {@code self} with slice i of {@code src} along {@code dim} added to slice index[i]:
   * repeated indices accumulate. Whole rows (dim 0 of contiguous arrays) take one loop each.
   */
  static NDArray indexAdd(NDArray self, int dim, NDArray index, NDArray src, boolean inPlace) {
    String op = inPlace ? "indexAddInPlace" : "indexAdd";
    checkIndexArray(op, index);
    if (index.rank() > 1) {
      throw new IllegalArgumentException(
          "indexAdd: index must be 1-D, got shape " + Shapes.toString(index.shape));
    }
    if (self.rank() == 0) {
      throw new IllegalArgumentException(
          "indexAdd: the input must have at least one dim, got shape []");
    }
    int d = Shapes.normalizeDim(op, dim, self.rank());
    int[] idx = index.toIntArray();
    int[] expected = self.shape.clone();
    expected[d] = idx.length;
    if (!Arrays.equals(src.shape, expected)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: source of shape %s does not fit the input of shape %s with %d indices"
                  + " along dim %d (expected %s)",
              op,
              Shapes.toString(src.shape),
              Shapes.toString(self.shape),
              idx.length,
              d,
              Shapes.toString(expected)));
    }
    int[] k = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      k[i] = checkedIndex(op, idx[i], self.shape[d], d);
    }
    if (inPlace) {
      self.checkWritable(op);
    }
    Shapes.checkAllocation(op, src.shape, self.dtype.byteSize()); // src.to copies it
    Shapes.checkAllocation(op, self.shape, self.dtype.byteSize()); // and self.clone() self
    NDArray out = inPlace ? self : self.clone();
    // a source sharing the destination's storage is read from a copy
    NDArray source = src.data == out.data ? src.clone().to(self.dtype) : src.to(self.dtype);
    if (d == 0 && out.isContiguous() && source.isContiguous() && !(out.data instanceof int[])) {
      int row = out.numel() / Math.max(1, out.shape[0]);
      for (int i = 0; i < k.length; i++) {
        addRow(out.data, out.offset + k[i] * row, source.data, source.offset + i * row, row);
      }
      return out;
    }
    for (int i = 0; i < k.length; i++) {
      out.select(d, k[i]).addInPlace(source.select(d, i));
    }
    return out;
  }

  /** {@code dst[at..at+n) += src[from..from+n)} for float or double storage. */
  private static void addRow(Object dst, int at, Object src, int from, int n) {
    if (dst instanceof float[] o) {
      float[] x = (float[]) src;
      for (int j = 0; j < n; j++) {
        o[at + j] += x[from + j];
      }
    } else {
      double[] o = (double[]) dst;
      double[] x = (double[]) src;
      for (int j = 0; j < n; j++) {
        o[at + j] += x[from + j];
      }
    }
  }

  static NDArray oneHot(NDArray self, int numClasses) {
    if (self.dtype != DType.INT32) {
      throw new IllegalArgumentException("oneHot: class indices must be INT32, got " + self.dtype);
    }
    int[] labels = self.toIntArray();
    int classes = numClasses;
    if (classes == -1) {
      classes = Arrays.stream(labels).max().orElse(-1) + 1;
    }
    if (classes < 0) {
      throw new IllegalArgumentException(
          "oneHot: numClasses must be >= 0 or -1, got " + numClasses);
    }
    int[] s = Arrays.copyOf(self.shape, self.rank() + 1);
    s[self.rank()] = classes;
    NDArray out = Creation.empty("oneHot", DType.INT32, s);
    int[] o = (int[]) out.data;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IndexOutOfBoundsException(
            "oneHot: class " + labels[i] + " is out of range for " + classes + " classes");
      }
      o[i * classes + labels[i]] = 1;
    }
    return out;
  }
}
