package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Sgemm} route by route: each case picks a shape (from this machine's vector length L and
 * strip width NR) that takes one route of {@link Sgemm#gemm}, and checks {@code C = beta·C +
 * alpha·A·B} against {@link Model}'s double-precision product, for A and B stored row-major,
 * column-major (transposed views) and with no contiguous dim. With beta = 0, C starts as NaN: its
 * old values must not reach the result. The helpers here also serve {@link SmallGemmTest}.
 */
class SgemmTest {
  static final int L = FloatVector.SPECIES_PREFERRED.length();
  static final int NR = Sgemm.NR;

  /** How a matrix under test is stored. */
  enum Order {
    /** Rows contiguous: column stride 1. */
    ROW_MAJOR,
    /** Columns contiguous (a transposed view): row stride 1. */
    COLUMN_MAJOR,
    /** Every other element of a wider row: no stride is 1. */
    STRIDED
  }

  /** A GEMM kernel on operands, as {@link Sgemm#gemm}, {@link SmallGemm#narrow} and direct. */
  interface Kernel {
    void gemm(float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c);
  }

  /** A rows×cols float32 matrix of values in [-1, 1), stored in the given order. */
  static NDArray matrix(Generator g, int rows, int cols, Order order) {
    switch (order) {
      case COLUMN_MAJOR:
        return NDArray.rand(g, cols, rows).sub(0.5).mul(2).transpose(0, 1);
      case STRIDED:
        return NDArray.rand(g, rows, 2 * cols).sub(0.5).mul(2).slice(1, 0, 2 * cols, 2);
      default:
        return NDArray.rand(g, rows, cols).sub(0.5).mul(2);
    }
  }

  static Model model(NDArray x) {
    return Model.of(x.shape(), x.toDoubleArray());
  }

  /** The float32 rounding allowed for a k-term dot product of values in [-1, 1). */
  static double tol(int k) {
    return 8e-6 * Math.max(1, Math.sqrt(k));
  }

  /**
   * Runs {@code kernel} on an m×k A and a k×n B in the given orders, a fresh C (NaN when beta = 0),
   * and checks C against the reference.
   */
  static void check(
      Kernel kernel, int m, int n, int k, Order orderA, Order orderB, double alpha, double beta) {
    Generator g = new Generator(31L * m + 7L * n + k);
    NDArray a = matrix(g, m, k, orderA);
    NDArray b = matrix(g, k, n, orderB);
    NDArray c = beta == 0 ? NDArray.full(Float.NaN, m, n) : matrix(g, m, n, Order.ROW_MAJOR);
    Model expected =
        Model.zip(
            Model.matmul2d(model(a), model(b)),
            model(c),
            (ab, old) -> alpha * ab + (beta == 0 ? 0 : beta * old));
    kernel.gemm(
        (float) alpha, StridedMatrix.of(a), StridedMatrix.of(b), (float) beta, StridedMatrix.of(c));
    String what =
        String.format(
            "[%d, %d] %s · [%d, %d] %s, alpha %s, beta %s",
            m, k, orderA, k, n, orderB, alpha, beta);
    assertClose(what, c, expected, tol(k), tol(k));
  }

  /** {@link #check} for every order of A and B and for beta 0, 1 and -0.5. */
  static void checkAllLayouts(Kernel kernel, int m, int n, int k) {
    for (Order orderA : Order.values()) {
      for (Order orderB : Order.values()) {
        for (double beta : new double[] {0, 1, -0.5}) {
          check(kernel, m, n, k, orderA, orderB, 0.75, beta);
        }
      }
    }
  }

  @Test
  void cNarrowerThanAVectorWithManyRowsTakesTheNarrowPath() {
    // n < L and m ≥ 16: SmallGemm.narrow
    checkAllLayouts(Sgemm::gemm, 37, Math.max(1, L - 3), 50);
  }

  @Test
  void smallProductsTakeTheDirectLoops() {
    // m·n·k ≤ 32³: SmallGemm.direct, in each of its loop orders
    checkAllLayouts(Sgemm::gemm, 9, L + 3, 20); // axpy rows (SIMD when B's rows are contiguous)
    checkAllLayouts(Sgemm::gemm, 5, 3, 40); // k ≥ n: dot products
    checkAllLayouts(Sgemm::gemm, 5, Math.max(4, L - 1), 3); // k < n, n < L: scalar axpy rows
    checkAllLayouts(Sgemm::gemm, 2, 2, 2);
  }

  @Test
  void aLastStripOfAVectorOrLessTakesTheNarrowPath() {
    // n % NR ≤ L past one strip, m ≥ 16: the last columns narrow, the others packed
    checkAllLayouts(Sgemm::gemm, 40, NR + L / 2, 100);
    checkAllLayouts(Sgemm::gemm, 20, 2 * NR + L, 60);
  }

  @Test
  void aTimesBTransposedWithFewRowsIsComputedThroughItsTranspose() {
    // A's rows and Bᵀ's rows contiguous, m < n, k·(n - m) > m·n: (B·Aᵀ)ᵀ
    for (double beta : new double[] {0, 1, -0.5}) {
      check(Sgemm::gemm, 10, 3 * NR, 300, Order.ROW_MAJOR, Order.COLUMN_MAJOR, 0.75, beta);
      check(Sgemm::gemm, 7, 2 * NR, 500, Order.ROW_MAJOR, Order.COLUMN_MAJOR, 1, beta);
    }
  }

