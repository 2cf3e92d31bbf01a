package dev.jgrad.nn;

import static dev.jgrad.testkit.TensorAssertions.assertGradientsMatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.Shapes;
import dev.jgrad.testkit.TensorSample;
import dev.jgrad.testkit.Tensors;
import dev.jgrad.testkit.ViewKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The losses of {@link F} with each {@link Reduction}: the value from the formula written here,
 * gradients checked first and second order ({@code TensorAssertions.assertGradientsMatch}), extreme
 * inputs, ignored targets ({@link F#DEFAULT_IGNORE_INDEX}). F's activations are checked through
 * their modules in {@link StatelessModulesTest}, F.dropout in {@link DropoutTest}.
 */
class LossProperties {

  static Tensor leaf(Generator g, double scale, int... shape) {
    return new Tensor(NDArray.randn(g, DType.FLOAT64, shape).mul(scale)).requiresGrad(true);
  }

  static Tensor labels(Generator g, int n, int classes) {
    return new Tensor(NDArray.randint(g, 0, classes, n));
  }

  @Test
  void crossEntropyOfLargeLogitsKeepsItsPrecision() {
    // −log softmax([10⁴, 9990])[0] = log(1 + e⁻¹⁰) = 4.53989·10⁻⁵: the large logits cancel exactly.
    Tensor logits = Tensor.of(new float[][] {{1e4f, 9990f}, {-1e4f, -9990f}});
    Tensor loss = F.crossEntropy(logits, Tensor.ofInts(0, 1), Reduction.NONE, 0, -100);
    // Within one rounding of the float sum 1 + e⁻¹⁰ (ulp(1) = 1.2·10⁻⁷), as in PyTorch's float32.
    double want = Math.log1p(Math.exp(-10));
    assertEquals(want, loss.data().getDouble(0), 1e-7);
    assertEquals(want, loss.data().getDouble(1), 1e-7);
  }

  @Property(tries = 50)
  void crossEntropyMatchesItsFormulaAndGradCheck(
      @ForAll @IntRange(min = 1, max = 5) int n,
      @ForAll @IntRange(min = 2, max = 6) int c,
      @ForAll boolean smoothing,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor x = leaf(g, 2, n, c);
    Tensor y = labels(g, n, c);
    double eps = smoothing ? 0.1 : 0;
    double expected = 0;
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        max = Math.max(max, x.data().getDouble(i, k));
      }
      double lse = 0;
      for (int k = 0; k < c; k++) {
        lse += Math.exp(x.data().getDouble(i, k) - max);
      }
      lse = Math.log(lse) + max;
      double nll = lse - x.data().getDouble(i, y.data().getInt(i));
      double uniform = 0;
      for (int k = 0; k < c; k++) {
        uniform += (lse - x.data().getDouble(i, k)) / c;
      }
      expected += (1 - eps) * nll + eps * uniform;
    }
    expected /= n;
    Tensor loss = F.crossEntropy(x, y, Reduction.MEAN, eps, F.DEFAULT_IGNORE_INDEX);
    assertEquals(expected, loss.item(), 1e-12);
    assertGradientsMatch(
        "crossEntropy",
        in -> F.crossEntropy(in[0], y, Reduction.MEAN, eps, F.DEFAULT_IGNORE_INDEX),
        x);
  }

  @Property(tries = 30)
  void ignoredTargetsContributeNothing(
      @ForAll @IntRange(min = 2, max = 6) int n, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor x = leaf(g, 2, n, 4);
    int[] t = labels(g, n, 4).data().toIntArray();
    t[0] = -100;
    Tensor y = Tensor.ofInts(t);
    Tensor all = F.crossEntropy(x, y, Reduction.NONE, 0, -100);
    assertEquals(0.0, all.data().getDouble(0));
    double mean = F.crossEntropy(x, y).item();
    assertEquals(all.sum().item() / (n - 1), mean, 1e-12);
    assertGradientsMatch("ignoreIndex", in -> F.crossEntropy(in[0], y), x);
  }

  @Property(tries = 30)
  void nllOfLogSoftmaxEqualsCrossEntropy(
      @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor x = leaf(g, 3, n, 5);
    Tensor y = labels(g, n, 5);
    assertEquals(F.crossEntropy(x, y).item(), F.nllLoss(x.logSoftmax(1), y).item(), 1e-12);
    assertGradientsMatch(
        "nllLoss", in -> F.nllLoss(in[0].logSoftmax(1), y, Reduction.SUM, -100), x);
  }

  /**
   * Two FLOAT64 leaves of one shape, each contiguous, transposed, sliced or at an offset, from
   * different seeds (equal values would put l1 on its kink).
   */
  @Provide
  Arbitrary<TensorSample[]> sameShapePairs() {
    Arbitrary<ViewKind> kinds =
        Arbitraries.of(ViewKind.CONTIGUOUS, ViewKind.TRANSPOSED, ViewKind.SLICED, ViewKind.OFFSET);
    return Combinators.combine(Shapes.shapes(0, 3, 4), kinds, kinds, Arbitraries.longs())
        .as(
            (s, k1, k2, seed) ->
                new TensorSample[] {
                  Tensors.sample(DType.FLOAT64, s, k1, -1, 1, seed),
                  Tensors.sample(DType.FLOAT64, s, k2, -1, 1, seed + 1)
                });
  }

  @Property(tries = 50)
  void regressionLossesMatchTheirFormulas(@ForAll("sameShapePairs") TensorSample[] pair) {
    Tensor x = pair[0].leaf();
    Tensor t = pair[1].leaf();
    double mse = 0;
    double l1 = 0;
    double[] a = x.data().toDoubleArray();
    double[] b = t.data().toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      mse += (a[i] - b[i]) * (a[i] - b[i]);
      l1 += Math.abs(a[i] - b[i]);
    }
    assertEquals(mse / a.length, F.mseLoss(x, t).item(), 1e-12);
    assertEquals(l1, F.l1Loss(x, t, Reduction.SUM).item(), 1e-12);
    assertGradientsMatch("mse", in -> F.mseLoss(in[0], in[1]), x, t);
    assertGradientsMatch("l1", in -> F.l1Loss(in[0], in[1]), x, t);
  }

  @Property(tries = 50)
  void binaryCrossEntropiesAgreeAndMatchTheFormula(
      @ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor z = leaf(g, 3, n);
    Tensor y = new Tensor(NDArray.rand(g, DType.FLOAT64, n).gt(0.5).to(DType.FLOAT64));
    double expected = 0;
    for (int i = 0; i < n; i++) {
      double p = 1 / (1 + Math.exp(-z.data().getDouble(i)));
      double yi = y.data().getDouble(i);
      expected -= yi * Math.log(p) + (1 - yi) * Math.log(1 - p);
    }
    expected /= n;
    // The reference goes through log(1 − σ(z)), which loses digits for large |z|.
    assertEquals(
        expected, F.binaryCrossEntropyWithLogits(z, y).item(), 1e-9 * Math.max(1, expected));
    assertEquals(expected, F.binaryCrossEntropy(z.sigmoid(), y).item(), 1e-9);
    assertGradientsMatch("bceWithLogits", in -> F.binaryCrossEntropyWithLogits(in[0], y), z);
    assertGradientsMatch("bce", in -> F.binaryCrossEntropy(in[0].sigmoid(), y), z);
  }

  @Property(tries = 20)
  void extremeLogitsStayFinite(@ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor x = new Tensor(NDArray.randn(g, 8, 10).sign().mul(100)).requiresGrad(true);
    Tensor y = labels(g, 8, 10);
    Tensor loss = F.crossEntropy(x, y);
    loss.backward();
    assertTrue(Double.isFinite(loss.item()));
    for (double v : x.grad().data().toDoubleArray()) {
      assertTrue(Double.isFinite(v));
    }
    Tensor z = new Tensor(NDArray.of(-100f, 100f, -100f, 100f)).requiresGrad(true);
    Tensor t = Tensor.of(1f, 0f, 0f, 1f);
    Tensor bce = F.binaryCrossEntropyWithLogits(z, t);
    bce.backward();
    assertEquals(50.0, bce.item(), 1e-3);
    // d/dz mean = (σ(z) − t) / n, PyTorch 1.13: [-0.25, 0.25, 0, 0]
    assertArrayEquals(
        new float[] {-0.25f, 0.25f, 0f, 0f}, z.grad().data().toFloatArray(), 1e-6f, "logits");
    Tensor p = new Tensor(NDArray.of(0f, 1f)).requiresGrad(true);
    Tensor clamped = F.binaryCrossEntropy(p, Tensor.of(1f, 0f));
    clamped.backward();
    assertEquals(100.0, clamped.item(), 1e-3, "logs are clamped at -100 like PyTorch");
    // (p − y) / max(p(1 − p), 1e-12) / n, finite at p = 0 and 1: PyTorch 1.13 gives ∓5e11
    assertArrayEquals(
        new float[] {-5e11f, 5e11f}, p.grad().data().toFloatArray(), 5e11f * 1e-6f, "probs");
  }

  /**
   * Binary cross-entropy on probabilities directly (not through a sigmoid), both inputs of any
   * view, with each reduction: value from the formula, gradients checked first and second order.
   */
  @Property(tries = 50)
  void binaryCrossEntropyOfProbabilitiesMatchesItsFormulaAndGradCheck(
      @ForAll("sameShapePairs") TensorSample[] pair, @ForAll Reduction reduction) {
    // p in [0.05, 0.95] (away from the clamp), y in [0, 1] (soft targets too)
    Tensor p = pair[0].leaf().mul(0.45).add(0.5).detach().requiresGrad(true);
    Tensor y = pair[1].leaf().mul(0.5).add(0.5).detach().requiresGrad(true);
    double[] pv = p.data().toDoubleArray();
    double[] yv = y.data().toDoubleArray();
    double sum = 0;
    for (int i = 0; i < pv.length; i++) {
      sum -= yv[i] * Math.log(pv[i]) + (1 - yv[i]) * Math.log(1 - pv[i]);
    }
    Tensor loss = F.binaryCrossEntropy(p, y, reduction);
    if (reduction == Reduction.NONE) {
      assertEquals(sum, loss.sum().item(), 1e-9 * (1 + Math.abs(sum)));
    } else {
      double want =
          reduction == Reduction.SUM ? sum : pv.length == 0 ? Double.NaN : sum / pv.length;
      assertEquals(want, loss.item(), 1e-9 * (1 + Math.abs(sum)));
    }
    assertGradientsMatch(
        "bce " + reduction,
        in ->
            reduction == Reduction.NONE
                ? F.binaryCrossEntropy(in[0], in[1], reduction).sum()
                : F.binaryCrossEntropy(in[0], in[1], reduction),
        p,
        y);
  }

  @Test
  void badLossInputsNameTheShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> F.mseLoss(Tensor.zeros(4, 1), Tensor.zeros(4)));
    assertTrue(e.getMessage().contains("[4, 1]") && e.getMessage().contains("[4]"), e.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> F.crossEntropy(Tensor.zeros(2, 3), Tensor.ofInts(0, 3)));
    assertThrows(
        IllegalArgumentException.class,
        () -> F.crossEntropy(Tensor.zeros(2, 3), Tensor.of(0f, 1f)));
    assertThrows(
        IllegalArgumentException.class, () -> F.binaryCrossEntropy(Tensor.of(1.5f), Tensor.of(1f)));
  }
}
