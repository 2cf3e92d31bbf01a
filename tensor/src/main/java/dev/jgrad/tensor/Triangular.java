package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * The lower and upper triangles of the matrices in the last two dims. Element (i, j) of a matrix
 * lies on diagonal {@code j − i}: 0 is the main diagonal, positive ones lie above it. {@code
 * tril(k)} keeps the elements with {@code j − i ≤ k}, {@code triu(k)} those with {@code j − i ≥ k};
 * the rest become 0.
 */
final class Triangular {
  private Triangular() {}

  static NDArray tril(NDArray a, int diagonal) {
    return keep("tril", a, diagonal, true);
  }

  static NDArray triu(NDArray a, int diagonal) {
    return keep("triu", a, diagonal, false);
  }

  /**
   * A contiguous copy of {@code a} with, in row i of every matrix, the columns outside the kept
   * triangle set to 0: for the lower triangle the columns after {@code i + diagonal}, for the upper
   * one the columns before {@code i + diagonal}.
   */
  private static NDArray keep(String op, NDArray a, int diagonal, boolean lower) {
    if (a.rank() < 2) {
      throw new IllegalArgumentException(
          op + ": expects an array with at least 2 dims, got shape " + Shapes.toString(a.shape));
    }
    NDArray out = Creation.empty(op, a.dtype, a.shape).copyFrom(a);
    int rows = a.shape[a.rank() - 2];
    int cols = a.shape[a.rank() - 1];
    int matrices = rows * cols == 0 ? 0 : a.numel() / (rows * cols);
    for (int m = 0; m < matrices; m++) {
      for (int i = 0; i < rows; i++) {
        long edge = (long) i + diagonal; // the last kept column (lower) or first kept one (upper)
        int from = lower ? (int) Math.max(0, Math.min(cols, edge + 1)) : 0;
        int to = lower ? cols : (int) Math.max(0, Math.min(cols, edge));
        int row = (m * rows + i) * cols;
        zero(out.data, row + from, row + to);
      }
    }
    return out;
  }

  private static void zero(Object data, int from, int to) {
    if (from >= to) {
      return;
    }
    if (data instanceof float[] f) {
      Arrays.fill(f, from, to, 0f);
    } else if (data instanceof double[] d) {
      Arrays.fill(d, from, to, 0.0);
    } else {
      Arrays.fill((int[]) data, from, to, 0);
    }
  }
}
