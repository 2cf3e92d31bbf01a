package dev.jgrad.tensor;

import static dev.jgrad.tensor.SgemmTest.L;
import static dev.jgrad.tensor.SgemmTest.checkAllLayouts;

import org.junit.jupiter.api.Test;

/**
 * {@link SmallGemm}'s two kernels called directly, on the shapes each is written for and at their
 * edges: {@code narrow} for every row count modulo its groups of four rows and widths up to a
 * vector, {@code direct} in each of its loop orders. The checks are {@link SgemmTest}'s: A and B
 * row-major, column-major and strided, beta 0 (over NaN), 1 and -0.5, against the double reference.
 */
class SmallGemmTest {

  @Test
  void narrowHandlesAnyRowCountAndWidthsUpToAVector() {
    for (int m : new int[] {1, 3, 4, 5, 9, 19}) {
      for (int n : new int[] {1, Math.max(1, L / 2), L}) {
        checkAllLayouts(SmallGemm::narrow, m, n, 13);
      }
    }
  }

  @Test
  void narrowTakesShallowAndDeepProducts() {
    checkAllLayouts(SmallGemm::narrow, 21, L - 1, 1);
    checkAllLayouts(SmallGemm::narrow, 21, L - 1, 700);
  }

  @Test
  void directComputesDotProductsWhenBsRowsAreNotAVectorWide() {
    // k ≥ n with B's rows narrower than a vector, or not contiguous
    checkAllLayouts(SmallGemm::direct, 5, 3, 40);
    checkAllLayouts(SmallGemm::direct, 3, L + 2, 40);
  }

  @Test
  void directAddsRowsOfBIntoRowsOfC() {
    checkAllLayouts(SmallGemm::direct, 6, 2 * L + 3, 20); // SIMD when B's rows are contiguous
    checkAllLayouts(SmallGemm::direct, 4, L + 5, 3); // k < n: row updates even when B is strided
    checkAllLayouts(SmallGemm::direct, 1, 1, 1);
  }
}
