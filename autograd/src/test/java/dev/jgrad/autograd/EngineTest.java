package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {

  @AfterEach
  void anomalyOff() {
    Autograd.detectAnomaly(false);
  }

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void gradientOfSumOfSoftmaxTimesTargetMatchesTheFormula() {
    // L = Σ softmax(x)·t with t = e₀, so L = s₀ and dL/dxⱼ = s₀(δ₀ⱼ − sⱼ).
    double[] x = {1, 2, 3};
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double[] s = {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z};
    Tensor xt = leaf(x);
    xt.softmax(0).mul(Tensor.of(1.0, 0.0, 0.0)).sum().backward();
    double[] expected = {s[0] * (1 - s[0]), -s[0] * s[1], -s[0] * s[2]};
    assertArrayEquals(expected, values(xt.grad()), 1e-12);
  }

  @Test
  void gradientOfANeuronMatchesTheChainRule() {
    // y = σ(w·x + b), dy/dw = σ'(z)·x, dy/db = σ'(z), σ' = σ(1 − σ)
    Tensor w = leaf(0.5, -1.0);
    Tensor b = leaf(0.25);
    Tensor x = Tensor.of(2.0, 3.0);
    Tensor y = w.mul(x).sum().add(b).sigmoid();
    y.sum().backward();
    double zv = 0.5 * 2 - 3 + 0.25;
    double sig = 1 / (1 + Math.exp(-zv));
    double d = sig * (1 - sig);
    assertArrayEquals(new double[] {d * 2, d * 3}, values(w.grad()), 1e-12);
    assertArrayEquals(new double[] {d}, values(b.grad()), 1e-12);
  }

  @Test
  void twoBackwardCallsAccumulateTwiceOne() {
    Tensor x = leaf(1, 2, 3);
    Tensor once = leaf(1, 2, 3);
    once.square().sum().backward();
    Tensor y = x.square().sum();
    y.backward(null, true, false);
    y.backward();
    double[] single = values(once.grad());
    double[] twice = values(x.grad());
    for (int i = 0; i < 3; i++) {
      assertEquals(2 * single[i], twice[i], 1e-12);
    }
  }

  @Test
  void aTensorUsedTwiceGetsBothPaths() {
    Tensor x = leaf(3);
    Tensor a = x.mul(2);
    Tensor b = x.square();
    a.add(b).sum().backward(); // d/dx (2x + x²) = 2 + 2x
    assertEquals(2 + 2 * 3, x.grad().item(), 1e-12);
  }

  @Test
  void detachCutsThePath() {
    Tensor x = leaf(2);
    Tensor y = x.mul(x.detach()).sum(); // d/dx (x·c) = c
    y.backward();
    assertEquals(2, x.grad().item(), 1e-12);
    assertFalse(x.detach().requiresGrad());
  }

  @Test
  void noGradRecordsNothingAndRestores() {
    Tensor x = leaf(1, 2);
    Tensor y;
    try (GradMode.Scope g = Tensor.noGrad()) {
      y = x.mul(3);
      try (GradMode.Scope e = Tensor.enableGrad()) {
        assertTrue(x.mul(3).requiresGrad());
      }
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
  }

  @Test
  void aChainOfAHundredThousandOpsBackpropagates() {
    Tensor x = Tensor.of(1.0f).requiresGrad(true);
    Tensor y = x;
    for (int i = 0; i < 100_000; i++) {
      y = y.mul(1.0);
    }
    y.sum().backward();
    assertEquals(1.0, x.grad().item());
  }

  @Test
  void hooksSeeAndReplaceGradients() {
    Tensor x = leaf(1, 2);
    List<double[]> seen = new ArrayList<>();
    Tensor h = x.mul(3);
    h.registerHook(
        g -> {
          seen.add(values(g));
          return g.mul(10);
        });
    h.sum().backward();
    assertArrayEquals(new double[] {1, 1}, seen.get(0));
    assertArrayEquals(new double[] {30, 30}, values(x.grad()));
    HookHandle handle = x.registerHook(g -> g.mul(0));
    handle.remove();
    x.zeroGrad();
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {3, 3}, values(x.grad()));
  }

  @Test
  void anomalyModeNamesTheOpThatMadeANaN() {
    Autograd.detectAnomaly(true);
    Tensor x = leaf(0.0, 1.0);
    Tensor y = x.sqrt().sum(); // d/dx √x = 1/(2√x): inf at 0
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("SqrtBackward"), e.getMessage());
    assertTrue(e.getCause() != null && e.getCause().getMessage().contains("Sqrt"));
  }

  @Test
  void backwardTwiceWithoutRetainGraphSaysWhatToDo() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp().sum();
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
  }

  @Test
  void backwardNeedsAGradientForNonScalarsAndAGraph() {
    Tensor x = leaf(1, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
    assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    x.mul(2).backward(Tensor.of(1.0, 1.0));
    assertArrayEquals(new double[] {2, 2}, values(x.grad()));
    Tensor c = Tensor.of(1.0, 2.0);
    assertThrows(IllegalStateException.class, () -> c.sum().backward());
  }

  @Test
  void inPlaceChangeOfASavedTensorFailsBackward() {
    Tensor w = leaf(1, 2);
    Tensor x = Tensor.of(3.0, 4.0);
    Tensor y = w.mul(x).sum();
    try (GradMode.Scope g = Tensor.noGrad()) {
      x.addInPlace(Tensor.of(1.0, 1.0));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().contains("MulBackward") && e.getMessage().contains("version 1"),
        e.getMessage());
  }

  @Test
  void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
    Tensor w = leaf(1, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mulInPlace(2));
    assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
    try (GradMode.Scope g = Tensor.noGrad()) {
      w.mulInPlace(2);
    }
    assertArrayEquals(new double[] {2, 4}, values(w));
  }

  @Test
  void retainGradKeepsANonLeafGradient() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(2).retainGrad();
    h.square().sum().backward();
    assertArrayEquals(new double[] {4, 8}, values(h.grad()));
    assertArrayEquals(new double[] {8, 16}, values(x.grad()));
  }

  @Test
  void gradFnNamesTheOpAndToStringShowsIt() {
    Tensor a = Tensor.randn(new Generator(1), 2, 3).requiresGrad(true);
    Tensor b = Tensor.randn(new Generator(2), 3, 4);
    Tensor y = a.matmul(b);
    assertEquals("MatMulBackward", y.gradFn().name());
    assertSame(a, y.gradFn().inputs().get(0));
    assertTrue(y.toString().endsWith("gradFn=MatMulBackward)"), y.toString());
    assertTrue(a.toString().contains("requiresGrad=true"), a.toString());
    String dot = Autograd.toDot(y.relu().sum());
    assertTrue(
        dot.contains("MatMulBackward") && dot.contains("ReluBackward") && dot.contains("->"), dot);
  }

  @Test
  void higherOrderGradientsAndHessianVectorProducts() {
    Tensor x = leaf(1, 2);
    Tensor y = x.pow(3).sum();
    Tensor dx = Autograd.grad(y, x, true)[0]; // 3x²
    assertArrayEquals(new double[] {3, 12}, values(dx), 1e-12);
    Tensor v = Tensor.of(1.0, -1.0);
    Tensor hv = Autograd.grad(dx.mul(v).sum(), x, false)[0]; // H·v = diag(6x)·v
    assertArrayEquals(new double[] {6, -12}, values(hv), 1e-12);
    assertNull(x.grad(), "Autograd.grad leaves grad alone");
  }

  @Test
  void unusedInputsAreAnErrorUnlessAllowed() {
    Tensor x = leaf(1);
    Tensor z = leaf(2);
    Tensor y = x.mul(2).sum();
    assertThrows(
        IllegalArgumentException.class,
        () -> Autograd.grad(new Tensor[] {y}, new Tensor[] {x, z}, null, true, false, false));
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, z}, null, false, false, true);
    assertArrayEquals(new double[] {0}, values(g[1]));
  }

  @Test
  void linearNamesTheShapesItCannotMultiply() {
    Tensor x = Tensor.randn(new Generator(1), 4, 3);
    Tensor w = Tensor.randn(new Generator(2), 5, 2).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.linear(w, null));
    assertEquals(
        "linear: input of shape [4, 3] and weight of shape [5, 2]: the weight must be [out, 3]",
        e.getMessage());
  }

  /** y = x³ written by hand: the custom op's gradient reaches the leaves and passes GradCheck. */
  static final class Cube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].mul(in[0]).mul(in[0]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      Tensor x = ctx.saved().get(0);
      return new Tensor[] {grad.mul(x.square()).mul(3)};
    }
  }

  @Test
  void customFunctionsJoinTheGraph() {
    Tensor x = leaf(1, -2);
    Tensor y = new Cube().apply(x);
    assertEquals("CubeBackward", y.gradFn().name());
    y.sum().backward();
    assertArrayEquals(new double[] {3, 12}, values(x.grad()), 1e-12);
    Tensor z = Tensor.randn(new Generator(3), DType.FLOAT64, 2, 3).requiresGrad(true);
    assertTrue(GradCheck.firstOrder(in -> new Cube().apply(in[0]), z).passed());
    assertTrue(GradCheck.secondOrder(in -> new Cube().apply(in[0]), z).passed());
  }

  @Test
  void gradCheckCatchesAWrongGradient() {
    Function wrong =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].square();
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad.mul(ctx.saved().get(0))}; // should be 2x
          }
        };
    Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 3).requiresGrad(true);
    GradCheck.Report r = GradCheck.firstOrder(in -> wrong.apply(in[0]), x);
    assertFalse(r.passed());
    assertTrue(r.toString().contains("FAILED"), r.toString());
  }

  @Test
  void broadcastGradientsAreSummedBackToTheInputShape() {
    Tensor bias = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    Tensor x = new Tensor(NDArray.ones(DType.FLOAT64, 4, 3));
    x.add(bias).sum().backward();
    assertArrayEquals(new double[] {4, 4, 4}, values(bias.grad()));
    assertArrayEquals(new int[] {3}, bias.grad().shape());
  }

  @Test
  void prodGradientsAreTheProductsOfTheOthersEvenAtZeros() {
    Tensor x = leaf(2, 0, 3);
    x.prod().backward(); // d/dx₁ (x₀x₁x₂) = x₀x₂ = 6, the others see the zero
    assertArrayEquals(new double[] {0, 6, 0}, values(x.grad()));
    Tensor y = leaf(2, 5, 3);
    y.prod().backward();
    assertArrayEquals(new double[] {15, 6, 10}, values(y.grad()), 1e-12);
    Tensor z = leaf(0, 0, 3);
    z.prod().backward();
    assertArrayEquals(new double[] {0, 0, 0}, values(z.grad()));
  }

  @Test
  void integerTensorsCannotRequireGrad() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts(1, 2).requiresGrad(true));
    Tensor y = leaf(1).mul(2);
    assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
  }
}
