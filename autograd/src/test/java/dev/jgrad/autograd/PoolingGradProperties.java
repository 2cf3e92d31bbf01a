package dev.jgrad.autograd;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * GradCheck, first and second order, for the ops of {@code PoolingRules} (max, average and adaptive
 * average pooling, and the two adjoints) on random small (C, H, W) and (N, C, H, W) shapes and
 * geometries, with contiguous and transposed-plane inputs. Each op is checked alone and followed by
 * a square, so that the first derivatives depend on the input and the second-order check runs
 * through the gradient's own formula (scatter-add's gather, the adjoint's pooling).
 */
class PoolingGradProperties {

  record Case(int[] shape, int[] k, int[] s, int[] p, int[] d, boolean ceil, boolean transposed) {
    @Override
    public String toString() {
      return String.format(
          "shape=%s k=%s s=%s p=%s d=%s ceil=%s transposed=%s",
          Arrays.toString(shape),
          Arrays.toString(k),
          Arrays.toString(s),
          Arrays.toString(p),
          Arrays.toString(d),
          ceil,
          transposed);
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> one2 = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> plane = Arbitraries.integers().between(1, 6);
    Arbitrary<Integer> k = Arbitraries.integers().between(1, 3);
    Arbitrary<int[]> shapes =
        Combinators.combine(one2, one2, plane, plane, Arbitraries.of(true, false))
            .as((n, c, h, w, batched) -> batched ? new int[] {n, c, h, w} : new int[] {c, h, w});
    Arbitrary<int[]> geometry =
        Combinators.combine(k, k, one2, Arbitraries.integers().between(1, 3), one2, one2)
            .as((kh, kw, sh, sw, dh, dw) -> new int[] {kh, kw, sh, sw, dh, dw});
    return Combinators.combine(
            shapes,
            geometry,
            Arbitraries.integers().between(0, 3),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (shape, g, pad, ceil, transposed) ->
                new Case(
                    shape,
                    new int[] {g[0], g[1]},
                    new int[] {g[2], g[3]},
                    new int[] {(pad & 1) * (g[0] / 2), (pad >> 1) * (g[1] / 2)},
                    new int[] {g[4], g[5]},
                    ceil,
                    transposed));
  }

  /**
   * A FLOAT64 leaf whose values are a shuffle of 0.1, 0.2, …: no two are closer than 0.1, so no
   * finite-difference step moves the maximum of a window. Transposed: a view with H and W swapped.
   */
  static Tensor leaf(int[] shape, boolean transposed, long seed) {
    int n = OpGradProperties.numel(shape);
    Generator g = new Generator(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      int j = g.nextInt(i + 1); // Fisher-Yates, inside out
      v[i] = v[j];
      v[j] = 0.1 * (i + 1) - 0.05 * n;
    }
    int r = shape.length;
    if (!transposed) {
      return new Tensor(NDArray.fromArray(v, shape)).requiresGrad(true);
    }
    int[] swapped = shape.clone();
    swapped[r - 2] = shape[r - 1];
    swapped[r - 1] = shape[r - 2];
    return new Tensor(NDArray.fromArray(v, swapped).transpose(r - 2, r - 1)).requiresGrad(true);
  }

  static void assertGradients(String what, Function<Tensor[], Tensor> f, Tensor x) {
    OpGradProperties.assertGradients(what, f, x);
    OpGradProperties.assertGradients(what + " squared", in -> f.apply(in).square(), x);
  }

  /** True when the pooling accepts the case (the generator also makes kernels that do not fit). */
  static boolean fits(Runnable forward) {
    try {
      forward.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Property(tries = 60)
  void maxPool2dPassesGradCheck(@ForAll("cases") Case c, @ForAll long seed) {
    Tensor x = leaf(c.shape, c.transposed, seed);
    Assume.that(fits(() -> x.data().maxPool2d(c.k, c.s, c.p, c.d, c.ceil)));
    assertGradients("maxPool2d " + c, in -> in[0].maxPool2d(c.k, c.s, c.p, c.d, c.ceil), x);
  }

  @Property(tries = 60)
  void avgPool2dAndItsAdjointPassGradCheck(
      @ForAll("cases") Case c, @ForAll boolean countIncludePad, @ForAll long seed) {
    Tensor x = leaf(c.shape, c.transposed, seed);
    Assume.that(fits(() -> x.data().avgPool2d(c.k, c.s, c.p, c.ceil, countIncludePad)));
    assertGradients(
        "avgPool2d " + c, in -> in[0].avgPool2d(c.k, c.s, c.p, c.ceil, countIncludePad), x);
    int r = c.shape.length;
    int h = c.shape[r - 2];
    int w = c.shape[r - 1];
    int[] outShape = x.avgPool2d(c.k, c.s, c.p, c.ceil, countIncludePad).shape();
    Tensor y = leaf(outShape, c.transposed, seed + 1);
    assertGradients(
        "avgPool2dAdjoint " + c,
        in -> PoolingRules.avgPool2dAdjoint(in[0], h, w, c.k, c.s, c.p, c.ceil, countIncludePad),
        y);
  }

  @Property(tries = 50)
  void adaptiveAvgPool2dAndItsAdjointPassGradCheck(@ForAll("cases") Case c, @ForAll long seed) {
    Tensor x = leaf(c.shape, c.transposed, seed);
    int r = c.shape.length;
    int h = c.shape[r - 2];
    int w = c.shape[r - 1];
    int outH = c.k[0] + c.s[0] - 1; // 1 to 4, sometimes more than H: windows then repeat rows
    int outW = c.k[1] + c.s[1] - 1;
    assertGradients("adaptiveAvgPool2d " + c, in -> in[0].adaptiveAvgPool2d(outH, outW), x);
    int[] outShape = x.adaptiveAvgPool2d(outH, outW).shape();
    Tensor y = leaf(outShape, c.transposed, seed + 1);
    assertGradients(
        "adaptiveAvgPool2dAdjoint " + c,
        in -> PoolingRules.adaptiveAvgPool2dAdjoint(in[0], h, w),
        y);
  }
}
