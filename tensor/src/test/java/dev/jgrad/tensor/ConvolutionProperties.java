package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code Convolution}'s three ops (and {@code Im2col}, the index maps their kernels use) ({@link
 * NDArray#conv2d}, {@link NDArray#convTranspose2d}, {@link NDArray#conv2dWeightCorrelation})
 * against naive double loops written from PyTorch's definitions, on random batch sizes, channels,
 * groups (depthwise included), kernels, strides, dilations and asymmetric paddings, with inputs as
 * contiguous, transposed, strided and expanded views, in FLOAT32 and FLOAT64; their adjointness;
 * bit-identical results on one and two threads; and an error, naming the op and the shapes, for
 * each kind of bad input.
 */
class ConvolutionProperties {

  /** One random conv2d problem: sizes, kernel geometry and four pads (top, bottom, left, right). */
  record Case(
      int n,
      int c,
      int h,
      int w,
      int o,
      int groups,
      int kh,
      int kw,
      int sh,
      int sw,
      int[] pad,
      int dh,
      int dw,
      boolean bias) {

    int oh() {
      return (h + pad[0] + pad[1] - dh * (kh - 1) - 1) / sh + 1;
    }

    int ow() {
      return (w + pad[2] + pad[3] - dw * (kw - 1) - 1) / sw + 1;
    }

    int[] input() {
      return new int[] {n, c, h, w};
    }

    int[] weight() {
      return new int[] {o, c / groups, kh, kw};
    }

    int[] output() {
      return new int[] {n, o, oh(), ow()};
    }

    int[] stride() {
      return new int[] {sh, sw};
    }

    int[] dilation() {
      return new int[] {dh, dw};
    }

    int[] kernel() {
      return new int[] {kh, kw};
    }

    @Override
    public String toString() {
      return String.format(
          "x %s w %s groups %d stride %s pad %s dilation %s",
          Arrays.toString(input()),
          Arrays.toString(weight()),
          groups,
          Arrays.toString(stride()),
          Arrays.toString(pad),
          Arrays.toString(dilation()));
    }
  }

  /** A valid random case from a seed; {@code big} gives sizes that take the packed GEMM. */
  static Case randomCase(long seed, boolean big) {
    Generator g = new Generator(seed);
    while (true) {
      int groups = g.nextDouble() < 0.6 ? 1 : 1 + g.nextInt(3);
      int cg = 1 + g.nextInt(big ? 8 : 3);
      boolean depthwise = g.nextDouble() < 0.2;
      int og = depthwise ? 1 + g.nextInt(2) : 1 + g.nextInt(big ? 24 : 3);
      if (depthwise) {
        groups = 1 + g.nextInt(4);
        cg = 1;
      }
      int kh = 1 + g.nextInt(4);
      int kw = 1 + g.nextInt(4);
      int sh = 1 + g.nextInt(3);
      int sw = 1 + g.nextInt(3);
      int dh = g.nextDouble() < 0.6 ? 1 : 1 + g.nextInt(3);
      int dw = g.nextDouble() < 0.6 ? 1 : 1 + g.nextInt(3);
      int[] pad = {g.nextInt(3), g.nextInt(3), g.nextInt(3), g.nextInt(3)};
      int h = 1 + g.nextInt(big ? 24 : 9);
      int w = 1 + g.nextInt(big ? 24 : 9);
      if (g.nextDouble() < 0.15) {
        w = Samples.W + g.nextInt(3) - 1; // a row around one SIMD vector
      }
      // Batches of 9 or more put several images side by side in one product (imagesPerProduct).
      double batch = g.nextDouble();
      int n = batch < 0.1 ? 0 : batch < 0.3 ? 9 + g.nextInt(12) : 1 + g.nextInt(big ? 3 : 4);
      Case k =
          new Case(
              n,
              groups * cg,
              h,
              w,
              groups * og,
              groups,
              kh,
              kw,
              sh,
              sw,
              pad,
              dh,
              dw,
              g.nextDouble() < 0.7);
      if (h + pad[0] + pad[1] >= dh * (kh - 1) + 1 && w + pad[2] + pad[3] >= dw * (kw - 1) + 1) {
        return k;
      }
    }
  }

