package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.DoubleBinaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The order of a row's sum and product, bit for bit: what keeps a reduction's bits the same on
 * every thread count and JIT tier. A contiguous row of n elements is combined in four vectors of
 * lane accumulators (when n reaches four vectors: element i goes to accumulator i mod 4L while i is
 * below the last multiple of 4L), the four are combined pairwise ((0 ∘ 1) ∘ (2 ∘ 3)) lane by lane,
 * the lanes in order, then the tail one element at a time. FLOAT32 sums longer than 1,024 do that
 * per block of 1,024 and add the blocks in double (cascade summation); FLOAT64 has no blocks.
 *
 * <p>The reference is that rule in scalar code, run on {@code sum(1)} and {@code prod(1)} of [rows,
 * n] arrays (each output starts at the identity, so it is the identity ∘ the row). A tolerance test
 * would let through a mutant that changes the accumulator count, the block length or the tail.
 * Written for the mutants PIT left alive in {@code Reductions} (issue #14).
 */
class ReductionOrderProperties {

  private static final int FLOAT_LANES = FloatVector.SPECIES_PREFERRED.length();
  private static final int DOUBLE_LANES = DoubleVector.SPECIES_PREFERRED.length();
  private static final int BLOCK = 1024;

  /** One block by the rule, in float or double rounding (float: each result cast to float). */
  static double block(
      double[] a, int off, int n, int lanes, double identity, DoubleBinaryOperator op, boolean f) {
    DoubleBinaryOperator r = f ? (x, y) -> (float) op.applyAsDouble(x, y) : op;
    int i = 0;
    double result = identity;
    int step = 4 * lanes;
    if (n >= step) {
      double[] acc = new double[step];
      java.util.Arrays.fill(acc, identity);
      int bound = n - n % step;
      for (; i < bound; i += step) {
        for (int j = 0; j < step; j++) {
          acc[j] = r.applyAsDouble(acc[j], a[off + i + j]);
        }
      }
      double[] lane = new double[lanes];
      for (int l = 0; l < lanes; l++) {
        double left = r.applyAsDouble(acc[l], acc[lanes + l]);
        double right = r.applyAsDouble(acc[2 * lanes + l], acc[3 * lanes + l]);
        lane[l] = r.applyAsDouble(left, right);
      }
      result = lane[0];
      for (int l = 1; l < lanes; l++) {
        result = r.applyAsDouble(result, lane[l]);
      }
    }
    for (; i < n; i++) {
      result = r.applyAsDouble(result, a[off + i]);
    }
    return result;
  }

  static double row(double[] a, int off, int n, boolean sum, boolean f) {
    DoubleBinaryOperator op = sum ? Double::sum : (x, y) -> x * y;
    double identity = sum ? 0 : 1;
    int lanes = f ? FLOAT_LANES : DOUBLE_LANES;
    double v;
    if (f && sum && n > BLOCK) {
      double total = 0;
      for (int start = 0; start < n; start += BLOCK) {
        total += block(a, off + start, Math.min(BLOCK, n - start), lanes, 0, op, true);
      }
      v = (float) total;
    } else {
      v = block(a, off, n, lanes, identity, op, f);
    }
    double out = op.applyAsDouble(identity, v); // the output's identity ∘ the row
    return f ? (float) out : out;
  }

  @Property(tries = 60)
  void rowSumsAndProductsFollowTheDocumentedOrder(
      @ForAll @IntRange(min = 2, max = 4) int rows,
      @ForAll @IntRange(min = 0, max = 3000) int n,
      @ForAll boolean sum,
      @ForAll boolean isFloat,
      @ForAll long seed) {
    DType dtype = isFloat ? DType.FLOAT32 : DType.FLOAT64;
    Generator g = new Generator(seed);
    // Products of values near 1 stay in range; sums of values of mixed sign and size round often.
    NDArray x =
        sum
            ? NDArray.randn(g, rows, n).mul(NDArray.rand(g, rows, n).mul(8).exp()).to(dtype)
            : NDArray.rand(g, rows, n).sub(0.5).mul(0.02).add(1).to(dtype);
    double[] values = x.toDoubleArray();
    double[] expected = new double[rows];
    for (int r = 0; r < rows; r++) {
      expected[r] = row(values, r * n, n, sum, isFloat);
    }
    NDArray y = sum ? x.sum(1, false) : x.prod(1, false);
    assertArrayEquals(
        expected,
        y.toDoubleArray(),
        String.format("%s of %d rows of %d, %s", sum ? "sum" : "prod", rows, n, dtype));
  }
}
