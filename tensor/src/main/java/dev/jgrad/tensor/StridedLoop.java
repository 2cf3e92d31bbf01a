package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;

/**
 * Iteration over several operands that share one (broadcast) shape but have their own strides and
 * offsets: the outer dims are walked with an odometer, the innermost dim is handed to a row kernel
 * as (offset, stride, length) per operand, so a kernel can take its SIMD path whenever the inner
 * strides are 1 (contiguous) or 0 (broadcast scalar).
 *
 * <p>Adjacent dims that are contiguous with each other in every operand are merged first, so a
 * contiguous array of any rank is a single row.
 */
final class StridedLoop {
  /** Receives one row: {@code offsets[k]} is operand k's first element; strides are fixed. */
  interface RowKernel {
    void row(int[] offsets, int length);
  }

  /** Elements of work below which a loop stays on the calling thread. */
  static final int PARALLEL_GRAIN = 1 << 16;

  private final int operands;
  private final int[] outerShape;
  private final int[][] outerStrides;
  private final int[] base;
  final int inner;
  final int[] innerStrides;
  final int rows;

  private StridedLoop(
      int[] outerShape, int[][] outerStrides, int[] base, int inner, int[] innerStrides) {
    this.operands = base.length;
    this.outerShape = outerShape;
    this.outerStrides = outerStrides;
    this.base = base;
    this.inner = inner;
    this.innerStrides = innerStrides;
    int r = 1;
    for (int s : outerShape) {
      r *= s;
    }
    this.rows = r;
  }

  /**
   * Plans a loop over {@code shape} for operands with the given offsets and strides (each stride
   * array has the shape's rank; use 0 for broadcast dims).
   */
  static StridedLoop of(int[] shape, int[] offsets, int[]... strides) {
    int ops = offsets.length;
    int rank = shape.length;
    // Drop size-1 dims, then merge neighbours that are contiguous in every operand.
    int[] dims = new int[rank];
    int[][] st = new int[ops][rank];
    int n = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) {
        continue;
      }
      if (n > 0 && mergeable(st, strides, n - 1, d, shape[d], ops)) {
        dims[n - 1] *= shape[d];
        for (int k = 0; k < ops; k++) {
          st[k][n - 1] = strides[k][d];
        }
        continue;
      }
      dims[n] = shape[d];
      for (int k = 0; k < ops; k++) {
        st[k][n] = strides[k][d];
      }
      n++;
    }
    boolean empty = Shapes.numel(shape) == 0;
    if (n == 0 || empty) {
      int[] zero = new int[ops];
      return new StridedLoop(new int[0], new int[ops][0], offsets.clone(), empty ? 0 : 1, zero);
    }
    int[] outer = java.util.Arrays.copyOf(dims, n - 1);
    int[][] outerStrides = new int[ops][];
    int[] innerStrides = new int[ops];
    for (int k = 0; k < ops; k++) {
      outerStrides[k] = java.util.Arrays.copyOf(st[k], n - 1);
      innerStrides[k] = st[k][n - 1];
    }
    return new StridedLoop(outer, outerStrides, offsets.clone(), dims[n - 1], innerStrides);
  }

  private static boolean mergeable(
      int[][] st, int[][] strides, int prev, int d, int size, int ops) {
    for (int k = 0; k < ops; k++) {
      if (st[k][prev] != strides[k][d] * size) {
        return false;
      }
    }
    return true;
  }

  /** Total number of elements visited. */
  long size() {
    return (long) rows * inner;
  }

  /** Runs every row on the calling thread, in row-major order. */
  void run(RowKernel kernel) {
    runRows(0, rows, kernel);
  }

  /**
   * Runs every row, split into fixed chunks of about {@link #PARALLEL_GRAIN} elements that the
   * thread pool shares. Only for kernels whose rows write disjoint outputs.
   */
  void runParallel(RowKernel kernel) {
    long total = size();
    if (total < 2L * PARALLEL_GRAIN || Parallel.threads() == 1) {
      run(kernel);
      return;
    }
    if (rows == 1) {
      int chunk = PARALLEL_GRAIN;
      int chunks = Parallel.chunkCount(inner, chunk);
      Parallel.forEachChunk(
          chunks,
          c -> {
            int start = c * chunk;
            int len = Math.min(chunk, inner - start);
            int[] offs = new int[operands];
            for (int k = 0; k < operands; k++) {
              offs[k] = base[k] + start * innerStrides[k];
            }
            kernel.row(offs, len);
          });
      return;
    }
    int rowsPerChunk = Math.max(1, PARALLEL_GRAIN / Math.max(inner, 1));
    int chunks = Parallel.chunkCount(rows, rowsPerChunk);
    Parallel.forEachChunk(
        chunks,
        c -> {
          int start = c * rowsPerChunk;
          runRows(start, Math.min(rows, start + rowsPerChunk), kernel);
        });
  }

  private void runRows(int from, int to, RowKernel kernel) {
    if (inner == 0 || from >= to) {
      return;
    }
    int rank = outerShape.length;
    int[] index = new int[rank];
    int[] offs = base.clone();
    // Unravel 'from' into the odometer.
    int r = from;
    for (int d = rank - 1; d >= 0; d--) {
      index[d] = r % outerShape[d];
      r /= outerShape[d];
      for (int k = 0; k < operands; k++) {
        offs[k] += index[d] * outerStrides[k][d];
      }
    }
    int[] rowOffs = new int[operands];
    for (int row = from; row < to; row++) {
      System.arraycopy(offs, 0, rowOffs, 0, operands);
      kernel.row(rowOffs, inner);
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < outerShape[d]) {
          for (int k = 0; k < operands; k++) {
            offs[k] += outerStrides[k][d];
          }
          break;
        }
        for (int k = 0; k < operands; k++) {
          offs[k] -= (outerShape[d] - 1) * outerStrides[k][d];
        }
        index[d] = 0;
      }
    }
  }
}