  // ------------------------------------------------------------------ the naive references

  /** y[n, o, p, q] = b[o] + Σ w[o, c, i, j]·x[n, g·C/G + c, p·sh + i·dh − pt, q·sw + j·dw − pl]. */
  static Model conv2dReference(Case k, Model x, Model w, Model b) {
    int[] shape = k.output();
    double[] y = new double[Model.numel(shape)];
    int cg = k.c / k.groups;
    int og = k.o / k.groups;
    for (int n = 0; n < k.n; n++) {
      for (int o = 0; o < k.o; o++) {
        int group = o / og;
        for (int p = 0; p < k.oh(); p++) {
          for (int q = 0; q < k.ow(); q++) {
            double sum = b == null ? 0 : b.get(o);
            for (int c = 0; c < cg; c++) {
              for (int i = 0; i < k.kh; i++) {
                for (int j = 0; j < k.kw; j++) {
                  int hh = p * k.sh + i * k.dh - k.pad[0];
                  int ww = q * k.sw + j * k.dw - k.pad[2];
                  if (hh >= 0 && hh < k.h && ww >= 0 && ww < k.w) {
                    sum += w.get(o, c, i, j) * x.get(n, group * cg + c, hh, ww);
                  }
                }
              }
            }
            y[Model.flat(shape, new int[] {n, o, p, q})] = sum;
          }
        }
      }
    }
    return Model.of(shape, y);
  }

  /**
   * PyTorch's conv_transpose2d: z[n, g·O/G + o, p·sh + i·dh − pt, q·sw + j·dw − pl] += y[n, c, p,
   * q]·w[c, o, i, j] for c in group g, plus b; z is [N, O, OH, OW] with the given output size.
   */
  static Model convTransposeReference(
      Model y, Model w, Model b, int groups, int[] s, int[] pad, int[] d, int oh, int ow) {
    int n = y.shape()[0];
    int cin = y.shape()[1];
    int og = w.shape()[1];
    int o = og * groups;
    int cg = cin / groups;
    int[] shape = {n, o, oh, ow};
    double[] z = new double[Model.numel(shape)];
    for (int img = 0; img < n; img++) {
      for (int oc = 0; oc < o; oc++) {
        for (int u = 0; u < oh; u++) {
          for (int v = 0; v < ow; v++) {
            z[Model.flat(shape, new int[] {img, oc, u, v})] = b == null ? 0 : b.get(oc);
          }
        }
      }
      for (int c = 0; c < cin; c++) {
        int group = c / cg;
        for (int p = 0; p < y.shape()[2]; p++) {
          for (int q = 0; q < y.shape()[3]; q++) {
            for (int oo = 0; oo < og; oo++) {
              for (int i = 0; i < w.shape()[2]; i++) {
                for (int j = 0; j < w.shape()[3]; j++) {
                  int u = p * s[0] + i * d[0] - pad[0];
                  int v = q * s[1] + j * d[1] - pad[2];
                  if (u >= 0 && u < oh && v >= 0 && v < ow) {
                    z[Model.flat(shape, new int[] {img, group * og + oo, u, v})] +=
                        y.get(img, c, p, q) * w.get(c, oo, i, j);
                  }
                }
              }
            }
          }
        }
      }
    }
    return Model.of(shape, z);
  }

