package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jgrad.tensor.SgemmTest.Order;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The order of every sum in {@link Sgemm}'s packed path, bit for bit. ARCHITECTURE.md promises the
 * same bits on any thread count and JIT tier, which rests on this order being fixed by the shapes
 * alone: k is cut into ⌈k / KC⌉ blocks of equal length (the last one shorter), each element's block
 * is a chain of fused multiply-adds over k in ascending order starting from zero, and the blocks
 * are added to C in order, each scaled by alpha: C = alpha·s₀ (beta = 0), then C = C + alpha·sᵢ.
 * With one block and beta ≠ 0, C = beta·C + alpha·s₀.
 *
 * <p>The reference below is that rule as scalar {@link Math#fma} loops. Shapes take the packed path
 * (more than 32³ multiply-adds, at least a vector wide, no narrow last strip), for A read in place
 * in either order or packed, and B in each order; a tolerance test ({@link SgemmTest}) would let a
 * wrong block length, a dropped or doubled pad, or a misplaced k offset through whenever the error
 * stays small.
 */
class SgemmOrderProperties {

  private static final int KC = Sgemm.KC;

  /** A float32 matrix's values, row-major. */
  private static float[] values(NDArray x) {
    return x.contiguous().toFloatArray();
  }

  /** The rule in the class comment, one element at a time. */
  static float[] reference(
      float alpha, float[] a, float[] b, float beta, float[] c, int m, int n, int k) {
    int blocks = Math.max(1, (k + KC - 1) / KC);
    int length = (k + blocks - 1) / blocks;
    float[] out = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float v = beta == 0f ? 0f : beta == 1f ? c[i * n + j] : beta * c[i * n + j];
        for (int from = 0; from < k; from += length) {
          float s = 0f;
          for (int p = from; p < Math.min(k, from + length); p++) {
            s = Math.fma(a[i * k + p], b[p * n + j], s);
          }
          v = from == 0 && beta == 0f ? alpha * s : v + alpha * s;
        }
        out[i * n + j] = v;
      }
    }
    return out;
  }

  @Property(tries = 40)
  void thePackedPathSumsEachKBlockAsAnFmaChainAndAddsTheBlocksInOrder(
      @ForAll long seed, @ForAll Order orderA, @ForAll Order orderB) {
    Generator g = new Generator(seed);
    int l = SgemmTest.L;
    int nr = SgemmTest.NR;
    int m = g.nextDouble() < 0.2 ? Sgemm.MC + 1 + g.nextInt(20) : 1 + g.nextInt(40);
    int strips = g.nextInt(4);
    // No last strip of a vector or less past the first (that one takes the narrow path).
    int n = strips == 0 ? l + g.nextInt(nr - l) : strips * nr + (g.nextInt(2) == 0 ? 0 : l + 1);
    int minK = 32 * 32 * 32 / (m * n) + 1;
    int k =
        Math.max(minK, g.nextDouble() < 0.3 ? KC + 1 + g.nextInt(KC + 200) : 1 + g.nextInt(300));
    float[] alphas = {1f, 0.5f, -1.5f};
    float[] betas = {0f, 1f, -0.5f};
    float alpha = alphas[g.nextInt(3)];
    float beta = k > KC ? 0f : betas[g.nextInt(3)]; // several blocks: beta = 0 (see the comment)
    NDArray a = SgemmTest.matrix(g, m, k, orderA);
    NDArray b = SgemmTest.matrix(g, k, n, orderB);
    NDArray c =
        beta == 0f ? NDArray.full(Float.NaN, m, n) : SgemmTest.matrix(g, m, n, Order.ROW_MAJOR);
    float[] expected = reference(alpha, values(a), values(b), beta, values(c), m, n, k);
    Sgemm.gemm(alpha, StridedMatrix.of(a), StridedMatrix.of(b), beta, StridedMatrix.of(c));
    assertArrayEquals(
        expected,
        c.toFloatArray(),
        String.format(
            "[%d, %d] %s · [%d, %d] %s, alpha %s, beta %s",
            m, k, orderA, k, n, orderB, alpha, beta));
  }
}
