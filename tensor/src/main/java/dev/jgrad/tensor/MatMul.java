package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/** Matrix products with numpy semantics, routed to the GEMM kernels. */
final class MatMul {
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  private MatMul() {}

  /** {@code a @ b} with numpy/PyTorch rules for 1-D operands and broadcast batch dims. */
  static NDArray matmul(NDArray a, NDArray b) {
    String op = "matmul";
    if (a.rank() == 0 || b.rank() == 0) {
      throw new IllegalArgumentException(
          "matmul: both arguments need at least 1 dimension, got shapes "
              + Shapes.toString(a.shape)
              + " and "
              + Shapes.toString(b.shape));
    }
    checkFloat(op, a, b);
    if (a.rank() == 2 && b.rank() == 2 && a.dtype == b.dtype && a.shape[1] == b.shape[0]) {
      // The common case, without the batch machinery.
      NDArray out = NDArray.empty(a.dtype, a.shape[0], b.shape[1]);
      gemm(
          a.shape[0],
          b.shape[1],
          a.shape[1],
          1.0,
          a.data,
          a.offset,
          a.strides[0],
          a.strides[1],
          b.data,
          b.offset,
          b.strides[0],
          b.strides[1],
          0.0,
          out.data,
          0,
          b.shape[1]);
      return out;
    }
    DType dtype = DType.promote(a.dtype, b.dtype);
    NDArray x = a.to(dtype);
    NDArray y = b.to(dtype);
    boolean vecA = x.rank() == 1;
    boolean vecB = y.rank() == 1;
    if (vecA) {
      x = x.unsqueeze(0);
    }
    if (vecB) {
      y = y.unsqueeze(1);
    }
    int m = x.shape[x.rank() - 2];
    int k = x.shape[x.rank() - 1];
    int k2 = y.shape[y.rank() - 2];
    int n = y.shape[y.rank() - 1];
    if (k != k2) {
      throw new IllegalArgumentException(
          String.format(
              "matmul: shapes %s and %s cannot be multiplied (%d != %d)",
              Shapes.toString(a.shape), Shapes.toString(b.shape), k, k2));
    }
    int[] batchA = java.util.Arrays.copyOf(x.shape, x.rank() - 2);
    int[] batchB = java.util.Arrays.copyOf(y.shape, y.rank() - 2);
    int[] batch;
    try {
      batch = Shapes.broadcast(op, batchA, batchB);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format(
              "matmul: shapes %s and %s have batch dims that cannot be broadcast",
              Shapes.toString(a.shape), Shapes.toString(b.shape)),
          e);
    }
    int[] outShape = concat(batch, m, n);
    NDArray out = NDArray.zeros(dtype, outShape);
    NDArray xe = x.expand(concat(batch, m, k));
    NDArray ye = y.expand(concat(batch, k, n));
    int batches = Shapes.numel(batch);
    int[] index = new int[batch.length];
    for (int t = 0; t < batches; t++) {
      int ao = xe.offset;
      int bo = ye.offset;
      for (int d = 0; d < batch.length; d++) {
        ao += index[d] * xe.strides[d];
        bo += index[d] * ye.strides[d];
      }
      int r = xe.rank();
      gemm(
          m,
          n,
          k,
          1.0,
          xe.data,
          ao,
          xe.strides[r - 2],
          xe.strides[r - 1],
          ye.data,
          bo,
          ye.strides[r - 2],
          ye.strides[r - 1],
          0.0,
          out.data,
          t * m * n,
          n);
      for (int d = batch.length - 1; d >= 0; d--) {
        if (++index[d] < batch[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    if (vecA && vecB) {
      return out.reshape(batch);
    }
    if (vecA) {
      return out.squeeze(-2);
    }
    if (vecB) {
      return out.squeeze(-1);
    }
    return out;
  }

  /**
   * {@code c = beta·c + alpha·op(a)·op(b)} for 2-D arrays, op = transpose when the flag says so.
   * The transposes are views: the kernel packs through strides and never copies them.
   */
  static void gemm(
      boolean transA, boolean transB, double alpha, NDArray a, NDArray b, double beta, NDArray c) {
    String op = "gemm";
    if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
      throw new IllegalArgumentException(
          String.format(
              "gemm: expected 2-D arrays, got shapes %s, %s and %s",
              Shapes.toString(a.shape), Shapes.toString(b.shape), Shapes.toString(c.shape)));
    }
    NDArray x = transA ? a.transpose(0, 1) : a;
    NDArray y = transB ? b.transpose(0, 1) : b;
    int m = x.shape[0];
    int k = x.shape[1];
    int n = y.shape[1];
    if (y.shape[0] != k || c.shape[0] != m || c.shape[1] != n) {
      throw new IllegalArgumentException(
          String.format(
              "gemm: op(A) %s times op(B) %s does not fit C %s",
              Shapes.toString(x.shape), Shapes.toString(y.shape), Shapes.toString(c.shape)));
    }
    if (a.dtype != c.dtype || b.dtype != c.dtype || !c.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          String.format(
              "gemm: dtypes %s, %s and %s must be one floating-point type",
              a.dtype, b.dtype, c.dtype));
    }
    c.checkWritable(op);
    boolean direct = c.strides[1] == 1 && c.strides[0] >= n;
    NDArray target = direct ? c : c.contiguous();
    gemm(
        m,
        n,
        k,
        alpha,
        x.data,
        x.offset,
        x.strides[0],
        x.strides[1],
        y.data,
        y.offset,
        y.strides[0],
        y.strides[1],
        beta,
        target.data,
        target.offset,
        target.strides[0]);
    if (!direct) {
      c.copyFrom(target);
    }
  }

  private static void gemm(
      int m,
      int n,
      int k,
      double alpha,
      Object a,
      int aOff,
      int aRs,
      int aCs,
      Object b,
      int bOff,
      int bRs,
      int bCs,
      double beta,
      Object c,
      int cOff,
      int ldc) {
    if (c instanceof float[]) {
      Sgemm.gemm(
          m,
          n,
          k,
          (float) alpha,
          (float[]) a,
          aOff,
          aRs,
          aCs,
          (float[]) b,
          bOff,
          bRs,
          bCs,
          (float) beta,
          (float[]) c,
          cOff,
          ldc);
    } else {
      dgemm(
          m,
          n,
          k,
          alpha,
          (double[]) a,
          aOff,
          aRs,
          aCs,
          (double[]) b,
          bOff,
          bRs,
          bCs,
          beta,
          (double[]) c,
          cOff,
          ldc);
    }
  }

  /**
   * Double-precision GEMM: B is copied to contiguous rows once, then each row of C is an i-p-j
   * sequence of SIMD axpys. Simple and exact in its order; FLOAT64 serves checks, not speed.
   */
  static void dgemm(
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int aOff,
      int aRs,
      int aCs,
      double[] b,
      int bOff,
      int bRs,
      int bCs,
      double beta,
      double[] c,
      int cOff,
      int ldc) {
    double[] bRows = new double[k * n];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bRows[p * n + j] = b[bOff + p * bRs + j * bCs];
      }
    }
    int grain = Math.max(1, (1 << 16) / Math.max(1, n * Math.max(k, 1)));
    Parallel.forEachRange(
        m,
        grain,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int crow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
              c[crow + j] = beta == 0 ? 0 : beta * c[crow + j];
            }
            for (int p = 0; p < k; p++) {
              double aip = alpha * a[aOff + i * aRs + p * aCs];
              int brow = p * n;
              int j = 0;
              DoubleVector va = DoubleVector.broadcast(DS, aip);
              int bound = DS.loopBound(n);
              for (; j < bound; j += DS.length()) {
                DoubleVector.fromArray(DS, bRows, brow + j)
                    .fma(va, DoubleVector.fromArray(DS, c, crow + j))
                    .intoArray(c, crow + j);
              }
              for (; j < n; j++) {
                c[crow + j] = Math.fma(aip, bRows[brow + j], c[crow + j]);
              }
            }
          }
        });
  }

  private static void checkFloat(String op, NDArray a, NDArray b) {
    if (!a.dtype.isFloatingPoint() || !b.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected floating-point arrays, got %s %s and %s %s (convert with"
                  + " to(DType.FLOAT32))",
              op, a.dtype, Shapes.toString(a.shape), b.dtype, Shapes.toString(b.shape)));
    }
  }

  static int[] concat(int[] prefix, int... suffix) {
    int[] r = java.util.Arrays.copyOf(prefix, prefix.length + suffix.length);
    System.arraycopy(suffix, 0, r, prefix.length, suffix.length);
    return r;
  }
}
