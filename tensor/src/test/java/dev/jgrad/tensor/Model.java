package dev.jgrad.tensor;

import java.util.Arrays;

/**
 * The naive double-precision reference: a shape and its values in row-major order, with plain loops
 * over index arithmetic for every kernel the tests check. Nothing here calls a kernel.
 */
record Model(int[] shape, double[] values) {

  static Model of(int[] shape, double[] values) {
    if (numel(shape) != values.length) {
      throw new AssertionError("model shape " + Arrays.toString(shape) + " vs " + values.length);
    }
    return new Model(shape.clone(), values.clone());
  }

  static int numel(int[] shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }

  int rank() {
    return shape.length;
  }

  /** Row-major position of a multi-index. */
  static int flat(int[] shape, int[] index) {
    int f = 0;
    for (int d = 0; d < shape.length; d++) {
      f = f * shape[d] + index[d];
    }
    return f;
  }

  /** The multi-index of a row-major position. */
  static int[] unflat(int[] shape, int f) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = shape[d] == 0 ? 0 : f % shape[d];
      f = shape[d] == 0 ? 0 : f / shape[d];
    }
    return index;
  }

  double get(int... index) {
    return values[flat(shape, index)];
  }

  /** The value this model shows at {@code index} of a broadcast {@code target} shape. */
  double getBroadcast(int[] target, int[] index) {
    int lead = target.length - shape.length;
    int[] own = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      own[d] = shape[d] == 1 ? 0 : index[d + lead];
    }
    return get(own);
  }

  static int[] broadcastShape(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i - (rank - a.length);
      int db = i - (rank - b.length);
      int sa = da >= 0 ? a[da] : 1;
      int sb = db >= 0 ? b[db] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        return null;
      }
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  interface DoubleBinary {
    double apply(double x, double y);
  }

  interface DoubleUnary {
    double apply(double x);
  }

  static Model zip(Model a, Model b, DoubleBinary f) {
    int[] s = broadcastShape(a.shape, b.shape);
    double[] out = new double[numel(s)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unflat(s, i);
      out[i] = f.apply(a.getBroadcast(s, idx), b.getBroadcast(s, idx));
    }
    return new Model(s, out);
  }

  Model map(DoubleUnary f) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.apply(values[i]);
    }
    return new Model(shape, out);
  }

  /** Reduces the dims marked in {@code reduced} with {@code f} starting from {@code init}. */
  Model reduce(boolean[] reduced, double init, DoubleBinary f, boolean keepDim) {
    int[] keep = shape.clone();
    for (int d = 0; d < rank(); d++) {
      if (reduced[d]) {
        keep[d] = 1;
      }
    }
    double[] acc = new double[numel(keep)];
    Arrays.fill(acc, init);
    for (int i = 0; i < values.length; i++) {
      int[] idx = unflat(shape, i);
      for (int d = 0; d < rank(); d++) {
        if (reduced[d]) {
          idx[d] = 0;
        }
      }
      int k = flat(keep, idx);
      acc[k] = f.apply(acc[k], values[i]);
    }
    if (keepDim) {
      return new Model(keep, acc);
    }
    return new Model(dropDims(shape, reduced), acc);
  }

  static int[] dropDims(int[] shape, boolean[] drop) {
    return java.util.stream.IntStream.range(0, shape.length)
        .filter(d -> !drop[d])
        .map(d -> shape[d])
        .toArray();
  }

  /** Σₚ A[i,p]·B[p,j] for 2-D models. */
  static Model matmul2d(Model a, Model b) {
    int m = a.shape[0];
    int k = a.shape[1];
    int n = b.shape[1];
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a.values[i * k + p] * b.values[p * n + j];
        }
        out[i * n + j] = s;
      }
    }
    return new Model(new int[] {m, n}, out);
  }

  Model transpose2d() {
    int m = shape[0];
    int n = shape[1];
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[j * m + i] = values[i * n + j];
      }
    }
    return new Model(new int[] {n, m}, out);
  }

  /** Model with dims permuted: result dim i is this dim order[i]. */
  Model permute(int[] order) {
    int[] s = new int[rank()];
    for (int i = 0; i < rank(); i++) {
      s[i] = shape[order[i]];
    }
    double[] out = new double[values.length];
    for (int f = 0; f < out.length; f++) {
      int[] idx = unflat(s, f);
      int[] src = new int[rank()];
      for (int i = 0; i < rank(); i++) {
        src[order[i]] = idx[i];
      }
      out[f] = get(src);
    }
    return new Model(s, out);
  }
}