  /**
   * r[o, c, i, j] = Σ_{n,p,q} y[n, o, p, q]·x[n, g·C/G + c, p·sh + i·dh − pt, q·sw + j·dw − pl].
   */
  static Model weightCorrelationReference(Case k, Model x, Model y) {
    int[] shape = k.weight();
    double[] r = new double[Model.numel(shape)];
    int cg = k.c / k.groups;
    int og = k.o / k.groups;
    for (int o = 0; o < k.o; o++) {
      int group = o / og;
      for (int c = 0; c < cg; c++) {
        for (int i = 0; i < k.kh; i++) {
          for (int j = 0; j < k.kw; j++) {
            double sum = 0;
            for (int n = 0; n < k.n; n++) {
              for (int p = 0; p < y.shape()[2]; p++) {
                for (int q = 0; q < y.shape()[3]; q++) {
                  int hh = p * k.sh + i * k.dh - k.pad[0];
                  int ww = q * k.sw + j * k.dw - k.pad[2];
                  if (hh >= 0 && hh < k.h && ww >= 0 && ww < k.w) {
                    sum += y.get(n, o, p, q) * x.get(n, group * cg + c, hh, ww);
                  }
                }
              }
            }
            r[Model.flat(shape, new int[] {o, c, i, j})] = sum;
          }
        }
      }
    }
    return Model.of(shape, r);
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<DType> dtypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  @Provide
  Arbitrary<Samples.Layout> layouts() {
    return Arbitraries.of(Samples.Layout.class);
  }

  /** Float32 sums of {@code terms} products of values in [−1, 1]: a few ulps per term. */
  static double atol(DType dtype, int terms) {
    return dtype == DType.FLOAT32 ? 1e-5 + 1e-6 * terms : 1e-12 * (1 + terms);
  }

  @Property(tries = 120)
  void conv2dMatchesTheDirectSum(
      @ForAll long seed,
      @ForAll("dtypes") DType dtype,
      @ForAll("layouts") Samples.Layout layout,
      @ForAll boolean big) {
    Case k = randomCase(seed, big && seed % 3 == 0);
    Samples.Sample x = Samples.sample(dtype, k.input(), layout, seed + 1, -1, 1);
    Samples.Sample w = Samples.sample(dtype, k.weight(), layout, seed + 2, -1, 1);
    Samples.Sample b =
        k.bias ? Samples.sample(dtype, new int[] {k.o}, layout, seed + 3, -1, 1) : null;
    NDArray y =
        x.array()
            .conv2d(
                w.array(), b == null ? null : b.array(), k.stride(), k.pad, k.dilation(), k.groups);
    Model expected = conv2dReference(k, x.model(), w.model(), b == null ? null : b.model());
    int terms = k.c / k.groups * k.kh * k.kw;
    Samples.assertClose("conv2d " + k, y, expected, 1e-5, atol(dtype, terms));
  }

  @Property(tries = 120)
  void convTranspose2dMatchesTheDirectSum(
      @ForAll long seed,
      @ForAll("dtypes") DType dtype,
      @ForAll("layouts") Samples.Layout layout,
      @ForAll boolean big) {
    Case k = randomCase(seed, big && seed % 3 == 0);
    // The transposed op maps the correlation side [N, O, OH, OW] to images; its weight is conv2d's.
    int[] extra = new int[2];
    Generator g = new Generator(seed ^ 77);
    extra[0] = g.nextInt(Math.max(k.sh, k.dh));
    extra[1] = g.nextInt(Math.max(k.sw, k.dw));
    int oh = (k.oh() - 1) * k.sh - k.pad[0] - k.pad[1] + k.dh * (k.kh - 1) + extra[0] + 1;
    int ow = (k.ow() - 1) * k.sw - k.pad[2] - k.pad[3] + k.dw * (k.kw - 1) + extra[1] + 1;
    if (oh < 1 || ow < 1) {
      return; // (only reachable with large paddings: checked by the error examples)
    }
    Samples.Sample y = Samples.sample(dtype, k.output(), layout, seed + 1, -1, 1);
    Samples.Sample w = Samples.sample(dtype, k.weight(), layout, seed + 2, -1, 1);
    int outChannels = k.c;
    Samples.Sample b =
        k.bias ? Samples.sample(dtype, new int[] {outChannels}, layout, seed + 3, -1, 1) : null;
    NDArray z =
        y.array()
            .convTranspose2d(
                w.array(),
                b == null ? null : b.array(),
                k.stride(),
                k.pad,
                extra,
                k.groups,
                k.dilation());
    Model expected =
        convTransposeReference(
            y.model(),
            w.model(),
            b == null ? null : b.model(),
            k.groups,
            k.stride(),
            k.pad,
            k.dilation(),
            oh,
            ow);
    int terms = k.o / k.groups * k.kh * k.kw;
    Samples.assertClose("convTranspose2d " + k, z, expected, 1e-5, atol(dtype, terms));
  }

  @Property(tries = 120)
  void weightCorrelationMatchesTheDirectSum(
      @ForAll long seed,
      @ForAll("dtypes") DType dtype,
      @ForAll("layouts") Samples.Layout layout,
      @ForAll boolean big) {
    Case k = randomCase(seed, big && seed % 3 == 0);
    Samples.Sample x = Samples.sample(dtype, k.input(), layout, seed + 1, -1, 1);
    Samples.Sample y = Samples.sample(dtype, k.output(), layout, seed + 2, -1, 1);
    NDArray r =
        x.array()
            .conv2dWeightCorrelation(
                y.array(), k.kernel(), k.stride(), k.pad, k.dilation(), k.groups);
    Model expected = weightCorrelationReference(k, x.model(), y.model());
    int terms = k.n * k.oh() * k.ow();
    Samples.assertClose("conv2dWeightCorrelation " + k, r, expected, 1e-5, atol(dtype, terms));
  }

  /**
   * A random case made "same" (stride 1, pads summing to d·(k − 1) per dim, split at random), the
   * shape of most CNN layers, where the FLOAT32 kernels move whole rows of positions at once.
   */
  static Case sameCase(long seed, boolean big) {
    Case k = randomCase(seed, big);
    Generator g = new Generator(~seed);
    int th = k.dh * (k.kh - 1);
    int tw = k.dw * (k.kw - 1);
    int top = g.nextInt(th + 1);
    int left = g.nextInt(tw + 1);
    return new Case(
        k.n,
        k.c,
        k.h,
        k.w,
        k.o,
        k.groups,
        k.kh,
        k.kw,
        1,
        1,
        new int[] {top, th - top, left, tw - left},
        k.dh,
        k.dw,
        k.bias);
  }

  @Property(tries = 60)
  void sameSizeConvolutionsMatchTheDirectSums(
      @ForAll long seed, @ForAll("dtypes") DType dtype, @ForAll boolean big) {
    Case k = sameCase(seed, big);
    assertEquals(k.h, k.oh());
    assertEquals(k.w, k.ow());
    Samples.Sample x = Samples.sample(dtype, k.input(), Samples.Layout.CONTIGUOUS, seed + 1, -1, 1);
    Samples.Sample w =
        Samples.sample(dtype, k.weight(), Samples.Layout.CONTIGUOUS, seed + 2, -1, 1);
    Samples.Sample y =
        Samples.sample(dtype, k.output(), Samples.Layout.CONTIGUOUS, seed + 3, -1, 1);
    NDArray out = x.array().conv2d(w.array(), null, k.stride(), k.pad, k.dilation(), k.groups);
    int terms = k.c / k.groups * k.kh * k.kw;
    Samples.assertClose(
        "conv2d " + k,
        out,
        conv2dReference(k, x.model(), w.model(), null),
        1e-5,
        atol(dtype, terms));
    NDArray back =
        y.array()
            .convTranspose2d(
                w.array(), null, k.stride(), k.pad, new int[] {0}, k.groups, k.dilation());
    Model expected =
        convTransposeReference(
            y.model(), w.model(), null, k.groups, k.stride(), k.pad, k.dilation(), k.h, k.w);
    Samples.assertClose(
        "convTranspose2d " + k, back, expected, 1e-5, atol(dtype, k.o / k.groups * k.kh * k.kw));
    NDArray r =
        x.array()
            .conv2dWeightCorrelation(
                y.array(), k.kernel(), k.stride(), k.pad, k.dilation(), k.groups);
    Samples.assertClose(
        "conv2dWeightCorrelation " + k,
        r,
        weightCorrelationReference(k, x.model(), y.model()),
        1e-5,
        atol(dtype, k.n * k.h * k.w));
  }

  /** ⟨conv2d(x, w), y⟩ = ⟨x, convTranspose2d(y, w)⟩ = ⟨w, weightCorrelation(x, y)⟩. */
  @Property(tries = 60)
  void theThreeOpsAreAdjoints(@ForAll long seed) {
    Case k = randomCase(seed, false);
    Generator g = new Generator(seed);
    NDArray x = NDArray.randn(g, DType.FLOAT64, k.input());
    NDArray w = NDArray.randn(g, DType.FLOAT64, k.weight());
    NDArray y = NDArray.randn(g, DType.FLOAT64, k.output());
    int[] extra = {
      k.h - ((k.oh() - 1) * k.sh - k.pad[0] - k.pad[1] + k.dh * (k.kh - 1) + 1),
      k.w - ((k.ow() - 1) * k.sw - k.pad[2] - k.pad[3] + k.dw * (k.kw - 1) + 1)
    };
    double a = dot(x.conv2d(w, null, k.stride(), k.pad, k.dilation(), k.groups), y);
    double b = dot(x, y.convTranspose2d(w, null, k.stride(), k.pad, extra, k.groups, k.dilation()));
    double c =
        dot(w, x.conv2dWeightCorrelation(y, k.kernel(), k.stride(), k.pad, k.dilation(), k.groups));
    double scale = 1e-10 * (1 + Math.abs(a) + x.numel() + w.numel());
    assertEquals(a, b, scale, k::toString);
    assertEquals(a, c, scale, k::toString);
  }

  static double dot(NDArray a, NDArray b) {
    assertArrayEquals(a.shape(), b.shape());
    double[] u = a.toDoubleArray();
    double[] v = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += u[i] * v[i];
    }
    return s;
  }

