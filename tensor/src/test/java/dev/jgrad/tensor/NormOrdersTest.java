package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code norm} for each order with its own formula, on rows worked out by hand: p = 2, 1, 3, +∞
 * (the largest |x|), −∞ (the smallest |x|) and 0 (the count of non-zeros, as PyTorch's {@code
 * torch.linalg.vector_norm}). The −∞ and 0 branches had no test (PIT, issue #14).
 */
class NormOrdersTest {

  private static final NDArray ROWS = NDArray.of(new double[][] {{3, -4, 0}, {-1, 2, -2}});

  private static double[] norm(double p) {
    return ROWS.norm(p, new int[] {1}, false).toDoubleArray();
  }

  @Test
  void eachOrderHasItsOwnFormula() {
    assertArrayEquals(new double[] {5, 3}, norm(2), 1e-12);
    assertArrayEquals(new double[] {7, 5}, norm(1), 1e-12);
    assertArrayEquals(new double[] {Math.cbrt(27 + 64), Math.cbrt(1 + 8 + 8)}, norm(3), 1e-12);
    assertArrayEquals(new double[] {4, 2}, norm(Double.POSITIVE_INFINITY), 0);
    assertArrayEquals(new double[] {0, 1}, norm(Double.NEGATIVE_INFINITY), 0);
    assertArrayEquals(new double[] {2, 3}, norm(0), 0);
  }

  @Test
  void integerArraysAreNormedInFloat() {
    NDArray ints = ROWS.to(DType.INT32);
    NDArray n = ints.norm(Double.NEGATIVE_INFINITY, new int[] {1}, true);
    assertArrayEquals(new int[] {2, 1}, n.shape());
    assertArrayEquals(new float[] {0, 1}, n.toFloatArray());
    assertArrayEquals(new float[] {2, 3}, ints.norm(0, new int[] {1}, false).toFloatArray());
  }
}
