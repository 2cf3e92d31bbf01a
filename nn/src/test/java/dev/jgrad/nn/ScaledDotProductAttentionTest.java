package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.TensorAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link F#scaledDotProductAttention}: its fused path (no dropout) and its composite path (dropout,
 * a mask that needs a gradient, the probabilities) agree on values and gradients; the composite
 * passes GradCheck to second order; dropout, the scale and the overloads; and the errors name the
 * op and the shapes.
 */
class ScaledDotProductAttentionTest {
  static Tensor randn(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.randn(g, dtype, shape));
  }

  @Test
  void fusedAndCompositePathsAgreeOnValuesAndGradients() {
    Generator g = new Generator(1);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      double tol = dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
      Tensor keep = new Tensor(NDArray.rand(g, DType.FLOAT64, 5, 7).ge(0.3).to(DType.INT32));
      keep.data().narrow(1, 0, 1).fill(1);
      Tensor[] masks = {null, keep, randn(g, dtype, 2, 1, 5, 7), null};
      for (int c = 0; c < masks.length; c++) {
        boolean causal = c == 3;
        Tensor q = randn(g, dtype, 2, 3, 7, 4).transpose(2, 3).transpose(2, 3).narrow(2, 1, 5);
        Tensor k = randn(g, dtype, 2, 3, 4, 7).transpose(2, 3);
        Tensor v = randn(g, dtype, 2, 3, 7, 6);
        Tensor[] in = {q.requiresGrad(true), k.requiresGrad(true), v.requiresGrad(true)};
        Tensor fused =
            F.scaledDotProductAttention(in[0], in[1], in[2], masks[c], 0, causal, 0.3, null);
        Tensor composite =
            Attention.attend("test", in[0], in[1], in[2], masks[c], 0, causal, 0.3, null).output();
        TensorAssertions.assertCloseTo(composite, fused, tol, tol, "mask case " + c);
        Tensor w = randn(g, dtype, 2, 3, 5, 6);
        fused.mul(w).sum().backward();
        NDArray[] fusedGrads = {in[0].grad().data(), in[1].grad().data(), in[2].grad().data()};
        for (Tensor t : in) {
          t.zeroGrad();
        }
        composite.mul(w).sum().backward();
        for (int i = 0; i < 3; i++) {
          TensorAssertions.assertCloseTo(in[i].grad().data(), fusedGrads[i], tol, tol, "grad " + i);
        }
      }
    }
  }

  @Test
  void theCompositePassesGradCheckToSecondOrder() {
    Generator g = new Generator(2);
    Tensor q = randn(g, DType.FLOAT64, 2, 3, 2).requiresGrad(true);
    Tensor k = randn(g, DType.FLOAT64, 2, 4, 2).requiresGrad(true);
    Tensor v = randn(g, DType.FLOAT64, 2, 4, 3).requiresGrad(true);
    Tensor bias = randn(g, DType.FLOAT64, 3, 4).requiresGrad(true); // a mask with a gradient
    TensorAssertions.assertGradientsMatch(
        in ->
            F.scaledDotProductAttention(in[0], in[1], in[2], in[3], 0, false, null, null).square(),
        q,
        k,
        v,
        bias);
    TensorAssertions.assertGradientsMatch(
        in ->
            Attention.attend("t", in[0], in[1], in[2], null, 0, true, 0.5, null).output().square(),
        q,
        k,
        v);
  }

  @Test
  void theDefaultScaleIsOneOverTheRootOfE() {
    Generator g = new Generator(3);
    Tensor q = randn(g, DType.FLOAT64, 3, 9);
    Tensor k = randn(g, DType.FLOAT64, 4, 9);
    Tensor v = randn(g, DType.FLOAT64, 4, 2);
    TensorAssertions.assertCloseTo(
        q.matmul(k.transpose(0, 1)).div(3).softmax(-1).matmul(v),
        F.scaledDotProductAttention(q, k, v),
        1e-12,
        1e-12);
    // causal: row i is the average of v's first i + 1 rows when every score is equal (q = 0)
    Tensor zero = Tensor.zeros(DType.FLOAT64, 3, 9);
    Tensor y = F.scaledDotProductAttention(zero, k, v, true);
    for (int i = 0; i < 3; i++) {
      TensorAssertions.assertCloseTo(
          v.narrow(0, 0, i + 1).mean(0, false), y.select(0, i), 1e-12, 1e-12, "row " + i);
    }
  }

  @Test
  void dropoutDropsProbabilitiesAndFollowsTheGenerator() {
    Generator g = new Generator(4);
    Tensor q = randn(g, DType.FLOAT32, 2, 6, 4);
    Tensor k = randn(g, DType.FLOAT32, 2, 6, 4);
    Tensor v = Tensor.ones(2, 6, 1);
    Tensor a = F.scaledDotProductAttention(q, k, v, null, 0.5, false, null, new Generator(9));
    Tensor b = F.scaledDotProductAttention(q, k, v, null, 0.5, false, null, new Generator(9));
    TensorAssertions.assertCloseTo(a, b, 0, 0);
    // with v = 1 each output is the sum of the kept probabilities scaled by 2: not all 1
    assertTrue(a.sub(1).abs().max().item() > 0.01);
    TensorAssertions.assertCloseTo(
        Tensor.zeros(2, 6, 1),
        F.scaledDotProductAttention(q, k, v, null, 1, false, null, new Generator(9)),
        0,
        0);
  }

  static String error(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> F.scaledDotProductAttention(q, k, v, mask, 0, causal, null, null))
        .getMessage();
  }

  @Test
  void badInputIsRefusedNamingTheOpAndTheShapes() {
    Tensor q = Tensor.zeros(2, 5, 4);
    Tensor k = Tensor.zeros(2, 7, 4);
    Tensor v = Tensor.zeros(2, 7, 3);
    String m = error(q, Tensor.zeros(2, 7, 6), v, null, false);
    assertTrue(m.startsWith("scaledDotProductAttention") && m.contains("k [2, 7, 6]"), m);
    m = error(q, k, Tensor.zeros(2, 6, 3), null, false);
    assertTrue(m.contains("sequence length S") && m.contains("v [2, 6, 3]"), m);
    m = error(q, k, v, Tensor.zeros(DType.INT32, 5, 6), false);
    assertTrue(m.contains("attnMask [5, 6]") && m.contains("[2, 5, 7]"), m);
    m = error(q, k, v, Tensor.zeros(DType.INT32, 5, 7), true);
    assertTrue(m.contains("isCausal") && m.contains("[5, 7]"), m);
    m = error(q, k, v.to(DType.FLOAT64), null, false);
    assertTrue(m.contains("dtype"), m);
    m = error(null, k, v, null, false);
    assertTrue(m.contains("null"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> F.scaledDotProductAttention(q, k, v, null, 1.5, false, null, null))
            .getMessage();
    assertTrue(m.contains("dropoutP"), m);
    assertArrayEquals(new int[] {2, 5, 3}, F.scaledDotProductAttention(q, k, v).shape());
  }
}