  /**
   * Configurations past the threshold for running image chunks in parallel (8 chunks of 2 images),
   * one per FLOAT32 route: {channels, out channels, groups, kernel, stride h, stride w, pads, H,
   * W}.
   */
  enum Route {
    STRIDED_GROUPED(8, 16, 2, 3, 1, 2, new int[] {1, 0, 2, 1}, 23, 20),
    SAME_MANY_TAPS(32, 32, 1, 3, 1, 1, new int[] {1}, 14, 14),
    NARROW_KERNEL(1, 32, 1, 3, 1, 1, new int[] {1}, 28, 28);

    final int c;
    final int o;
    final int groups;
    final int k;
    final int[] stride;
    final int[] pad;
    final int h;
    final int w;

    Route(int c, int o, int groups, int k, int sh, int sw, int[] pad, int h, int w) {
      this.c = c;
      this.o = o;
      this.groups = groups;
      this.k = k;
      this.stride = new int[] {sh, sw};
      this.pad = pad;
      this.h = h;
      this.w = w;
    }
  }

  @Property(tries = 6)
  void resultsAreBitIdenticalOnOneAndTwoThreads(@ForAll Route route, @ForAll long seed) {
    Generator g = new Generator(seed);
    int[] d = {1, 1};
    NDArray x = NDArray.randn(g, 16, route.c, route.h, route.w);
    NDArray w = NDArray.randn(g, route.o, route.c / route.groups, route.k, route.k);
    NDArray b = NDArray.randn(g, route.o);
    int before = Parallel.threads();
    NDArray[][] results = new NDArray[2][];
    try {
      for (int t = 1; t <= 2; t++) {
        Parallel.setThreads(t);
        NDArray y = x.conv2d(w, b, route.stride, route.pad, d, route.groups);
        NDArray z =
            y.convTranspose2d(w, null, route.stride, route.pad, new int[] {0}, route.groups, d);
        NDArray k =
            x.conv2dWeightCorrelation(
                y, new int[] {route.k}, route.stride, route.pad, d, route.groups);
        results[t - 1] = new NDArray[] {y, z, k};
      }
    } finally {
      Parallel.setThreads(before);
    }
    assertArrayEquals(x.shape(), results[0][1].shape());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(results[0][i].toFloatArray(), results[1][i].toFloatArray());
    }
  }

  @Example
  void anImageTooBigToKeepItsScratchStillMatchesTheDirectSums() {
    // 114·3·3 taps × 64·64 positions: cols above the 16 MiB a thread keeps between calls.
    Case k = new Case(1, 114, 64, 64, 2, 1, 3, 3, 1, 1, new int[] {1, 1, 1, 1}, 1, 1, true);
    Samples.Sample x =
        Samples.sample(DType.FLOAT32, k.input(), Samples.Layout.CONTIGUOUS, 1, -1, 1);
    Samples.Sample w =
        Samples.sample(DType.FLOAT32, k.weight(), Samples.Layout.CONTIGUOUS, 2, -1, 1);
    Samples.Sample b =
        Samples.sample(DType.FLOAT32, new int[] {2}, Samples.Layout.CONTIGUOUS, 3, -1, 1);
    Samples.Sample y =
        Samples.sample(DType.FLOAT32, k.output(), Samples.Layout.CONTIGUOUS, 4, -1, 1);
    int taps = 114 * 9;
    Samples.assertClose(
        "conv2d",
        x.array().conv2d(w.array(), b.array(), k.stride(), k.pad, k.dilation(), 1),
        conv2dReference(k, x.model(), w.model(), b.model()),
        1e-5,
        atol(DType.FLOAT32, taps));
    Samples.assertClose(
        "conv2dWeightCorrelation",
        x.array()
            .conv2dWeightCorrelation(y.array(), k.kernel(), k.stride(), k.pad, k.dilation(), 1),
        weightCorrelationReference(k, x.model(), y.model()),
        1e-5,
        atol(DType.FLOAT32, 64 * 64));
  }

  // ------------------------------------------------------------------ errors

  static void assertMessage(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(
          e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
    }
  }

  static final int[] ONE = {1};
  static final int[] ZERO = {0};

  @Example
  void conv2dNamesAWrongChannelCount() {
    NDArray x = NDArray.zeros(2, 3, 8, 8);
    NDArray w = NDArray.zeros(4, 2, 3, 3);
    assertMessage(
        () -> x.conv2d(w, null, ONE, ZERO, ONE, 1), "conv2d", "[2, 3, 8, 8]", "[4, 2, 3, 3]");
  }

  @Example
  void conv2dRefusesAKernelLargerThanThePaddedInput() {
    NDArray x = NDArray.zeros(1, 1, 4, 4);
    NDArray w = NDArray.zeros(1, 1, 5, 5);
    assertMessage(
        () -> x.conv2d(w, null, ONE, ZERO, ONE, 1),
        "conv2d",
        "larger",
        "[1, 1, 4, 4]",
        "[1, 1, 5, 5]");
    NDArray.zeros(1, 1, 4, 4).conv2d(w, null, ONE, ONE, ONE, 1); // fits once padded
    assertMessage(
        () -> x.conv2d(NDArray.zeros(1, 1, 3, 3), null, ONE, ZERO, new int[] {2}, 1),
        "conv2d",
        "dilated");
  }

  @Example
  void stridesAndDilationsMustBePositiveAndPaddingsNonNegative() {
    NDArray x = NDArray.zeros(1, 2, 6, 6);
    NDArray w = NDArray.zeros(2, 2, 3, 3);
    assertMessage(() -> x.conv2d(w, null, ZERO, ZERO, ONE, 1), "conv2d", "stride");
    assertMessage(() -> x.conv2d(w, null, new int[] {1, -1}, ZERO, ONE, 1), "conv2d", "stride");
    assertMessage(() -> x.conv2d(w, null, ONE, ZERO, ZERO, 1), "conv2d", "dilation");
    assertMessage(() -> x.conv2d(w, null, ONE, new int[] {-1}, ONE, 1), "conv2d", "padding");
    assertMessage(() -> x.conv2d(w, null, ONE, new int[] {1, 2, 3}, ONE, 1), "conv2d", "padding");
    assertMessage(() -> x.conv2d(w, null, null, ZERO, ONE, 1), "conv2d", "stride");
    assertMessage(
        () -> x.convTranspose2d(w, null, ZERO, ZERO, ZERO, 1, ONE), "convTranspose2d", "stride");
    assertMessage(
        () -> x.convTranspose2d(w, null, ONE, ZERO, ZERO, 1, ZERO), "convTranspose2d", "dilation");
    assertMessage(
        () -> x.convTranspose2d(w, null, ONE, new int[] {-2}, ZERO, 1, ONE),
        "convTranspose2d",
        "padding");
    assertMessage(
        () -> x.conv2dWeightCorrelation(x, new int[] {0}, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "kernelSize");
  }

  @Example
  void conv2dRefusesInputsThatAreNot4D() {
    NDArray w = NDArray.zeros(2, 3, 3, 3);
    assertMessage(
        () -> NDArray.zeros(3, 8, 8).conv2d(w, null, ONE, ZERO, ONE, 1),
        "conv2d",
        "4-D",
        "[3, 8, 8]");
    assertMessage(
        () -> NDArray.zeros(1, 3, 8, 8).conv2d(NDArray.zeros(2, 3, 3), null, ONE, ZERO, ONE, 1),
        "conv2d",
        "weight",
        "[2, 3, 3]");
    assertMessage(
        () -> NDArray.zeros(3, 8, 8).convTranspose2d(w, null, ONE, ZERO, ZERO, 1, ONE),
        "convTranspose2d",
        "[3, 8, 8]");
    assertMessage(
        () -> NDArray.zeros(1, 3, 8, 8).conv2d(null, null, ONE, ZERO, ONE, 1), "conv2d", "weight");
    assertMessage(
        () -> NDArray.zeros(DType.INT32, 1, 3, 8, 8).conv2d(w, null, ONE, ZERO, ONE, 1),
        "conv2d",
        "int32");
  }

  @Example
  void groupsMustDivideTheChannels() {
    NDArray x = NDArray.zeros(1, 6, 5, 5);
    assertMessage(
        () -> x.conv2d(NDArray.zeros(4, 2, 3, 3), null, ONE, ZERO, ONE, 4),
        "conv2d",
        "groups = 4",
        "[1, 6, 5, 5]");
    assertMessage(
        () -> x.conv2d(NDArray.zeros(4, 3, 3, 3), null, ONE, ZERO, ONE, 0), "conv2d", "groups = 0");
    assertMessage(
        () -> x.conv2d(NDArray.zeros(5, 2, 3, 3), null, ONE, ZERO, ONE, 3),
        "conv2d",
        "groups = 3",
        "5 output");
    assertMessage(
        () -> x.convTranspose2d(NDArray.zeros(6, 1, 3, 3), null, ONE, ZERO, ZERO, 4, ONE),
        "convTranspose2d",
        "groups = 4");
    assertMessage(
        () -> x.convTranspose2d(NDArray.zeros(4, 1, 3, 3), null, ONE, ZERO, ZERO, 1, ONE),
        "convTranspose2d",
        "6 channels",
        "[4, 1, 3, 3]");
  }

  @Example
  void biasMustHaveOneValuePerOutputChannel() {
    NDArray x = NDArray.zeros(1, 2, 5, 5);
    NDArray w = NDArray.zeros(4, 2, 3, 3);
    assertMessage(
        () -> x.conv2d(w, NDArray.zeros(3), ONE, ZERO, ONE, 1), "conv2d", "bias", "[3]", "[4]");
    assertMessage(
        () -> x.conv2d(w, NDArray.zeros(1, 4), ONE, ZERO, ONE, 1), "conv2d", "bias", "[1, 4]");
    NDArray wt = NDArray.zeros(2, 3, 3, 3); // convTranspose2d: 3 output channels
    assertMessage(
        () -> x.convTranspose2d(wt, NDArray.zeros(2), ONE, ZERO, ZERO, 1, ONE),
        "convTranspose2d",
        "bias",
        "[2]",
        "[3]");
    assertMessage(
        () -> x.conv2d(w, NDArray.zeros(DType.FLOAT64, 4), ONE, ZERO, ONE, 1), "conv2d", "float64");
  }

  @Example
  void outputPaddingMustBeSmallerThanStrideOrDilation() {
    NDArray x = NDArray.zeros(1, 2, 5, 5);
    NDArray w = NDArray.zeros(2, 3, 3, 3);
    assertMessage(
        () -> x.convTranspose2d(w, null, new int[] {2}, ZERO, new int[] {2}, 1, ONE),
        "convTranspose2d",
        "outputPadding");
    assertMessage(
        () -> x.convTranspose2d(w, null, ONE, ZERO, new int[] {0, 1}, 1, ONE),
        "convTranspose2d",
        "outputPadding");
    // Below the dilation is allowed even with stride 1, as in PyTorch.
    assertArrayEquals(
        new int[] {1, 3, 10, 10},
        x.convTranspose2d(w, null, ONE, ZERO, new int[] {1}, 1, new int[] {2}).shape());
    assertMessage(
        () -> x.convTranspose2d(w, null, ONE, new int[] {4}, ZERO, 1, ONE),
        "convTranspose2d",
        "empty");
  }

  @Example
  void hugeNumbersAndEmptyKernelsAreRefusedNotOverflowed() {
    NDArray x = NDArray.zeros(1, 2, 5, 5);
    NDArray w = NDArray.zeros(2, 2, 3, 3);
    int big = Integer.MAX_VALUE;
    assertMessage(() -> x.conv2d(w, null, ONE, new int[] {big}, ONE, 1), "conv2d", "exceeds");
    assertMessage(
        () -> x.conv2d(w, null, ONE, ZERO, new int[] {big}, 1), "conv2d", "larger", "[1, 2, 5, 5]");
    assertMessage(
        () -> x.convTranspose2d(w, null, new int[] {big}, ZERO, ZERO, 1, ONE),
        "convTranspose2d",
        "exceeds");
    assertMessage(
        () -> x.convTranspose2d(w, null, ONE, new int[] {big}, ZERO, 1, ONE),
        "convTranspose2d",
        "empty");
    assertMessage(
        () -> x.convTranspose2d(NDArray.zeros(2, 2, 0, 3), null, ONE, ZERO, ZERO, 1, ONE),
        "convTranspose2d",
        "empty kernel",
        "[2, 2, 0, 3]");
    assertMessage(
        () -> x.conv2d(NDArray.zeros(2, 2, 3, 0), null, ONE, ZERO, ONE, 1),
        "conv2d",
        "[2, 2, 3, 0]");
  }

  @Example
  void weightCorrelationChecksItsOperands() {
    NDArray x = NDArray.zeros(2, 4, 6, 6);
    assertMessage(
        () ->
            x.conv2dWeightCorrelation(NDArray.zeros(3, 5, 4, 4), new int[] {3}, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "batch",
        "[3, 5, 4, 4]");
    assertMessage(
        () ->
            x.conv2dWeightCorrelation(NDArray.zeros(2, 5, 5, 4), new int[] {3}, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "larger",
        "[2, 5, 5, 4]");
    assertMessage(
        () ->
            x.conv2dWeightCorrelation(NDArray.zeros(2, 5, 4, 4), new int[] {3}, ONE, ZERO, ONE, 2),
        "conv2dWeightCorrelation",
        "groups = 2");
  }

  @Example
  void sameAndAsymmetricPaddingKeepsTheSize() {
    // PyTorch's "same" for an even kernel: one more row and column after than before.
    NDArray x = NDArray.arange(16).to(DType.FLOAT32).reshape(1, 1, 4, 4);
    NDArray w = NDArray.ones(1, 1, 2, 2);
    NDArray y = x.conv2d(w, null, ONE, new int[] {0, 1, 0, 1}, ONE, 1);
    assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
    // Worked by hand: the window at (0, 0) is 0 + 1 + 4 + 5, the last one only x[3, 3] = 15.
    assertEquals(10f, y.toFloatArray()[0]);
    assertEquals(15f, y.toFloatArray()[15]);
    assertEquals(29f, y.toFloatArray()[14]); // 14 + 15
  }
}
