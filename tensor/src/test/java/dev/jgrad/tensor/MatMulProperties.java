package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link MatMul} ({@code NDArray.matmul} and {@code NDArray.gemm}) against {@link
 * Model}'s double-precision product: every transpose combination, views of every layout, batch
 * broadcasting, 1-D operands, deep products and the thread count. FLOAT64 products cover {@link
 * Dgemm}; {@link Sgemm}, {@link SmallGemm} and {@link StridedMatrix} also have tests of their own.
 */
class MatMulProperties {

  @Provide
  Arbitrary<Integer> dims() {
    // Around the micro-tile sizes (6 rows, 4 vectors) and past the small-size threshold.
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 8)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(5, 6, 7, 15, 16, 17, 63, 64, 65)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(9, 140)));
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  static Model ref(Model a, Model b) {
    return Model.matmul2d(a, b);
  }

  static double tol(DType dtype, int k) {
    return dtype == DType.FLOAT64 ? 1e-11 : 2e-6 * Math.max(1, Math.sqrt(k)) * 4;
  }

  @Property(tries = 200)
  void gemmMatchesTheReferenceForEveryTransposeCombination(
      @ForAll("dims") int m,
      @ForAll("dims") int n,
      @ForAll("dims") int k,
      @ForAll boolean transA,
      @ForAll boolean transB,
      @ForAll("floatTypes") DType dtype,
      @ForAll("betas") double beta,
      @ForAll long seed) {
    // op(A) is m×k: stored as k×m when transposed.
    Sample a =
        Samples.sample(
            dtype, transA ? new int[] {k, m} : new int[] {m, k}, Layout.CONTIGUOUS, seed, -1, 1);
    Sample b =
        Samples.sample(
            dtype,
            transB ? new int[] {n, k} : new int[] {k, n},
            Layout.CONTIGUOUS,
            seed + 1,
            -1,
            1);
    Sample c = Samples.sample(dtype, new int[] {m, n}, Layout.CONTIGUOUS, seed + 2, -1, 1);
    Model opA = transA ? a.model().transpose2d() : a.model();
    Model opB = transB ? b.model().transpose2d() : b.model();
    double alpha = 0.75;
    // beta = 0 ignores C's old values: NaN there must not reach the result
    Model expected =
        Model.zip(ref(opA, opB), c.model(), (ab, cc) -> alpha * ab + (beta == 0 ? 0 : beta * cc));
    NDArray out = beta == 0 ? NDArray.full(dtype, Double.NaN, m, n) : c.array().clone();
    NDArray.gemm(transA, transB, alpha, a.array(), b.array(), beta, out);
    assertClose("gemm", out, expected, tol(dtype, k), tol(dtype, k));
  }

  @Property(tries = 150)
  void matmulOfViewsMatchesTheReference(
      @ForAll("dims") int m,
      @ForAll("dims") int n,
      @ForAll("dims") int k,
      @ForAll Layout layoutA,
      @ForAll Layout layoutB,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, new int[] {m, k}, layoutA, seed, -1, 1);
    Sample b = Samples.sample(dtype, new int[] {k, n}, layoutB, seed + 1, -1, 1);
    assertClose(
        "matmul " + a + " @ " + b,
        a.array().matmul(b.array()),
        ref(a.model(), b.model()),
        tol(dtype, k),
        tol(dtype, k));
  }

  @Property(tries = 100)
  void batchedMatmulBroadcastsBatchDims(
      @ForAll("dims") int m,
      @ForAll("dims") int n,
      @ForAll("dims") int k,
      @ForAll boolean broadcastA,
      @ForAll long seed) {
    int batch = 3;
    int[] shapeA = broadcastA ? new int[] {1, m, k} : new int[] {batch, m, k};
    int[] shapeB = broadcastA ? new int[] {batch, k, n} : new int[] {k, n};
    Sample a = Samples.sample(DType.FLOAT64, shapeA, Layout.CONTIGUOUS, seed, -1, 1);
    Sample b = Samples.sample(DType.FLOAT64, shapeB, Layout.CONTIGUOUS, seed + 1, -1, 1);
    NDArray out = a.array().matmul(b.array());
    double[] expected = new double[batch * m * n];
    for (int t = 0; t < batch; t++) {
      NDArray at = broadcastA ? a.array().select(0, 0) : a.array().select(0, t);
      NDArray bt = broadcastA ? b.array().select(0, t) : b.array();
      Model mt =
          Model.matmul2d(
              Model.of(at.shape(), at.toDoubleArray()), Model.of(bt.shape(), bt.toDoubleArray()));
      System.arraycopy(mt.values(), 0, expected, t * m * n, m * n);
    }
    assertClose("batched", out, Model.of(new int[] {batch, m, n}, expected), 1e-11, 1e-11);
  }

  @Property(tries = 100)
  void vectorOperandsFollowNumpyRules(
      @ForAll("dims") int m, @ForAll("dims") int k, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT64, new int[] {m, k}, Layout.CONTIGUOUS, seed, -1, 1);
    Sample v = Samples.sample(DType.FLOAT64, new int[] {k}, Layout.CONTIGUOUS, seed + 1, -1, 1);
    Sample w = Samples.sample(DType.FLOAT64, new int[] {m}, Layout.CONTIGUOUS, seed + 2, -1, 1);
    Model col = Model.of(new int[] {k, 1}, v.model().values());
    Model mv = Model.matmul2d(a.model(), col);
    assertClose(
        "matrix·vector",
        a.array().matmul(v.array()),
        Model.of(new int[] {m}, mv.values()),
        1e-11,
        1e-11);
    Model row = Model.of(new int[] {1, m}, w.model().values());
    Model vm = Model.matmul2d(row, a.model());
    assertClose(
        "vector·matrix",
        w.array().matmul(a.array()),
        Model.of(new int[] {k}, vm.values()),
        1e-11,
        1e-11);
    double dot = 0;
    for (int i = 0; i < k; i++) {
      dot += v.model().values()[i] * v.model().values()[i];
    }
    assertClose(
        "vector·vector",
        v.array().matmul(v.array()),
        Model.of(new int[0], new double[] {dot}),
        1e-11,
        1e-11);
  }

  /**
   * Deep products span several k blocks of the packed path; with beta = 0 the first block stores
   * into C, so C's old values (NaN here) must not leak into the result.
   */
  @Property(tries = 30)
  void deepProductsAcrossKBlocksMatchTheReference(
      @ForAll("dims") int m,
      @ForAll("dims") int n,
      @ForAll("deep") int k,
      @ForAll boolean transB,
      @ForAll("betas") double beta,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    NDArray a = NDArray.rand(g, m, k).sub(0.5);
    NDArray b = NDArray.rand(g, transB ? new int[] {n, k} : new int[] {k, n}).sub(0.5);
    NDArray c = beta == 0 ? NDArray.full(Float.NaN, m, n) : NDArray.rand(g, m, n);
    Model opB = Model.of(b.shape(), b.toDoubleArray());
    Model expected =
        Model.zip(
            Model.matmul2d(
                Model.of(a.shape(), a.toDoubleArray()), transB ? opB.transpose2d() : opB),
            Model.of(c.shape(), c.toDoubleArray()),
            (ab, cc) -> beta == 0 ? ab : ab + beta * cc);
    NDArray.gemm(false, transB, 1, a, b, beta, c);
    assertClose("gemm", c, expected, 1e-4, 1e-4);
  }

  /** Narrow products (n < 16) deeper than the narrow path's limit take the dot products. */
  @net.jqwik.api.Example
  void narrowProductsBeyondTheNarrowPathsDepthMatchTheReference() {
    Generator g = new Generator(7);
    int m = 20;
    int n = 3;
    int k = (1 << 16) + 5;
    NDArray a = NDArray.rand(g, m, k).sub(0.5);
    NDArray b = NDArray.rand(g, k, n).sub(0.5);
    NDArray c = NDArray.full(Float.NaN, m, n);
    NDArray.gemm(false, false, 1, a, b, 0, c);
    Model expected =
        Model.matmul2d(
            Model.of(a.shape(), a.toDoubleArray()), Model.of(b.shape(), b.toDoubleArray()));
    assertClose("gemm", c, expected, 1e-4, 1e-3);
  }

  @Provide
  Arbitrary<Integer> deep() {
    return Arbitraries.of(1025, 1536, 2100);
  }

  @Provide
  Arbitrary<Double> betas() {
    return Arbitraries.of(0.0, 1.0, -0.5);
  }

  @Property(tries = 10)
  void resultsAreBitIdenticalOnOneAndTwoThreads(
      @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
    Generator g = new Generator(seed);
    // Past Sgemm's threshold for splitting the work (32 M multiply-adds) and KC deep.
    int m = 70;
    int n = 300;
    int k = 1600;
    NDArray a = NDArray.randn(g, transA ? new int[] {k, m} : new int[] {m, k});
    NDArray b = NDArray.randn(g, transB ? new int[] {n, k} : new int[] {k, n});
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      NDArray c1 = NDArray.zeros(m, n);
      NDArray.gemm(transA, transB, 1, a, b, 0, c1);
      Parallel.setThreads(2);
      NDArray c2 = NDArray.zeros(m, n);
      NDArray.gemm(transA, transB, 1, a, b, 0, c2);
      assertArrayEquals(c1.toFloatArray(), c2.toFloatArray());
      Model opA = Model.of(a.shape(), a.toDoubleArray());
      Model opB = Model.of(b.shape(), b.toDoubleArray());
      Model expected =
          Model.matmul2d(transA ? opA.transpose2d() : opA, transB ? opB.transpose2d() : opB);
      // 1600 products of N(0, 1) values: float32 rounding is about 1e-4 here, so 2e-3 is ~20 sigma
      assertClose("gemm", c2, expected, 1e-4, 2e-3);
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * Attention's products: q [B, H, T, D] times k.transpose(-2, -1), both heads-first views of [B,
   * T, H, D] arrays (as a fused projection produces them), against the reference per (b, h).
   */
  @Property(tries = 60)
  void fourDimensionalProductsOfTransposedViewsMatchTheReference(
      @ForAll("heads") int h,
      @ForAll("dims") int t,
      @ForAll("dims") int d,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    int b = 2;
    Sample q = Samples.sample(dtype, new int[] {b, t, h, d}, Layout.CONTIGUOUS, seed, -1, 1);
    Sample k = Samples.sample(dtype, new int[] {b, t, h, d}, Layout.CONTIGUOUS, seed + 1, -1, 1);
    NDArray qh = q.array().transpose(1, 2); // [B, H, T, D], not contiguous
    NDArray kt = k.array().transpose(1, 2).transpose(-2, -1); // [B, H, D, T]
    NDArray scores = qh.matmul(kt);
    assertArrayEquals(new int[] {b, h, t, t}, scores.shape());
    double[] expected = new double[b * h * t * t];
    for (int bi = 0; bi < b; bi++) {
      for (int hi = 0; hi < h; hi++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < t; j++) {
            double s = 0;
            for (int p = 0; p < d; p++) {
              s += q.model().get(bi, i, hi, p) * k.model().get(bi, j, hi, p);
            }
            expected[((bi * h + hi) * t + i) * t + j] = s;
          }
        }
      }
    }
    assertClose(
        "q @ kT", scores, Model.of(new int[] {b, h, t, t}, expected), tol(dtype, d), tol(dtype, d));
  }

  @Provide
  Arbitrary<Integer> heads() {
    return Arbitraries.integers().between(1, 3);
  }

  @Property(tries = 60)
  void baddbmmAddsTheScaledProductsToTheScaledInput(
      @ForAll("dims") int n,
      @ForAll("dims") int m,
      @ForAll("dims") int p,
      @ForAll("floatTypes") DType dtype,
      @ForAll("betas") double beta,
      @ForAll boolean broadcastInput,
      @ForAll Layout layout,
      @ForAll long seed) {
    int batches = 2;
    Sample b1 = Samples.sample(dtype, new int[] {batches, n, m}, layout, seed, -1, 1);
    Sample b2 =
        Samples.sample(dtype, new int[] {batches, m, p}, Layout.TRANSPOSED, seed + 1, -1, 1);
    int[] inShape = broadcastInput ? new int[] {n, p} : new int[] {batches, n, p};
    Sample in = Samples.sample(dtype, inShape, Layout.CONTIGUOUS, seed + 2, -1, 1);
    NDArray input = beta == 0 ? NDArray.full(dtype, Double.NaN, inShape) : in.array();
    double alpha = -0.5;
    NDArray out = NDArray.baddbmm(input, b1.array(), b2.array(), beta, alpha);
    double[] expected = new double[batches * n * p];
    for (int t = 0; t < batches; t++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++) {
          double s = 0;
          for (int q = 0; q < m; q++) {
            s += b1.model().get(t, i, q) * b2.model().get(t, q, j);
          }
          double c = broadcastInput ? in.model().get(i, j) : in.model().get(t, i, j);
          expected[(t * n + i) * p + j] = alpha * s + (beta == 0 ? 0 : beta * c);
        }
      }
    }
    assertClose(
        "baddbmm",
        out,
        Model.of(new int[] {batches, n, p}, expected),
        tol(dtype, m),
        tol(dtype, m));
  }

  @org.junit.jupiter.api.Test
  void batchedProductsSharedAmongThreadsAreBitIdentical() {
    Generator g = new Generator(11);
    // 128 products of 64×64×64, 2²⁵ multiply-adds together: at the batch threshold only as a
    // batch of 4·32 (each product alone is far below Sgemm's own threshold)
    NDArray q = NDArray.randn(g, 4, 64, 32, 64).transpose(1, 2);
    NDArray k = NDArray.randn(g, 4, 64, 32, 64).transpose(1, 2).transpose(-2, -1);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      NDArray one = q.matmul(k).matmul(q);
      Parallel.setThreads(2);
      NDArray two = q.matmul(k).matmul(q);
      assertArrayEquals(one.toFloatArray(), two.toFloatArray());
      NDArray b = q.select(0, 3).select(0, 5);
      NDArray c = k.select(0, 3).select(0, 5);
      Model ref =
          Model.matmul2d(
              Model.matmul2d(
                  Model.of(b.shape(), b.toDoubleArray()), Model.of(c.shape(), c.toDoubleArray())),
              Model.of(b.shape(), b.toDoubleArray()));
      assertClose("batch [3, 5]", two.select(0, 3).select(0, 5), ref, 1e-3, 1e-2);
    } finally {
      Parallel.setThreads(before);
    }
  }
}
