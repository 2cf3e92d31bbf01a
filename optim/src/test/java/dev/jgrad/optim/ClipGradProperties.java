package dev.jgrad.optim;

import static dev.jgrad.testkit.TensorAssertions.assertCloseTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.Shapes;
import dev.jgrad.testkit.TensorSample;
import dev.jgrad.testkit.Tensors;
import dev.jgrad.testkit.ViewKind;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ClipGrad}: the joint norm computed here, every gradient scaled by one factor to the bound
 * and then clamped, on gradients of any shape laid out as any view (drawn by the test kit's {@code
 * Tensors}); the infinity norm; parameters without gradients.
 */
class ClipGradProperties {

  /**
   * One to three FLOAT32 gradients in [-3, 3] of any shape, contiguous or a transposed, sliced or
   * offset view. Not expanded: clipping scales gradients in place, which an expanded view refuses
   * (mulInPlace, like PyTorch's mul_), and autograd never leaves one in a leaf.
   */
  @Provide
  Arbitrary<List<TensorSample>> gradients() {
    return Tensors.of(
            DType.FLOAT32,
            Shapes.shapes(0, 3, 6),
            -3,
            3,
            ViewKind.CONTIGUOUS,
            ViewKind.TRANSPOSED,
            ViewKind.SLICED,
            ViewKind.OFFSET)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }

  @Property(tries = 60)
  void clipGradNormScalesEveryGradientByOneFactorToTheBound(
      @ForAll @DoubleRange(min = 0.01, max = 5) double maxNorm,
      @ForAll("gradients") List<TensorSample> gradients) {
    List<Tensor> params = new ArrayList<>();
    List<NDArray> before = new ArrayList<>();
    double expected = 0;
    for (TensorSample g : gradients) {
      Tensor p = Tensor.zeros(g.shape()).requiresGrad(true);
      p.setGrad(g.tensor());
      params.add(p);
      before.add(g.array().clone());
      for (double v : g.array().toDoubleArray()) {
        expected += v * v;
      }
    }
    expected = Math.sqrt(expected);
    double norm = ClipGrad.clipGradNorm(params, maxNorm, 2);
    assertEquals(expected, norm, 1e-5 * (1 + expected));
    double factor = Math.min(1, maxNorm / (expected + 1e-6));
    for (int i = 0; i < params.size(); i++) {
      assertCloseTo(before.get(i).mul(factor), params.get(i).grad().data(), 1e-5, 1e-6);
    }
    ClipGrad.clipGradValue(params, 0.1);
    for (int i = 0; i < params.size(); i++) {
      assertCloseTo(
          before.get(i).mul(factor).clamp(-0.1, 0.1), params.get(i).grad().data(), 1e-5, 1e-6);
    }
  }

  /**
   * clipGradValue bounds every entry from both sides and leaves the entries inside the bound
   * bit-for-bit unchanged: setting a gradient to zero, or clamping from above only, fails this.
   */
  @Property(tries = 60)
  void clipGradValueBoundsFromBothSidesAndKeepsEntriesInside(
      @ForAll @DoubleRange(min = 0.01, max = 2) double clip,
      @ForAll("gradients") List<TensorSample> gradients) {
    List<Tensor> params = new ArrayList<>();
    for (TensorSample g : gradients) {
      Tensor p = Tensor.zeros(g.shape()).requiresGrad(true);
      p.setGrad(g.tensor());
      params.add(p);
    }
    List<double[]> before = new ArrayList<>();
    params.forEach(p -> before.add(p.grad().data().toDoubleArray()));
    ClipGrad.clipGradValue(params, clip);
    float bound = (float) clip;
    for (int i = 0; i < params.size(); i++) {
      double[] was = before.get(i);
      double[] now = params.get(i).grad().data().toDoubleArray();
      for (int j = 0; j < was.length; j++) {
        String where = "gradient " + i + " entry " + j + ": " + was[j] + " -> " + now[j];
        if (was[j] > bound) {
          assertEquals(bound, now[j], 0, where);
        } else if (was[j] < -bound) {
          assertEquals(-bound, now[j], 0, where);
        } else {
          assertEquals(was[j], now[j], 0, where);
        }
      }
    }
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

  @Test
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
