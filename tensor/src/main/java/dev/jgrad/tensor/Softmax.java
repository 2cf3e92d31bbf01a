package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused, numerically stable softmax and log-softmax over the rows of a contiguous array:
 * softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) and log-softmax(x)ᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m),
 * with m = maxⱼ xⱼ so that no exp overflows. Log-softmax subtracts m first: xᵢ − m is exact for
 * nearby values, so large magnitudes cancel and the error is relative to the result (forming m +
 * log Σ first would round log Σ away next to a large m: [10⁴, 9990] would give 0 for −4.54·10⁻⁵).
 */
final class Softmax {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private Softmax() {}

  /**
   * Softmax (or log-softmax when {@code log}) of {@code a} along {@code dim}: the dim is moved
   * last, each row is computed contiguously, and the result moved back. INT32 is computed in
   * FLOAT32.
   *
   * @throws IndexOutOfBoundsException naming {@code op} when dim is out of range
   */
  static NDArray softmax(String op, boolean log, NDArray a, int dim) {
    NDArray x = a.dtype == DType.INT32 ? a.to(DType.FLOAT32) : a;
    if (a.rank() == 0) {
      Shapes.normalizeDim(op, dim, 0);
      return softmax(op, log, x.reshape(1), 0).reshape();
    }
    int d = Shapes.normalizeDim(op, dim, a.rank());
    int last = a.rank() - 1;
    NDArray moved = d == last ? x : x.transpose(d, last);
    NDArray in = moved.contiguous();
    NDArray out = Creation.empty(op, in.dtype, in.shape);
    int n = in.shape[last];
    rows(log, in.data, in.offset, out.data, n == 0 ? 0 : in.numel() / n, n);
    return d == last ? out : out.transpose(d, last).contiguous();
  }

  /**
   * Applies softmax (or log-softmax) to each row of length {@code n} of {@code in}, whose rows
   * start at {@code inOffset}, into the contiguous {@code out}. Rows are independent, so both
   * dtypes split them over threads in the same fixed ranges.
   */
  static void rows(boolean log, Object in, int inOffset, Object out, int rows, int n) {
    int rowsPerChunk = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(n, 1));
    if (in instanceof float[]) {
      float[] x = (float[]) in;
      float[] y = (float[]) out;
      Parallel.forEachRange(
          rows,
          rowsPerChunk,
          (from, to) -> {
            if (n < FS.length()) {
              shortRows(log, x, inOffset + from * n, y, from * n, to - from, n);
              return;
            }
            for (int r = from; r < to; r++) {
              rowFloat(log, x, inOffset + r * n, y, r * n, n);
            }
          });
    } else { // FLOAT64: no double-precision SIMD exp; the exact scalar path
      Parallel.forEachRange(
          rows,
          rowsPerChunk,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              rowGeneric(log, in, inOffset + r * n, out, r * n, n);
            }
          });
    }
  }

  /**
   * Rows shorter than a vector (ten classes, say): the arithmetic of {@link #rowFloat}, but the
   * exps of all rows, and the logs of their sums, each in one SIMD pass over the block instead of
   * scalar tails row by row (and {@code Math.log} per row, 13 ns each).
   */
  private static void shortRows(
      boolean log, float[] x, int xo, float[] y, int yo, int rows, int n) {
    float[] max = new float[rows];
    for (int r = 0; r < rows; r++) {
      max[r] = Reductions.reduceRow(Reductions.Combine.MAX, x, xo + r * n, 1, n);
      for (int i = 0; i < n; i++) {
        y[yo + r * n + i] = x[xo + r * n + i] - max[r];
      }
    }
    VectorMath.exp(y, yo, 1f, 0f, y, yo, rows * n); // y = e^(x − max)
    float[] sums = new float[rows];
    for (int r = 0; r < rows; r++) {
      sums[r] = Reductions.reduceRow(Reductions.Combine.SUM, y, yo + r * n, 1, n);
    }
    if (log) {
      VectorMath.log(sums, 0, sums, 0, rows); // the rows' log-sums in one SIMD pass
    }
    for (int r = 0; r < rows; r++) {
      int off = yo + r * n;
      int xr = xo + r * n;
      if (Float.isInfinite(max[r]) || Float.isNaN(max[r])) {
        rowGeneric(log, x, xr, y, off, n);
        continue;
      }
      if (log) {
        float m = max[r];
        float logSum = sums[r];
        for (int i = 0; i < n; i++) {
          y[off + i] = (x[xr + i] - m) - logSum;
        }
      } else {
        float inv = 1f / sums[r];
        for (int i = 0; i < n; i++) {
          y[off + i] *= inv;
        }
      }
    }
  }

  private static void rowFloat(boolean log, float[] x, int xo, float[] y, int off, int n) {
    float max = Reductions.reduceRow(Reductions.Combine.MAX, x, xo, 1, n);
    if (Float.isInfinite(max) || Float.isNaN(max)) {
      rowGeneric(log, x, xo, y, off, n);
      return;
    }
    VectorMath.exp(x, xo, 1f, -max, y, off, n); // y = e^(x − max)
    float sum = Reductions.reduceRow(Reductions.Combine.SUM, y, off, 1, n);
    int bound = FS.loopBound(n);
    int i;
    if (log) {
      float logSum = (float) Math.log(sum);
      FloatVector vmax = FloatVector.broadcast(FS, max);
      FloatVector vlogSum = FloatVector.broadcast(FS, logSum);
      for (i = 0; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, x, xo + i).sub(vmax).sub(vlogSum).intoArray(y, off + i);
      }
      for (; i < n; i++) {
        y[off + i] = (x[xo + i] - max) - logSum;
      }
    } else {
      float inv = 1f / sum;
      FloatVector vinv = FloatVector.broadcast(FS, inv);
      for (i = 0; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, y, off + i).mul(vinv).intoArray(y, off + i);
      }
      for (; i < n; i++) {
        y[off + i] *= inv;
      }
    }
  }

  /** Scalar path in double precision; also handles rows holding infinities or NaN. */
  private static void rowGeneric(boolean log, Object x, int xo, Object y, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = Storage.get(x, xo + i);
      if (v > max || v != v) {
        max = v;
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      max = 0; // all −inf: exp(x − 0) = 0 everywhere, giving NaN like PyTorch
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.exp(Storage.get(x, xo + i) - max);
    }
    double logSum = Math.log(sum);
    for (int i = 0; i < n; i++) {
      double v = Storage.get(x, xo + i) - max;
      Storage.set(y, off + i, log ? v - logSum : Math.exp(v) / sum);
    }
  }
}