  @Test
  void largerProductsTakeTheBlockedAlgorithm() {
    // A packed (STRIDED) or read in place; 46 rows leave a last strip of 4; n leaves a partial
    // strip wider than L, so no narrow columns; k·(n - m) ≤ m·n, so no transpose either.
    checkAllLayouts(Sgemm::gemm, 46, 2 * NR + L + 3, 40);
    checkAllLayouts(Sgemm::gemm, Sgemm.MC + 13, NR + L + 1, 40); // past one MC block of rows
  }

  @Test
  void deepProductsSpanSeveralKBlocks() {
    for (int k : new int[] {Sgemm.KC + 5, 2 * Sgemm.KC + 100}) {
      for (Order orderA : Order.values()) {
        check(Sgemm::gemm, 13, NR + L + 2, k, orderA, Order.ROW_MAJOR, 1, 0);
        check(Sgemm::gemm, 13, NR + L + 2, k, orderA, Order.COLUMN_MAJOR, 0.75, -0.5);
      }
    }
  }

  @Test
  void wideProductsSpanSeveralNcPanels() {
    check(Sgemm::gemm, 8, Sgemm.NC + NR + L + 1, 20, Order.ROW_MAJOR, Order.ROW_MAJOR, 1, 0);
    check(Sgemm::gemm, 8, Sgemm.NC + NR + L + 1, 20, Order.STRIDED, Order.COLUMN_MAJOR, 1, 1);
  }

  @Test
  void zeroAlphaOrEmptyKLeavesBetaTimesC() {
    for (int[] mnk : new int[][] {{3, 4, 5}, {40, L - 1, 30}, {50, 3 * NR, 60}}) {
      for (double beta : new double[] {0, 1, -0.5}) {
        check(Sgemm::gemm, mnk[0], mnk[1], mnk[2], Order.ROW_MAJOR, Order.ROW_MAJOR, 0, beta);
        check(Sgemm::gemm, mnk[0], mnk[1], 0, Order.ROW_MAJOR, Order.ROW_MAJOR, 0.75, beta);
      }
    }
  }

  @Test
  void cIsWrittenThroughItsRowStrideAndNothingBeside() {
    // C is columns 3 .. 3 + n - 1 of a wider array: its row stride is not n.
    for (int[] mnk : new int[][] {{5, 3, 40}, {37, 5, 50}, {34, 2 * NR + L + 3, 70}}) {
      int m = mnk[0];
      int n = mnk[1];
      int k = mnk[2];
      Generator g = new Generator(5);
      NDArray a = matrix(g, m, k, Order.ROW_MAJOR);
      NDArray b = matrix(g, k, n, Order.ROW_MAJOR);
      NDArray wide = matrix(g, m, n + 7, Order.ROW_MAJOR);
      float[] before = wide.toFloatArray();
      NDArray c = wide.narrow(1, 3, n);
      Model expected =
          Model.zip(Model.matmul2d(model(a), model(b)), model(c), (ab, old) -> ab - 0.5 * old);
      Sgemm.gemm(1f, StridedMatrix.of(a), StridedMatrix.of(b), -0.5f, StridedMatrix.of(c));
      assertClose("C inside", c, expected, tol(k), tol(k));
      float[] after = wide.toFloatArray();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n + 7; j++) {
          if (j < 3 || j >= 3 + n) {
            int at = i * (n + 7) + j;
            assertArrayEquals(
                new float[] {before[at]}, new float[] {after[at]}, "outside C at " + i + ", " + j);
          }
        }
      }
    }
  }

  @Test
  void bothSplitsOverTwoThreadsGiveTheOneThreadBits() {
    // Past the 2²⁵ multiply-adds that split the work. By columns when A is read in place; by rows
    // when A must be packed and C has more row tiles than column tiles.
    int[][] cases = {
      {70, 300, 1600, Order.ROW_MAJOR.ordinal()},
      {70, 300, 1600, Order.COLUMN_MAJOR.ordinal()},
      {600, 2 * NR, (1 << 25) / (600 * 2 * NR) + 1, Order.STRIDED.ordinal()}
    };
    int threads = Parallel.threads();
    try {
      for (int[] s : cases) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        Generator g = new Generator(11);
        NDArray a = matrix(g, m, k, Order.values()[s[3]]);
        NDArray b = matrix(g, k, n, Order.ROW_MAJOR);
        Parallel.setThreads(1);
        NDArray one = NDArray.full(Float.NaN, m, n);
        Sgemm.gemm(1f, StridedMatrix.of(a), StridedMatrix.of(b), 0f, StridedMatrix.of(one));
        Parallel.setThreads(2);
        NDArray two = NDArray.full(Float.NaN, m, n);
        Sgemm.gemm(1f, StridedMatrix.of(a), StridedMatrix.of(b), 0f, StridedMatrix.of(two));
        assertArrayEquals(one.toFloatArray(), two.toFloatArray(), Order.values()[s[3]] + " A");
        assertClose("two threads", two, Model.matmul2d(model(a), model(b)), tol(k), tol(k));
      }
    } finally {
      Parallel.setThreads(threads);
    }
  }
}
