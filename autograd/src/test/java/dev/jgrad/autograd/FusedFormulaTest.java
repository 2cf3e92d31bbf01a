package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The fast-path switch of {@link FusedFormula}: the kernel only when no graph of the gradient is
 * wanted and it covers the operands, the composed formula otherwise. That the two agree bit for bit
 * is {@code FusedFormulaProperties}.
 */
class FusedFormulaTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void theComposedFormulaRunsWhenAGraphOfTheGradientIsWanted() {
    Tensor x = Tensor.of(0.5f, -1f, 2f).requiresGrad(true);
    Tensor y = x.sigmoid();
    FusedFormula f = (FusedFormula) y.node().formula(0);
    Tensor g = Tensor.of(1f, 2f, -3f);
    Tensor recorded = f.apply(g, y); // grad mode on, as under createGraph
    assertEquals("MulBackward", recorded.gradFn().name());
    try (GradMode.Scope s = Tensor.noGrad()) {
      Tensor fast = f.apply(g, y);
      assertNull(fast.gradFn());
      assertNotNull(f.fused(g.data(), y.data()), "dense FLOAT32: the kernel runs");
      assertArrayEquals(recorded.data().toFloatArray(), fast.data().toFloatArray());
    }
  }

  @Test
  void aKernelThatDeclinesLeavesTheComposedFormula() {
    Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad(true); // FLOAT64
    Tensor y = x.relu();
    FusedFormula f = (FusedFormula) y.node().formula(0);
    Tensor g = Tensor.of(1.0, 2.0, -3.0);
    try (GradMode.Scope s = Tensor.noGrad()) {
      assertNull(f.fused(g.data(), y.data()));
      assertArrayEquals(new double[] {1, 0, -3}, f.apply(g, y).data().toDoubleArray());
    }
  }

  @Test
  void fusedFirstDerivativesStayDifferentiableUnderCreateGraph() {
    // σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ), on FLOAT32 where the fast path would otherwise run
    float[] v = {-1.5f, 0f, 0.75f, 2f};
    Tensor x = Tensor.of(v).requiresGrad(true);
    Tensor first = Autograd.grad(x.sigmoid().sum(), x, true)[0];
    assertTrue(first.requiresGrad());
    Tensor second = Autograd.grad(first.sum(), x, false)[0];
    for (int i = 0; i < v.length; i++) {
      double s = 1 / (1 + Math.exp(-v[i]));
      assertEquals(s * (1 - s), first.data().getDouble(i), 1e-6);
      assertEquals(s * (1 - s) * (1 - 2 * s), second.data().getDouble(i), 1e-6);
    }
  }
}
