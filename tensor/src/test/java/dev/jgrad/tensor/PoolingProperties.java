package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@code Pooling} against naive double-precision loops written from PyTorch's definitions (each
 * window's taps enumerated one by one), on random (N, C, H, W) and (C, H, W) shapes, kernels,
 * strides, paddings, dilations and ceil modes, in contiguous, transposed, strided and expanded
 * layouts, both float dtypes; the adjoints against naive scatters; 1 and 2 threads bit for bit; and
 * every error naming the op and the shape.
 */
class PoolingProperties {

  /** The arguments of one pooling: sizes per dim {h, w}. */
  record Geometry(int[] k, int[] s, int[] p, int[] d, boolean ceil) {
    @Override
    public String toString() {
      return String.format(
          "k=%s s=%s p=%s d=%s ceil=%s",
          Arrays.toString(k), Arrays.toString(s), Arrays.toString(p), Arrays.toString(d), ceil);
    }
  }

  @Provide
  Arbitrary<int[]> inputShapes() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> plane =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 9)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(Samples.W - 1, Samples.W, Samples.W + 1)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(10, 40)));
    return Combinators.combine(small, small, plane, plane, Arbitraries.of(true, false))
        .as(
            (n, c, h, w, batched) ->
                batched ? new int[] {n, c, h, w} : new int[] {Math.max(c, 1), h, w});
  }

  @Provide
  Arbitrary<Geometry> geometries() {
    Arbitrary<Integer> k = Arbitraries.integers().between(1, 5);
    Arbitrary<Integer> s = Arbitraries.integers().between(1, 4);
    Arbitrary<Integer> d =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 3)));
    Arbitrary<Integer> bits = Arbitraries.integers().between(0, 1 << 10);
    return Combinators.combine(k, k, s, s, d, d, bits, Arbitraries.of(true, false))
        .as(
            (kh, kw, sh, sw, dh, dw, b, ceil) ->
                new Geometry(
                    new int[] {kh, kw},
                    new int[] {sh, sw},
                    new int[] {(b & 7) % (kh / 2 + 1), ((b >>> 3) & 7) % (kw / 2 + 1)},
                    new int[] {dh, dw},
                    ceil));
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  @Provide
  Arbitrary<Layout> layouts() {
    return Samples.layouts();
  }

  // ------------------------------------------------------------------ the naive references

  /** How many windows fit, counted one by one from PyTorch's definition. */
  static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
    int span = in + 2 * p - d * (k - 1) - 1; // the last position a window may start at
    int count = 0;
    for (int o = 0; o < 10_000; o++) {
      boolean fits = ceil ? o * s < span + s && o * s - p < in : o * s <= span;
      if (!fits) {
        break;
      }
      count++;
    }
    return count;
  }

  static int[] outShape(int[] shape, int oh, int ow) {
    int[] s = shape.clone();
    s[s.length - 2] = oh;
    s[s.length - 1] = ow;
    return s;
  }

  static int planes(int[] shape) {
    return Model.numel(shape) / (shape[shape.length - 2] * shape[shape.length - 1]);
  }

  /** Whether each of the {@code out} windows along a dim has a tap inside [0, in). */
  static boolean everyWindowHasATap(int in, int out, int k, int s, int p, int d) {
    for (int o = 0; o < out; o++) {
      boolean any = false;
      for (int j = 0; j < k; j++) {
        int at = o * s - p + j * d;
        any |= at >= 0 && at < in;
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /** Max pooling: values and indices, or null when some window holds only padding. */
  static Model[] maxReference(Model x, Geometry g) {
    int[] shape = x.shape();
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int oh = outSize(h, g.k[0], g.s[0], g.p[0], g.d[0], g.ceil);
    int ow = outSize(w, g.k[1], g.s[1], g.p[1], g.d[1], g.ceil);
    if (!everyWindowHasATap(h, oh, g.k[0], g.s[0], g.p[0], g.d[0])
        || !everyWindowHasATap(w, ow, g.k[1], g.s[1], g.p[1], g.d[1])) {
      return null;
    }
    int[] os = outShape(shape, oh, ow);
    double[] v = new double[Model.numel(os)];
    double[] at = new double[v.length];
    for (int plane = 0; plane < planes(shape); plane++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double best = Double.NEGATIVE_INFINITY;
          int bestAt = -1;
          for (int a = 0; a < g.k[0]; a++) {
            for (int b = 0; b < g.k[1]; b++) {
              int r = i * g.s[0] - g.p[0] + a * g.d[0];
              int c = j * g.s[1] - g.p[1] + b * g.d[1];
              if (r < 0 || r >= h || c < 0 || c >= w) {
                continue;
              }
              double val = x.values()[plane * h * w + r * w + c];
              if (bestAt < 0 || val > best) {
                best = val;
                bestAt = r * w + c;
              }
            }
          }
          if (bestAt < 0) {
            return null;
          }
          v[plane * oh * ow + i * ow + j] = best;
          at[plane * oh * ow + i * ow + j] = bestAt;
        }
      }
    }
    return new Model[] {Model.of(os, v), Model.of(os, at)};
  }

  /** One dim's average windows: {start, end, divisor} per output, from PyTorch's definition. */
  static int[][] avgWindows(int in, int out, int k, int s, int p, boolean countIncludePad) {
    int[][] r = new int[out][];
    for (int o = 0; o < out; o++) {
      int lo = o * s - p;
      int hi = Math.min(lo + k, in + p);
      int clippedLo = Math.max(lo, 0);
      int clippedHi = Math.min(hi, in);
      r[o] = new int[] {clippedLo, clippedHi, countIncludePad ? hi - lo : clippedHi - clippedLo};
    }
    return r;
  }

  static int[][] adaptiveWindows(int in, int out) {
    int[][] r = new int[out][];
    for (int o = 0; o < out; o++) {
      int lo = (int) Math.floor((double) o * in / out);
      int hi = (int) Math.ceil((double) (o + 1) * in / out);
      r[o] = new int[] {lo, hi, hi - lo};
    }
    return r;
  }

  /** Σ over each window / divisor. */
  static Model meanReference(Model x, int[][] wh, int[][] ww) {
    int[] shape = x.shape();
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int[] os = outShape(shape, wh.length, ww.length);
    double[] v = new double[Model.numel(os)];
    for (int plane = 0; plane < planes(shape); plane++) {
      for (int i = 0; i < wh.length; i++) {
        for (int j = 0; j < ww.length; j++) {
          double sum = 0;
          for (int r = wh[i][0]; r < wh[i][1]; r++) {
            for (int c = ww[j][0]; c < ww[j][1]; c++) {
              sum += x.values()[plane * h * w + r * w + c];
            }
          }
          v[plane * wh.length * ww.length + i * ww.length + j] = sum / (wh[i][2] * ww[j][2]);
        }
      }
    }
    return Model.of(os, v);
  }

  /** The transpose of {@link #meanReference}: each y / divisor added over its window. */
  static Model meanAdjointReference(Model y, int h, int w, int[][] wh, int[][] ww) {
    int[] shape = y.shape();
    int[] is = outShape(shape, h, w);
    double[] v = new double[Model.numel(is)];
    for (int plane = 0; plane < planes(shape); plane++) {
      for (int i = 0; i < wh.length; i++) {
        for (int j = 0; j < ww.length; j++) {
          double share =
              y.values()[plane * wh.length * ww.length + i * ww.length + j] / (wh[i][2] * ww[j][2]);
          for (int r = wh[i][0]; r < wh[i][1]; r++) {
            for (int c = ww[j][0]; c < ww[j][1]; c++) {
              v[plane * h * w + r * w + c] += share;
            }
          }
        }
      }
    }
    return Model.of(is, v);
  }

  static double tolerance(DType dtype) {
    return dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
  }

  // ------------------------------------------------------------------ properties

  @Property(tries = 250)
  void maxPoolMatchesTheReference(
      @ForAll("inputShapes") int[] shape,
      @ForAll("geometries") Geometry g,
      @ForAll("floatTypes") DType dtype,
      @ForAll("layouts") Layout layout,
      @ForAll long seed) {
    Sample x = Samples.sample(dtype, shape, layout, seed, -3, 3);
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int oh = outSize(h, g.k[0], g.s[0], g.p[0], g.d[0], g.ceil);
    int ow = outSize(w, g.k[1], g.s[1], g.p[1], g.d[1], g.ceil);
    if (oh < 1 || ow < 1) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> maxPool(x.array(), g));
      assertTrue(e.getMessage().startsWith("maxPool2d: kernel size"), e.getMessage());
      assertTrue(e.getMessage().contains(Arrays.toString(shape)), e.getMessage());
      return;
    }
    Model[] expected = maxReference(x.model(), g);
    if (expected == null) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> maxPool(x.array(), g));
      assertTrue(e.getMessage().contains("holds only padding"), e.getMessage());
      return;
    }
    ValuesAndIndices got = maxPool(x.array(), g);
    assertEquals(dtype, got.values().dtype());
    assertEquals(DType.INT32, got.indices().dtype());
    assertClose("maxPool2d values " + g, got.values(), expected[0], 0, 0);
    assertClose("maxPool2d indices " + g, got.indices(), expected[1], 0, 0);
  }

  @Provide
  Arbitrary<int[]> widePlanes() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 7),
            Arbitraries.integers().between(16, 90))
        .as((c, h, w) -> new int[] {2, c, h, w});
  }

  /** Rows wide enough for the SIMD path of FLOAT32 max pooling, with its scalar edges. */
  @Property(tries = 120)
  void maxPoolOnWideRowsMatchesTheReference(
      @ForAll("widePlanes") int[] shape,
      @ForAll("geometries") Geometry g,
      @ForAll("layouts") Layout layout,
      @ForAll boolean withNaN,
      @ForAll long seed) {
    Sample x = Samples.sample(DType.FLOAT32, shape, layout, seed, -3, 3);
    Model model = x.model();
    NDArray array = x.array();
    if (withNaN) { // ties and NaN must resolve as in the scalar path: the first max, the last NaN
      array = array.clamp(-1, 1).contiguous();
      double[] v = array.toDoubleArray();
      v[(int) Math.floorMod(seed, (long) v.length)] = Double.NaN;
      v[(int) Math.floorMod(seed >>> 20, (long) v.length)] = Double.NaN;
      array = Samples.contiguous(DType.FLOAT32, shape, v);
      model = Model.of(shape, v);
    }
    Model[] expected = maxReferenceWithNaN(model, g);
    if (expected == null) {
      return; // kernels that do not fit: covered by maxPoolMatchesTheReference
    }
    ValuesAndIndices got = maxPool(array, g);
    assertClose("maxPool2d values " + g, got.values(), expected[0], 0, 0);
    assertClose("maxPool2d indices " + g, got.indices(), expected[1], 0, 0);
  }

  @Provide
  Arbitrary<int[]> pairwisePlanes() {
    Arbitrary<Integer> size = Arbitraries.integers().between(2, 40);
    return Combinators.combine(
            Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3), size, size)
        .as((n, c, h, w) -> new int[] {n, c, h, w});
  }

  /**
   * The CNN's 2 × 2 window at stride 2 (FLOAT32 has a lane kernel of its own for it): odd sizes
   * (the last row or column dropped), views, and ties and NaN, which must resolve as the scalar
   * path does (the first max, the last NaN), in either mode (ceil mode adds the clipped windows of
   * odd sizes, which take the general kernels).
   */
  @Property(tries = 120)
  void maxPoolTwoByTwoMatchesTheReference(
      @ForAll("pairwisePlanes") int[] shape,
      @ForAll("layouts") Layout layout,
      @ForAll boolean tiesAndNaN,
      @ForAll boolean ceil,
      @ForAll long seed) {
    Sample x = Samples.sample(DType.FLOAT32, shape, layout, seed, -3, 3);
    Model model = x.model();
    NDArray array = x.array();
    if (tiesAndNaN) { // values in {-1, ..., 1} after clamping, so ties are common
      double[] v = array.clamp(-1, 1).toDoubleArray();
      for (int k = 0; k < 3; k++) {
        v[(int) Math.floorMod(seed >>> (k * 16), (long) v.length)] = Double.NaN;
      }
      array = Samples.contiguous(DType.FLOAT32, shape, v);
      model = Model.of(shape, v);
    }
    int[] two = {2, 2};
    Geometry g = new Geometry(two, two, new int[] {0, 0}, new int[] {1, 1}, ceil);
    Model[] expected = maxReferenceWithNaN(model, g);
    ValuesAndIndices got = maxPool(array, g);
    assertClose("maxPool2d values " + g, got.values(), expected[0], 0, 0);
    assertClose("maxPool2d indices " + g, got.indices(), expected[1], 0, 0);
  }

  /** Average pooling of FLOAT32 rows of all widths, windows clipped at both edges. */
  @Property(tries = 100)
  void avgPoolOnWideRowsMatchesTheReference(
      @ForAll("widePlanes") int[] shape,
      @ForAll("geometries") Geometry g,
      @ForAll boolean countIncludePad,
      @ForAll("layouts") Layout layout,
      @ForAll long seed) {
    Sample x = Samples.sample(DType.FLOAT32, shape, layout, seed, -3, 3);
    int h = shape[2];
    int w = shape[3];
    int oh = outSize(h, g.k[0], g.s[0], g.p[0], 1, g.ceil);
    int ow = outSize(w, g.k[1], g.s[1], g.p[1], 1, g.ceil);
    if (oh < 1 || ow < 1) {
      return; // kernels that do not fit: covered by avgPoolAndItsAdjointMatchTheReference
    }
    int[][] wh = avgWindows(h, oh, g.k[0], g.s[0], g.p[0], countIncludePad);
    int[][] ww = avgWindows(w, ow, g.k[1], g.s[1], g.p[1], countIncludePad);
    NDArray got = x.array().avgPool2d(g.k, g.s, g.p, g.ceil, countIncludePad);
    assertClose("avgPool2d " + g, got, meanReference(x.model(), wh, ww), 1e-5, 1e-6);
  }

  /** {@link #maxReference} with PyTorch's NaN rule: a NaN tap always wins (so the last one). */
  static Model[] maxReferenceWithNaN(Model x, Geometry g) {
    int[] shape = x.shape();
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int oh = outSize(h, g.k[0], g.s[0], g.p[0], g.d[0], g.ceil);
    int ow = outSize(w, g.k[1], g.s[1], g.p[1], g.d[1], g.ceil);
    if (oh < 1 || ow < 1) {
      return null;
    }
    if (!everyWindowHasATap(h, oh, g.k[0], g.s[0], g.p[0], g.d[0])
        || !everyWindowHasATap(w, ow, g.k[1], g.s[1], g.p[1], g.d[1])) {
      return null;
    }
    int[] os = outShape(shape, oh, ow);
    double[] v = new double[Model.numel(os)];
    double[] at = new double[v.length];
    for (int plane = 0; plane < planes(shape); plane++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double best = Double.NEGATIVE_INFINITY;
          int bestAt = -1;
          for (int a = 0; a < g.k[0]; a++) {
            for (int b = 0; b < g.k[1]; b++) {
              int r = i * g.s[0] - g.p[0] + a * g.d[0];
              int c = j * g.s[1] - g.p[1] + b * g.d[1];
              if (r < 0 || r >= h || c < 0 || c >= w) {
                continue;
              }
              double val = x.values()[plane * h * w + r * w + c];
              if (bestAt < 0 || val > best || Double.isNaN(val)) {
                best = val;
                bestAt = r * w + c;
              }
            }
          }
          if (bestAt < 0) {
            return null;
          }
          v[plane * oh * ow + i * ow + j] = best;
          at[plane * oh * ow + i * ow + j] = bestAt;
        }
      }
    }
    return new Model[] {Model.of(os, v), Model.of(os, at)};
  }

  static ValuesAndIndices maxPool(NDArray x, Geometry g) {
    return x.maxPool2d(g.k, g.s, g.p, g.d, g.ceil);
  }

  @Property(tries = 250)
  void avgPoolAndItsAdjointMatchTheReference(
      @ForAll("inputShapes") int[] shape,
      @ForAll("geometries") Geometry g,
      @ForAll boolean countIncludePad,
      @ForAll("floatTypes") DType dtype,
      @ForAll("layouts") Layout layout,
      @ForAll long seed) {
    Sample x = Samples.sample(dtype, shape, layout, seed, -3, 3);
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int oh = outSize(h, g.k[0], g.s[0], g.p[0], 1, g.ceil);
    int ow = outSize(w, g.k[1], g.s[1], g.p[1], 1, g.ceil);
    if (oh < 1 || ow < 1) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> x.array().avgPool2d(g.k, g.s, g.p, g.ceil, countIncludePad));
      assertTrue(e.getMessage().startsWith("avgPool2d: kernel size"), e.getMessage());
      return;
    }
    int[][] wh = avgWindows(h, oh, g.k[0], g.s[0], g.p[0], countIncludePad);
    int[][] ww = avgWindows(w, ow, g.k[1], g.s[1], g.p[1], countIncludePad);
    NDArray got = x.array().avgPool2d(g.k, g.s, g.p, g.ceil, countIncludePad);
    assertClose("avgPool2d " + g, got, meanReference(x.model(), wh, ww), tolerance(dtype), 1e-6);

    Sample y = Samples.sample(dtype, outShape(shape, oh, ow), layout, seed + 1, -3, 3);
    NDArray spread = y.array().avgPool2dAdjoint(h, w, g.k, g.s, g.p, g.ceil, countIncludePad);
    assertClose(
        "avgPool2dAdjoint " + g,
        spread,
        meanAdjointReference(y.model(), h, w, wh, ww),
        tolerance(dtype),
        1e-6);
  }

  @Property(tries = 150)
  void adaptiveAvgPoolAndItsAdjointMatchTheReference(
      @ForAll("inputShapes") int[] shape,
      @ForAll @IntRange(min = 1, max = 9) int oh,
      @ForAll @IntRange(min = 1, max = 9) int ow,
      @ForAll("floatTypes") DType dtype,
      @ForAll("layouts") Layout layout,
      @ForAll long seed) {
    Sample x = Samples.sample(dtype, shape, layout, seed, -3, 3);
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    int[][] wh = adaptiveWindows(h, oh);
    int[][] ww = adaptiveWindows(w, ow);
    assertClose(
        "adaptiveAvgPool2d",
        x.array().adaptiveAvgPool2d(oh, ow),
        meanReference(x.model(), wh, ww),
        tolerance(dtype),
        1e-6);
    Sample y = Samples.sample(dtype, outShape(shape, oh, ow), layout, seed + 1, -3, 3);
    assertClose(
        "adaptiveAvgPool2dAdjoint",
        y.array().adaptiveAvgPool2dAdjoint(h, w),
        meanAdjointReference(y.model(), h, w, wh, ww),
        tolerance(dtype),
        1e-6);
  }

  @Property(tries = 4)
  void oneAndTwoThreadsGiveTheSameBits(@ForAll("floatTypes") DType dtype, @ForAll long seed) {
    Generator gen = new Generator(seed);
    NDArray x = NDArray.randn(gen, dtype, 4, 40, 32, 33);
    NDArray y = NDArray.randn(gen, dtype, 4, 40, 16, 17);
    int before = Parallel.threads();
    try {
      NDArray[][] runs = new NDArray[2][];
      for (int t = 1; t <= 2; t++) {
        Parallel.setThreads(t);
        ValuesAndIndices max =
            x.maxPool2d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true);
        ValuesAndIndices pairs = // the 2 × 2 stride-2 lane kernel, an odd last column dropped
            x.maxPool2d(new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false);
        runs[t - 1] =
            new NDArray[] {
              max.values(),
              max.indices(),
              pairs.values(),
              pairs.indices(),
              x.avgPool2d(new int[] {2}, null, new int[] {0}, true, false),
              y.avgPool2dAdjoint(32, 33, new int[] {2}, null, new int[] {0}, true, false),
              x.adaptiveAvgPool2d(5, 7),
              y.adaptiveAvgPool2dAdjoint(32, 33),
              x.adaptiveAvgPool2d(1, 1)
            };
      }
      for (int i = 0; i < runs[0].length; i++) {
        assertArrayEquals(runs[0][i].toDoubleArray(), runs[1][i].toDoubleArray(), "result " + i);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  // ------------------------------------------------------------------ examples and errors

  @Test
  void maxPoolPicksTheFirstOfEqualMaximaAndPropagatesNaN() {
    NDArray x = NDArray.of(new float[][] {{1, 5, 5, 2}, {5, 0, Float.NaN, 9}}).reshape(1, 1, 2, 4);
    ValuesAndIndices r =
        x.maxPool2d(new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false);
    assertArrayEquals(new float[] {5, Float.NaN}, r.values().toFloatArray());
    assertArrayEquals(new int[] {1, 6}, r.indices().toIntArray());
  }

  @Test
  void ceilModeKeepsAPartialLastWindowButNotOneStartingInThePadding() {
    NDArray x = NDArray.arange(5).to(DType.FLOAT32).reshape(1, 1, 1, 5);
    int[] one = {1};
    // floor: windows [0,2) [2,4); ceil adds [4,5)
    NDArray floor =
        x.maxPool2d(new int[] {1, 2}, new int[] {1, 2}, new int[] {0}, one, false).values();
    NDArray ceil =
        x.maxPool2d(new int[] {1, 2}, new int[] {1, 2}, new int[] {0}, one, true).values();
    assertArrayEquals(new float[] {1, 3}, floor.toFloatArray());
    assertArrayEquals(new float[] {1, 3, 4}, ceil.toFloatArray());
    // W = 3, k = 2, s = 2, p = 1: windows [−1,1) [1,3); ceil mode's third would start at 3 = W,
    // in the right padding, so it is dropped
    NDArray y = NDArray.arange(3).to(DType.FLOAT32).reshape(1, 1, 1, 3);
    NDArray padded = y.avgPool2d(new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 1}, true, true);
    assertArrayEquals(new float[] {0, 1.5f}, padded.toFloatArray());
  }

  @Test
  void countIncludePadChangesOnlyTheDivisor() {
    NDArray x = NDArray.ones(1, 1, 2, 2);
    int[] k = {2};
    int[] s = {1};
    int[] p = {1};
    NDArray with = x.avgPool2d(k, s, p, false, true);
    NDArray without = x.avgPool2d(k, s, p, false, false);
    assertArrayEquals(new int[] {1, 1, 3, 3}, with.shape());
    assertArrayEquals(
        new float[] {.25f, .5f, .25f, .5f, 1, .5f, .25f, .5f, .25f}, with.toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, without.toFloatArray());
  }

  @Test
  void adaptiveWindowsOverlapWhenTheSizeDoesNotDivide() {
    NDArray x = NDArray.of(1f, 2, 3, 4, 5).reshape(1, 5, 1).unsqueeze(0).permute(0, 1, 3, 2);
    // [1, 1, 1, 5] -> 3 windows: [0,2) [1,4) [3,5)
    NDArray y = x.adaptiveAvgPool2d(1, 3);
    assertArrayEquals(new float[] {1.5f, 3, 4.5f}, y.toFloatArray());
  }

  @Test
  void errorsNameTheOpAndTheShapes() {
    NDArray x = NDArray.zeros(2, 3, 4, 4);
    int[] one = {1};
    int[] zero = {0};
    assertMessage(
        "maxPool2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape [4, 4]",
        () -> NDArray.zeros(4, 4).maxPool2d(one, one, zero, one, false));
    assertMessage(
        "maxPool2d: kernel size [5, 5] with dilation [1, 1] is larger than the input of shape"
            + " [2, 3, 4, 4] padded by [0, 0] (output size [0, 0])",
        () -> x.maxPool2d(new int[] {5}, one, zero, one, false));
    assertMessage(
        "maxPool2d: stride must be positive, got [0] (input of shape [2, 3, 4, 4])",
        () -> x.maxPool2d(one, new int[] {0}, zero, one, false));
    assertMessage(
        "avgPool2d: stride must be positive, got [1, -1] (input of shape [2, 3, 4, 4])",
        () -> x.avgPool2d(one, new int[] {1, -1}, zero, false, true));
    assertMessage(
        "avgPool2d: padding [2, 2] must be at most half of the kernel size [3, 3] (input of shape"
            + " [2, 3, 4, 4])",
        () -> x.avgPool2d(new int[] {3}, one, new int[] {2}, false, true));
    assertMessage(
        "maxPool2d: padding [0, 1] must be at most half of the kernel size [2, 1] (input of shape"
            + " [2, 3, 4, 4])",
        () -> x.maxPool2d(new int[] {2, 1}, one, new int[] {0, 1}, one, false));
    assertMessage(
        "maxPool2d: kernel size must have 1 or 2 values, got [1, 2, 3] (input of shape [2, 3, 4, 4])",
        () -> x.maxPool2d(new int[] {1, 2, 3}, one, zero, one, false));
    assertMessage(
        "maxPool2d: dilation must be positive, got [0] (input of shape [2, 3, 4, 4])",
        () -> x.maxPool2d(one, one, zero, zero, false));
    assertMessage(
        "avgPool2d: the input of shape [2, 3, 0, 4] has an empty plane",
        () -> NDArray.zeros(2, 3, 0, 4).avgPool2d(one, one, zero, false, true));
    assertMessage(
        "adaptiveAvgPool2d: output size must be positive, got [0, 2]",
        () -> x.adaptiveAvgPool2d(0, 2));
    assertMessage(
        "avgPool2dAdjoint: an array of shape [2, 3, 3, 3] is not the output of pooling a [4, 4]"
            + " plane, which gives [2, 2]",
        () ->
            NDArray.zeros(2, 3, 3, 3)
                .avgPool2dAdjoint(4, 4, new int[] {2}, null, zero, false, true));
    assertMessage(
        "maxPool2d: the window at output column 0 of the input of shape [1, 1, 1, 1] holds only"
            + " padding (kernel size [1, 2], padding [0, 1], dilation [1, 2])",
        () ->
            NDArray.zeros(1, 1, 1, 1)
                .maxPool2d(new int[] {1, 2}, one, new int[] {0, 1}, new int[] {1, 2}, false));
  }

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }
}
