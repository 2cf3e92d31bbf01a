package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/** {@link ClipGrad}: the joint norm computed here, the bound after clipping, value clamping. */
class ClipGradProperties {

  @Property(tries = 30)
  void clipGradNormBoundsTheJointNorm(
      @ForAll @DoubleRange(min = 0.01, max = 5) double maxNorm, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor p1 = Tensor.zeros(3, 4).requiresGrad(true);
    Tensor p2 = Tensor.zeros(5).requiresGrad(true);
    p1.setGrad(Tensor.randn(g, 3, 4));
    p2.setGrad(Tensor.randn(g, 5));
    double expected = 0;
    for (double v : p1.grad().data().toDoubleArray()) {
      expected += v * v;
    }
    for (double v : p2.grad().data().toDoubleArray()) {
      expected += v * v;
    }
    expected = Math.sqrt(expected);
    double norm = ClipGrad.clipGradNorm(List.of(p1, p2), maxNorm, 2);
    assertEquals(expected, norm, 1e-4);
    double after =
        Math.sqrt(p1.grad().data().square().sum().item() + p2.grad().data().square().sum().item());
    assertTrue(after <= Math.min(maxNorm, expected) * (1 + 1e-4), "norm after clipping " + after);
    ClipGrad.clipGradValue(List.of(p1, p2), 0.1);
    assertTrue(p1.grad().data().abs().max().item() <= 0.1 + 1e-7);
  }

  @Property(tries = 20)
  void theInfinityNormIsTheLargestMagnitude(
      @ForAll @DoubleRange(min = 0.01, max = 3) double maxNorm, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor p1 = Tensor.zeros(6).requiresGrad(true);
    Tensor p2 = Tensor.zeros(2, 2).requiresGrad(true);
    p1.setGrad(Tensor.randn(g, 6));
    p2.setGrad(Tensor.randn(g, 2, 2));
    double largest = 0;
    for (Tensor p : List.of(p1, p2)) {
      for (double v : p.grad().data().toDoubleArray()) {
        largest = Math.max(largest, Math.abs(v));
      }
    }
    float[] before = p1.grad().data().toFloatArray();
    double norm = ClipGrad.clipGradNorm(List.of(p1, p2), maxNorm, Double.POSITIVE_INFINITY);
    assertEquals(largest, norm, 1e-6);
    double factor = Math.min(1, maxNorm / (largest + 1e-6));
    float[] after = p1.grad().data().toFloatArray();
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i] * factor, after[i], 1e-6, "every gradient scaled by one factor");
    }
  }

  @Property(tries = 1)
  void parametersWithoutGradientsAreSkipped() {
    Tensor with = Tensor.zeros(2).requiresGrad(true);
    Tensor without = Tensor.zeros(3).requiresGrad(true);
    with.setGrad(Tensor.of(3f, 4f));
    assertEquals(5.0, ClipGrad.clipGradNorm(List.of(with, without), 10, 2), 1e-6);
    assertArrayEquals(new float[] {3f, 4f}, with.grad().data().toFloatArray(), "below the bound");
    ClipGrad.clipGradValue(List.of(with, without), 3.5);
    assertArrayEquals(new float[] {3f, 3.5f}, with.grad().data().toFloatArray());
    assertNull(without.grad());
  }
}
