package dev.jgrad.nn;

import static dev.jgrad.testkit.TensorAssertions.assertCloseTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link LayerNorm}, {@link RMSNorm}, {@code F.layerNorm} and {@code F.rmsNorm}: the one-pass
 * FLOAT32 forward and its gradients against the same formulas composed of Tensor ops, the
 * parameters, the defaults and the errors.
 */
class LayerNormTest {

  /** (x − mean) / √(var + ε) · w + b from Tensor ops, over the last {@code k} dims. */
  static Tensor composedLayerNorm(Tensor x, int k, Tensor w, Tensor b, double eps) {
    int[] dims = trailing(k);
    Tensor centred = x.sub(x.mean(dims, true));
    Tensor y = centred.div(centred.square().mean(dims, true).add(eps).sqrt());
    return y.mul(w).add(b);
  }

  /** x / √(mean(x²) + ε) · w from Tensor ops, over the last {@code k} dims. */
  static Tensor composedRmsNorm(Tensor x, int k, Tensor w, double eps) {
    return x.div(x.square().mean(trailing(k), true).add(eps).sqrt()).mul(w);
  }

  static int[] trailing(int k) {
    int[] dims = new int[k];
    for (int i = 0; i < k; i++) {
      dims[i] = i - k;
    }
    return dims;
  }

  @Property(tries = 40)
  void theOnePassForwardAndItsGradientsMatchTheComposedFormulas(
      @ForAll @IntRange(min = 1, max = 5) int rows,
      @ForAll @IntRange(min = 1, max = 40) int width,
      @ForAll boolean twoDims,
      @ForAll boolean rms,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    int[] normalized = twoDims ? new int[] {2, width} : new int[] {width};
    int[] shape = twoDims ? new int[] {rows, 2, width} : new int[] {rows, width};
    Tensor x = Tensor.randn(g, shape).mul(3).add(1).detach().requiresGrad(true);
    Tensor w = Tensor.randn(g, normalized).detach().requiresGrad(true);
    Tensor b = Tensor.randn(g, normalized).detach().requiresGrad(true);
    Tensor c = Tensor.randn(g, shape);
    int k = normalized.length;
    double eps = 1e-5;
    Tensor fused = rms ? F.rmsNorm(x, normalized, w, eps) : F.layerNorm(x, normalized, w, b, eps);
    fused.mul(c).sum().backward();
    Tensor[] fusedGrads = {x.grad(), w.grad(), rms ? null : b.grad()};
    x.zeroGrad();
    w.zeroGrad();
    b.zeroGrad();
    Tensor composed = rms ? composedRmsNorm(x, k, w, eps) : composedLayerNorm(x, k, w, b, eps);
    composed.mul(c).sum().backward();
    assertCloseTo(composed, fused, 1e-5, 1e-5, "forward");
    assertCloseTo(x.grad(), fusedGrads[0], 1e-4, 1e-4, "d/dx");
    assertCloseTo(w.grad(), fusedGrads[1], 1e-4, 1e-4, "d/dw");
    if (!rms) {
      assertCloseTo(b.grad(), fusedGrads[2], 1e-4, 1e-4, "d/db");
    }
  }

  @Test
  void layerNormHasPyTorchsParametersAndDefaults() {
    LayerNorm norm = new LayerNorm(4, 5);
    assertEquals(List.of("weight", "bias"), List.copyOf(norm.namedParameters().keySet()));
    assertArrayEquals(new float[20], norm.bias().data().toFloatArray());
    assertEquals(20.0, norm.weight().data().sum().item());
    assertEquals("LayerNorm((4, 5), eps=1.0E-5, elementwise_affine=True)", norm.toString());
    LayerNorm plain = new LayerNorm(new int[] {3}, 1e-6, false);
    assertNull(plain.weight());
    assertTrue(plain.namedParameters().isEmpty());
    Tensor y = plain.forward(Tensor.of(new float[][] {{1, 2, 3}}));
    // (x − 2) / √(2/3 + 1e-6)
    assertEquals(-1.2247439, y.data().getFloat(0, 0), 1e-6);
    assertEquals(0, y.data().getFloat(0, 1), 1e-7);
  }

  @Test
  void rmsNormDefaultsToTheMachineEpsilonOfTheDtype() {
    RMSNorm norm = new RMSNorm(3);
    assertEquals(List.of("weight"), List.copyOf(norm.namedParameters().keySet()));
    assertEquals("RMSNorm((3,), eps=None, elementwise_affine=True)", norm.toString());
    // a row of zeros: 0 / √(0 + ε) is 0 whatever ε; tiny rows show ε: x = 1e-4, mean(x²) = 1e-8
    Tensor tiny = Tensor.full(1e-4, 1, 3);
    double floatEps = Math.ulp(1.0f);
    double expected = 1e-4 / Math.sqrt(1e-8 + floatEps);
    assertEquals(expected, norm.forward(tiny).data().getFloat(0, 0), 1e-6 * expected);
    Tensor tiny64 = tiny.to(DType.FLOAT64);
    double expected64 = 1e-4 / Math.sqrt(1e-8 + Math.ulp(1.0));
    assertEquals(expected64, norm.forward(tiny64).data().getDouble(0, 0), 1e-12);
  }

  @Test
  void badShapesAreRefusedNamingTheOpAndShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 3)));
    assertEquals(
        "layerNorm: normalized shape [4] must be the trailing dims of the input's shape [2, 3]",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm());
    assertThrows(IllegalArgumentException.class, () -> new RMSNorm(new int[] {0}, null, true));
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[] {3}, -1, true));
  }
}
