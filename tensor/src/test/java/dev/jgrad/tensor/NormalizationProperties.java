package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * layerNorm and rmsNorm against the textbook formulas in double precision, row by row, on every
 * layout, with and without weight and bias, and bit-identical on one and two threads;
 * channelMoments and channelNormalize (batch norm's kernels) against per-channel double loops, on
 * every layout, on values far from zero, and bit-identical on one and two threads: covers {@code
 * Normalization}.
 */
class NormalizationProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes(1, 4).filter(s -> Model.numel(s) > 0);
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** The reference: each row of the last {@code k} dims normalised by its own statistics. */
  static Model reference(Model x, int k, double[] w, double[] b, double eps, boolean centre) {
    int[] s = x.shape();
    int n = Model.numel(Arrays.copyOfRange(s, s.length - k, s.length));
    double[] v = x.values();
    double[] out = new double[v.length];
    for (int r = 0; r < v.length / n; r++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += centre ? v[r * n + i] / n : 0;
      }
      double ms = 0;
      for (int i = 0; i < n; i++) {
        ms += (v[r * n + i] - mean) * (v[r * n + i] - mean) / n;
      }
      for (int i = 0; i < n; i++) {
        double y = (v[r * n + i] - mean) / Math.sqrt(ms + eps);
        out[r * n + i] = y * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
      }
    }
    return Model.of(s, out);
  }

  /** The largest 1 / √(σ² + ε) over the rows: how much the rounding of x − μ is magnified. */
  static double maxInverseStd(Model x, int k, double eps) {
    double worst = 0;
    int[] s = x.shape();
    int n = Model.numel(Arrays.copyOfRange(s, s.length - k, s.length));
    for (int r = 0; r < x.values().length / n; r++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += x.values()[r * n + i] / n;
      }
      double var = 0;
      for (int i = 0; i < n; i++) {
        double d = x.values()[r * n + i] - mean;
        var += d * d / n;
      }
      worst = Math.max(worst, 1 / Math.sqrt(var + eps));
    }
    return worst;
  }

  @Property(tries = 150)
  void layerNormAndRmsNormMatchTheFormulas(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll int kSeed,
      @ForAll boolean affine,
      @ForAll boolean withBias,
      @ForAll long seed) {
    Sample x = Samples.sample(dtype, shape, layout, seed, -3, 5);
    int k = 1 + Math.floorMod(kSeed, shape.length);
    int[] normalized = Arrays.copyOfRange(shape, shape.length - k, shape.length);
    Sample w = Samples.sample(dtype, normalized, Layout.CONTIGUOUS, seed + 1, 0.5, 2);
    Sample b = Samples.sample(dtype, normalized, Layout.TRANSPOSED, seed + 2, -1, 1);
    NDArray wa = affine ? w.array() : null;
    NDArray ba = withBias ? b.array() : null;
    double[] wv = affine ? w.model().values() : null;
    double[] bv = withBias ? b.model().values() : null;
    double eps = 1e-5;
    // Rounding x − μ to about 2⁻²³·max|x| (2⁻⁵² in FLOAT64) is magnified by the division by the
    // row's σ: a row of nearly equal values is ill-conditioned, whatever the kernel does.
    // (FLOAT64's unit was 1e-15 until a row of equal values erred by 1.08 times that bound.)
    double unit = dtype == DType.FLOAT32 ? 4e-7 : 4e-15;
    double tol =
        (dtype == DType.FLOAT32 ? 2e-5 : 1e-12)
            + unit * 5 * maxInverseStd(x.model(), k, eps) * (affine ? 2 : 1);
    assertClose(
        "layerNorm " + x,
        x.array().layerNorm(normalized, wa, ba, eps),
        reference(x.model(), k, wv, bv, eps, true),
        tol,
        tol);
    assertClose(
        "rmsNorm " + x,
        x.array().rmsNorm(normalized, wa, eps),
        reference(x.model(), k, wv, null, eps, false),
        tol,
        tol);
  }

  @Test
  void resultsAreBitIdenticalOnOneAndTwoThreads() {
    NDArray x = NDArray.randn(new Generator(5), 300, 512);
    NDArray w = NDArray.rand(new Generator(6), 512);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      NDArray one = x.layerNorm(new int[] {512}, w, w, 1e-5);
      Parallel.setThreads(2);
      NDArray two = x.layerNorm(new int[] {512}, w, w, 1e-5);
      assertArrayEquals(one.toFloatArray(), two.toFloatArray());
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void shapesThatDoNotFitAreRefusedNamingThem() {
    NDArray x = NDArray.zeros(2, 3, 4);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> x.layerNorm(new int[] {3}, null, null, 1e-5));
    assertEquals(
        "layerNorm: normalized shape [3] must be the trailing dims of the input's shape [2, 3, 4]",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.rmsNorm(new int[] {3, 4}, NDArray.ones(4), 1e-5));
    assertEquals(
        "rmsNorm: weight of shape [4] must have the normalized shape [3, 4]", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> NDArray.zeros(DType.INT32, 2, 4).layerNorm(new int[] {4}, null, null, 1e-5));
  }

  // ------------------------------------------------------------------ per-channel (batch norm)

  @Provide
  Arbitrary<int[]> channelShapes() {
    return Samples.shapes(2, 4).filter(s -> Model.numel(s) > 0);
  }

  /** Each channel's values (dim 1), gathered from the model in order. */
  static double[][] channels(Model x) {
    int[] s = x.shape();
    int c = s[1];
    int inner = Model.numel(s) / (s[0] * c);
    double[][] out = new double[c][s[0] * inner];
    for (int n = 0; n < s[0]; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int k = 0; k < inner; k++) {
          out[ch][n * inner + k] = x.values()[(n * c + ch) * inner + k];
        }
      }
    }
    return out;
  }

  @Property(tries = 120)
  void channelMomentsAreEachChannelsMeanAndBiasedVariance(
      @ForAll("channelShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean farFromZero,
      @ForAll long seed) {
    // values near 1000 with a spread of 1: a one-pass Σx² − (Σx)²/n would lose the variance
    double lo = farFromZero ? 1000 : -3;
    double hi = farFromZero ? 1001 : 5;
    Sample x = Samples.sample(dtype, shape, layout, seed, lo, hi);
    double[][] ch = channels(x.model());
    double[] mean = new double[ch.length];
    double[] var = new double[ch.length];
    for (int c = 0; c < ch.length; c++) {
      for (double v : ch[c]) {
        mean[c] += v / ch[c].length;
      }
      for (double v : ch[c]) {
        var[c] += (v - mean[c]) * (v - mean[c]) / ch[c].length;
      }
    }
    NDArray m = x.array().channelMoments();
    assertEquals(dtype, m.dtype());
    double unit = dtype == DType.FLOAT32 ? 1e-6 : 1e-13;
    assertClose("mean " + x, m.select(0, 0), Model.of(new int[] {ch.length}, mean), 0, unit * hi);
    assertClose(
        "variance " + x, m.select(0, 1), Model.of(new int[] {ch.length}, var), 20 * unit, unit);
  }

  @Property(tries = 120)
  void channelNormalizeIsTheAffineMapOfEachChannel(
      @ForAll("channelShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean affine,
      @ForAll boolean withBias,
      @ForAll long seed) {
    Sample x = Samples.sample(dtype, shape, layout, seed, -3, 5);
    int[] c = {shape[1]};
    Sample mean = Samples.sample(dtype, c, Layout.CONTIGUOUS, seed + 1, -1, 1);
    Sample invstd = Samples.sample(dtype, c, Layout.STRIDED, seed + 2, 0.5, 2);
    Sample w = Samples.sample(dtype, c, Layout.CONTIGUOUS, seed + 3, -2, 2);
    Sample b = Samples.sample(dtype, c, Layout.STRIDED, seed + 4, -1, 1);
    int inner = Model.numel(shape) / (shape[0] * shape[1]);
    double[] v = x.model().values();
    double[] expected = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int ch = (i / inner) % shape[1];
      double y = (v[i] - mean.model().values()[ch]) * invstd.model().values()[ch];
      y *= affine ? w.model().values()[ch] : 1;
      expected[i] = y + (withBias ? b.model().values()[ch] : 0);
    }
    NDArray y =
        x.array()
            .channelNormalize(
                mean.array(),
                invstd.array(),
                affine ? w.array() : null,
                withBias ? b.array() : null);
    double tol = dtype == DType.FLOAT32 ? 4e-6 : 1e-14;
    assertEquals(dtype, y.dtype());
    assertClose("channelNormalize " + x, y, Model.of(shape, expected), tol, tol);
  }

  @Test
  void channelKernelsAreBitIdenticalOnOneAndTwoThreads() {
    NDArray x = NDArray.randn(new Generator(7), 16, 8, 30, 30).mul(3).add(2);
    NDArray w = NDArray.rand(new Generator(8), 8);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      NDArray m1 = x.channelMoments();
      NDArray y1 = x.channelNormalize(m1.select(0, 0), m1.select(0, 1).add(1e-5).rsqrt(), w, w);
      Parallel.setThreads(2);
      NDArray m2 = x.channelMoments();
      NDArray y2 = x.channelNormalize(m2.select(0, 0), m2.select(0, 1).add(1e-5).rsqrt(), w, w);
      assertArrayEquals(m1.toFloatArray(), m2.toFloatArray());
      assertArrayEquals(y1.toFloatArray(), y2.toFloatArray());
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void channelKernelsRefuseBadShapesNamingThem() {
    NDArray x = NDArray.zeros(2, 3, 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(5).channelMoments());
    assertEquals(
        "channelMoments: expects an input of shape (N, C, ...), got shape [5]", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> NDArray.zeros(DType.INT32, 2, 4).channelMoments());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.channelNormalize(NDArray.zeros(3), NDArray.ones(3), NDArray.ones(4), null));
    assertEquals(
        "channelNormalize: weight of shape [4] does not match the 3 channels of the input of shape"
            + " [2, 3, 4]",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.channelNormalize(null, NDArray.ones(3), null, null));
    assertEquals("channelNormalize: mean must not be null", e.getMessage());
    NDArray empty = NDArray.zeros(0, 3, 4).channelMoments();
    assertArrayEquals(new int[] {2, 3}, empty.shape());
    assertEquals(Float.NaN, empty.toFloatArray()[0]);
  }
}
