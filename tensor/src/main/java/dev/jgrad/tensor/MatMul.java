package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;

/**
 * Matrix products with numpy semantics: shapes checked, 1-D operands and batch dims resolved, then
 * each product handed as three {@link StridedMatrix} operands to the GEMM kernel of its element
 * type ({@link Sgemm} for float32, {@link Dgemm} for float64).
 */
final class MatMul {
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
      gemm(1.0, StridedMatrix.of(a), StridedMatrix.of(b), 0.0, StridedMatrix.of(out));
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
          1.0,
          new StridedMatrix(xe.data, ao, m, k, xe.strides[r - 2], xe.strides[r - 1]),
          new StridedMatrix(ye.data, bo, k, n, ye.strides[r - 2], ye.strides[r - 1]),
          0.0,
          new StridedMatrix(out.data, t * m * n, m, n, n, 1));
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
   * The transposes are read through strides: the kernel packs through them and never copies them.
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
    StridedMatrix x = transA ? StridedMatrix.of(a).transpose() : StridedMatrix.of(a);
    StridedMatrix y = transB ? StridedMatrix.of(b).transpose() : StridedMatrix.of(b);
    int m = x.rows();
    int k = x.cols();
    int n = y.cols();
    if (y.rows() != k || c.shape[0] != m || c.shape[1] != n) {
      throw new IllegalArgumentException(
          String.format(
              "gemm: op(A) [%d, %d] times op(B) [%d, %d] does not fit C %s",
              m, k, y.rows(), n, Shapes.toString(c.shape)));
    }
    if (a.dtype != c.dtype || b.dtype != c.dtype || !c.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          String.format(
              "gemm: dtypes %s, %s and %s must be one floating-point type",
              a.dtype, b.dtype, c.dtype));
    }
    c.checkWritable(op);
    // The kernels write C through its rows, each contiguous: other layouts go through a copy.
    boolean direct = c.strides[1] == 1 && c.strides[0] >= n;
    NDArray target = direct ? c : c.contiguous();
    gemm(alpha, x, y, beta, StridedMatrix.of(target));
    if (!direct) {
      c.copyFrom(target);
    }
  }

  /**
   * The one place that picks the kernel by element type: {@link Sgemm} for float32, {@link Dgemm}
   * for float64. C's columns must be contiguous (column stride 1).
   */
  static void gemm(double alpha, StridedMatrix a, StridedMatrix b, double beta, StridedMatrix c) {
    if (c.isFloat()) {
      Sgemm.gemm((float) alpha, a, b, (float) beta, c);
    } else {
      Dgemm.gemm(alpha, a, b, beta, c);
    }
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
