package dev.jgrad.tensor;

/**
 * A GEMM operand: the rows × cols matrix whose element (i, j) is {@code data[offset + i·rowStride +
 * j·colStride]}, with {@code data} a {@code float[]} or a {@code double[]}. A transpose, a block of
 * rows or a block of columns is the same array read through other numbers, so the GEMM kernels take
 * three of these (A, B and C) instead of an array and three integers per matrix.
 *
 * <p>The kernels read the fields once, into locals, before their loops: an operand is built once
 * per product (or once per thread's share of it), never per tile.
 *
 * <pre>{@code
 * StridedMatrix a = StridedMatrix.of(x);     // x a 2-D NDArray
 * StridedMatrix at = a.transpose();          // element (i, j) of at is element (j, i) of a
 * StridedMatrix right = a.columnBlock(16, 8); // columns 16..23 of a
 * }</pre>
 */
record StridedMatrix(Object data, int offset, int rows, int cols, int rowStride, int colStride) {

  /** The 2-D array {@code x} as an operand (its storage, not a copy). */
  static StridedMatrix of(NDArray x) {
    return new StridedMatrix(x.data, x.offset, x.shape[0], x.shape[1], x.strides[0], x.strides[1]);
  }

  /** The transpose: cols × rows, element (i, j) = this (j, i). */
  StridedMatrix transpose() {
    return new StridedMatrix(data, offset, cols, rows, colStride, rowStride);
  }

  /** Rows {@code from} to {@code from + count - 1}, all columns. */
  StridedMatrix rowBlock(int from, int count) {
    return new StridedMatrix(data, offset + from * rowStride, count, cols, rowStride, colStride);
  }

  /** Columns {@code from} to {@code from + count - 1}, all rows. */
  StridedMatrix columnBlock(int from, int count) {
    return new StridedMatrix(data, offset + from * colStride, rows, count, rowStride, colStride);
  }

  /** The storage of a float32 operand. */
  float[] floats() {
    return (float[]) data;
  }

  /** The storage of a float64 operand. */
  double[] doubles() {
    return (double[]) data;
  }

  /** Whether the elements are float32 (else float64). */
  boolean isFloat() {
    return data instanceof float[];
  }
}
