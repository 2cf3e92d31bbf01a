package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Reductions against the naive reference, over any set of dims, in every layout: covers {@code
 * Reductions} (sum, mean, prod, var, std, norm, logsumexp, max/min/argmax with {@code
 * ValuesAndIndices}; the float and double kernels are twins, so both float dtypes run) and {@code
 * Softmax}.
 */
class ReductionProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes();
  }

  @Provide
  Arbitrary<int[]> nonEmptyShapes() {
    return Samples.shapes(1, 4).filter(s -> Model.numel(s) > 0);
  }

  @Provide
  Arbitrary<int[][]> pairs() {
    return Samples.broadcastPairs();
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** A subset of the dims picked by the bits of {@code mask}, as a dims array and a mask. */
  static int[] dims(int rank, int mask) {
    return IntStream.range(0, rank).filter(d -> ((mask >>> d) & 1) == 1).toArray();
  }

  static boolean[] reduced(int rank, int[] dims) {
    boolean[] r = new boolean[rank];
    if (dims.length == 0) {
      java.util.Arrays.fill(r, true);
    }
    for (int d : dims) {
      r[d] = true;
    }
    return r;
  }

  static double tolerance(DType dtype) {
    return dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
  }

  @Property(tries = 200)
  void sumMeanProdOverAnyDimsMatchTheReference(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll int mask,
      @ForAll boolean keepDim,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -2, 2);
    int[] dims = dims(shape.length, mask);
    boolean[] r = reduced(shape.length, dims);
    double tol = tolerance(dtype);
    Model sum = a.model().reduce(r, 0, Double::sum, keepDim);
    assertClose("sum " + a, a.array().sum(dims, keepDim), sum, tol, tol * 10);
    int count = 1;
    for (int d = 0; d < shape.length; d++) {
      count *= r[d] ? shape[d] : 1;
    }
    int n = count;
    assertClose("mean " + a, a.array().mean(dims, keepDim), sum.map(v -> v / n), tol, tol * 10);
    if (dims.length == 1) {
      Model prod = a.model().reduce(r, 1, (x, y) -> x * y, keepDim);
      assertClose("prod " + a, a.array().prod(dims[0], keepDim), prod, tol * 10, 1e-30);
    }
  }

  @Property(tries = 150)
  void maxMinOverDimsMatchTheReference(
      @ForAll("nonEmptyShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll DType dtype,
      @ForAll int mask,
      @ForAll boolean keepDim,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -9, 9);
    int[] dims = dims(shape.length, mask);
    boolean[] r = reduced(shape.length, dims);
    assertClose(
        "amax",
        a.array().amax(dims, keepDim),
        a.model().reduce(r, Double.NEGATIVE_INFINITY, Math::max, keepDim),
        0,
        0);
    assertClose(
        "amin",
        a.array().amin(dims, keepDim),
        a.model().reduce(r, Double.POSITIVE_INFINITY, Math::min, keepDim),
        0,
        0);
  }

  @Property(tries = 150)
  void maxAlongADimGivesValuesAndFirstIndices(
      @ForAll("nonEmptyShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll boolean keepDim,
      @ForAll long seed) {
    // Few distinct values, so ties happen and the first index must win.
    Sample a = Samples.sample(DType.INT32, shape, layout, seed, 0, 4);
    int dim = Math.floorMod(dimSeed, shape.length);
    ValuesAndIndices best = a.array().max(dim, keepDim);
    NDArray argmin = a.array().argmin(dim, keepDim);
    int[] keep = shape.clone();
    keep[dim] = 1;
    int outer = Model.numel(keep);
    double[] values = new double[outer];
    double[] indices = new double[outer];
    double[] minIndices = new double[outer];
    for (int f = 0; f < outer; f++) {
      int[] idx = Model.unflat(keep, f);
      double bestV = Double.NEGATIVE_INFINITY;
      double worstV = Double.POSITIVE_INFINITY;
      for (int k = 0; k < shape[dim]; k++) {
        idx[dim] = k;
        double v = a.model().get(idx);
        if (v > bestV) {
          bestV = v;
          indices[f] = k;
        }
        if (v < worstV) {
          worstV = v;
          minIndices[f] = k;
        }
      }
      values[f] = bestV;
    }
    int[] outShape = keepDim ? keep : Model.dropDims(shape, reduced(shape.length, new int[] {dim}));
    assertClose("max values", best.values(), Model.of(outShape, values), 0, 0);
    assertClose("max indices", best.indices(), Model.of(outShape, indices), 0, 0);
    assertClose("argmin", argmin, Model.of(outShape, minIndices), 0, 0);
    assertEquals(DType.INT32, best.indices().dtype());
  }

  @Property(tries = 150)
  void reducingAllDimsEqualsReducingEachInTurn(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT64, shape, layout, seed, -2, 2);
    NDArray stepwise = a.array();
    for (int d = shape.length - 1; d >= 0; d--) {
      stepwise = stepwise.sum(d, false);
    }
    assertEquals(a.array().sum().item(), stepwise.item(), 1e-9);
  }

  @Property(tries = 150)
  void varStdNormAndLogsumexpMatchTheReference(
      @ForAll("nonEmptyShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll int mask,
      @ForAll boolean keepDim,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -3, 3);
    int[] dims = dims(shape.length, mask);
    boolean[] r = reduced(shape.length, dims);
    double tol = dtype == DType.FLOAT64 ? 1e-10 : 1e-4;
    Model mean = a.model().reduce(r, 0, Double::sum, true);
    int count = Model.numel(shape) / Model.numel(mean.shape());
    Model meanV = mean.map(v -> v / count);
    Model sq = Model.zip(a.model(), meanV, (x, m) -> (x - m) * (x - m));
    for (int correction : new int[] {0, 1}) {
      if (count - correction <= 0) {
        continue;
      }
      Model var = sq.reduce(r, 0, Double::sum, keepDim).map(v -> v / (count - correction));
      assertClose("var", a.array().var(dims, correction, keepDim), var, tol, tol);
      assertClose("std", a.array().std(dims, correction, keepDim), var.map(Math::sqrt), tol, tol);
    }
    Model norm2 = a.model().map(x -> x * x).reduce(r, 0, Double::sum, keepDim).map(Math::sqrt);
    assertClose("norm2", a.array().norm(2, dims, keepDim), norm2, tol, tol);
    Model norm1 = a.model().map(Math::abs).reduce(r, 0, Double::sum, keepDim);
    assertClose("norm1", a.array().norm(1, dims, keepDim), norm1, tol, tol);
    Model norm3 =
        a.model()
            .map(x -> Math.pow(Math.abs(x), 3))
            .reduce(r, 0, Double::sum, keepDim)
            .map(v -> Math.cbrt(v));
    assertClose("norm3", a.array().norm(3, dims, keepDim), norm3, tol * 10, tol);
    Model normInf = a.model().map(Math::abs).reduce(r, 0, Math::max, keepDim);
    assertClose("normInf", a.array().norm(Double.POSITIVE_INFINITY, dims, keepDim), normInf, 0, 0);
    Model lse = a.model().map(Math::exp).reduce(r, 0, Double::sum, keepDim).map(Math::log);
    assertClose("logsumexp", a.array().logsumexp(dims, keepDim), lse, tol, tol);
  }

  @Property(tries = 50)
  void logsumexpIsStableForHugeInputs(@ForAll("nonEmptyShapes") int[] shape, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, Layout.CONTIGUOUS, seed, 500, 1000);
    NDArray lse = a.array().logsumexp(new int[0], false);
    double max = java.util.Arrays.stream(a.model().values()).max().orElseThrow();
    double expected =
        max
            + Math.log(
                java.util.Arrays.stream(a.model().values()).map(v -> Math.exp(v - max)).sum());
    assertEquals(expected, lse.item(), 1e-3);
  }

  @Property(tries = 40)
  void bigSumsAreBitIdenticalOnOneAndTwoThreads(
      @ForAll long seed, @ForAll boolean columns, @ForAll("floatTypes") DType dtype) {
    int rows = 700;
    int cols = 513;
    NDArray a = NDArray.randn(new Generator(seed), dtype, rows, cols);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      double[] s1 = a.sum(columns ? 0 : 1, false).toDoubleArray();
      double all1 = a.sum().item();
      Parallel.setThreads(2);
      double[] s2 = a.sum(columns ? 0 : 1, false).toDoubleArray();
      double all2 = a.sum().item();
      assertArrayEquals(s1, s2);
      assertEquals(all1, all2, 0.0);
      double ref = 0;
      double magnitude = 0;
      for (double v : a.toDoubleArray()) {
        ref += v;
        magnitude += Math.abs(v);
      }
      // Rounding of partial sums scales with Σ|x|, not with the (cancelled) result.
      assertEquals(ref, all2, (dtype == DType.FLOAT64 ? 1e-14 : 1e-7) * magnitude);
      double first = 0;
      for (int k = 0; k < (columns ? rows : cols); k++) {
        first += columns ? a.getDouble(k, 0) : a.getDouble(0, k);
      }
      assertEquals(first, s2[0], (dtype == DType.FLOAT64 ? 1e-13 : 1e-5) * (1 + Math.abs(first)));
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** Long rows of products, maxima and minima take the four-accumulator SIMD path in both types. */
  @Property(tries = 60)
  void longRowsOfProductsAndExtremesMatchTheReference(
      @ForAll("floatTypes") DType dtype,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int len,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, new int[] {3, len}, Layout.CONTIGUOUS, seed, 0.9, 1.1);
    boolean[] r = {false, true};
    assertClose(
        "prod",
        a.array().prod(1, false),
        a.model().reduce(r, 1, (x, y) -> x * y, false),
        dtype == DType.FLOAT64 ? 1e-13 : 3e-5, // n roundings of 2^-24 (2^-53) each at most
        0);
    assertClose(
        "amax",
        a.array().amax(new int[] {1}, false),
        a.model().reduce(r, Double.NEGATIVE_INFINITY, Math::max, false),
        0,
        0);
    assertClose(
        "column min",
        a.array().amin(new int[] {0}, false),
        a.model().reduce(new boolean[] {true, false}, Double.POSITIVE_INFINITY, Math::min, false),
        0,
        0);
  }

  @Property(tries = 10)
  void largeSoftmaxGivesTheSameBitsOnOneAndTwoThreads(
      @ForAll("floatTypes") DType dtype, @ForAll boolean log, @ForAll long seed) {
    int rows = 3000;
    int n = 50; // 150,000 elements: rows are split over threads
    NDArray x = NDArray.randn(new Generator(seed), dtype, rows, n).mul(4);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      double[] p1 = (log ? x.logSoftmax(1) : x.softmax(1)).toDoubleArray();
      Parallel.setThreads(2);
      double[] p2 = (log ? x.logSoftmax(1) : x.softmax(1)).toDoubleArray();
      assertArrayEquals(p1, p2);
      int row = rows - 1;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, x.getDouble(row, j));
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += Math.exp(x.getDouble(row, j) - max);
      }
      double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
      for (int j = 0; j < n; j++) {
        double logP = x.getDouble(row, j) - max - Math.log(sum);
        double want = log ? logP : Math.exp(logP);
        assertEquals(want, p2[row * n + j], tol * (1 + Math.abs(want)));
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Property(tries = 150)
  void softmaxAndLogSoftmaxMatchTheReference(
      @ForAll("nonEmptyShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll int dimSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -20, 20);
    int dim = Math.floorMod(dimSeed, shape.length);
    boolean[] r = reduced(shape.length, new int[] {dim});
    Model max = a.model().reduce(r, Double.NEGATIVE_INFINITY, Math::max, true);
    Model shifted = Model.zip(a.model(), max, (x, m) -> x - m);
    Model sumExp = shifted.map(Math::exp).reduce(r, 0, Double::sum, true);
    Model logSoftmax = Model.zip(shifted, sumExp, (x, s) -> x - Math.log(s));
    double tol = dtype == DType.FLOAT64 ? 1e-12 : 2e-6;
    assertClose("logSoftmax", a.array().logSoftmax(dim), logSoftmax, tol, tol * 10);
    assertClose("softmax", a.array().softmax(dim), logSoftmax.map(Math::exp), tol, tol);
  }

  /**
   * Logits far from zero (±10² … ±10⁷) with a modest spread: log-softmax is (x − max) − log Σ exp(x
   * − max), so the large magnitudes cancel exactly and the error is relative to the result, not to
   * the largest logit. (Forming max + log Σ first rounds the log Σ away: for logits [10⁴, 9990] it
   * gives 0 where the answer is −4.54·10⁻⁵.) Rows of 1 to 40 cover the short-row SIMD block and the
   * per-row path; the reference is float64 on the same float values.
   */
  @Property(tries = 60)
  void logSoftmaxOfLargeMagnitudeLogitsIsAccurateToTheResult(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5) int rows,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 40) int n,
      @ForAll @net.jqwik.api.constraints.DoubleRange(min = 2, max = 7) double magnitude,
      @ForAll boolean negative,
      @ForAll @net.jqwik.api.constraints.DoubleRange(min = 0.1, max = 10) double spread,
      @ForAll long seed) {
    double offset = (negative ? -1 : 1) * Math.pow(10, magnitude);
    NDArray x = NDArray.randn(new Generator(seed), rows, n).mul(spread).add(offset);
    double[] got = x.logSoftmax(1).toDoubleArray();
    double[] v = x.toDoubleArray();
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, v[r * n + j]);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += Math.exp(v[r * n + j] - max);
      }
      for (int j = 0; j < n; j++) {
        double want = v[r * n + j] - max - Math.log(sum);
        double tol = 1e-6 * (1 + Math.abs(want));
        assertEquals(want, got[r * n + j], tol, "row " + r + ", element " + j + " of " + n);
      }
    }
  }

  @Property(tries = 30)
  void softmaxOfExtremeLogitsStaysFinite(@ForAll long seed) {
    NDArray x = NDArray.randn(new Generator(seed), 8, 10).mul(100);
    NDArray p = x.softmax(1);
    NDArray logP = x.logSoftmax(1);
    for (double v : logP.toDoubleArray()) {
      assertEquals(false, Double.isNaN(v) || Double.isInfinite(v), "finite log-softmax");
    }
    for (double s : p.sum(1, false).toDoubleArray()) {
      assertEquals(1.0, s, 1e-5);
    }
  }

  /** sumTo undoes broadcasting: it sums the dims that {@code expand(target → shape)} added. */
  @Property(tries = 150)
  void sumToSumsTheBroadcastDims(
      @ForAll("pairs") int[][] shapes,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    int[] target = shapes[1];
    int[] big = Model.broadcastShape(shapes[0], shapes[1]);
    Sample a = Samples.sample(dtype, big, layout, seed, -2, 2);
    int lead = big.length - target.length;
    boolean[] r = new boolean[big.length];
    for (int d = 0; d < big.length; d++) {
      r[d] = d < lead || (target[d - lead] == 1 && big[d] != 1);
    }
    Model summed = a.model().reduce(r, 0, Double::sum, true);
    Model expected = Model.of(target, summed.values());
    double tol = tolerance(dtype);
    assertClose("sumTo " + a, a.array().sumTo(target), expected, tol, tol * 10);
    if (Model.numel(big) > Model.numel(target)) {
      ErrorProperties.assertMessage(
          IllegalArgumentException.class,
          () -> NDArray.zeros(target).sumTo(big),
          "sumTo",
          java.util.Arrays.toString(big));
    }
  }
}
