package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * {@link UpdateKernels}, the fused FLOAT32 updates, against the path each optimizer composes from
 * NDArray ops when the kernels do not apply. The composed path runs here on the same FLOAT32 values
 * laid out as a transposed (strided) view, so the only difference is the path taken. The equations
 * themselves are checked in {@link OptimizerProperties}.
 *
 * <p>SGD and Adagrad compose the very float operations of their kernels (the same products and sums
 * in the same order, p − lr·d written as p + (−lr)·d), so they agree bit for bit. Adam and RMSprop
 * do not, and agree only to within a small multiple of the update's size:
 *
 * <ul>
 *   <li>Adam's kernel multiplies √v by 1/√(1 − β₂ᵗ) where the composed path divides by √(1 − β₂ᵗ),
 *       and scales m before dividing by the denominator instead of after. Both paths compute 1 − β
 *       in double and round it once (as PyTorch does; {@link Float32TrajectoryProperties} checks
 *       the trajectory against FLOAT64).
 *   <li>RMSprop uses the same constants, but its kernel computes (g·(1 − α))·g where the composed
 *       path computes (g·g)·(1 − α): a rounding or two per step.
 * </ul>
 */
class UpdateKernelsProperties {
  static final int STEPS = 5;

  /**
   * Runs the optimizer {@link #STEPS} steps on a FLOAT32 parameter [rows, cols] with seeded
   * gradients: contiguous (the fused kernel) or a transposed view of a copy (the composed path).
   * Returns {start, end} values. Both sizes are at least 2, so that the transposed view is strided.
   */
  static float[][] run(
      Function<Tensor, Optimizer> make, long seed, int rows, int cols, boolean strided) {
    NDArray start = NDArray.randn(new Generator(seed), DType.FLOAT32, rows, cols);
    NDArray data = strided ? start.t().contiguous().t() : start.clone();
    assertEquals(!strided, UpdateKernels.applies(data), "the path under test");
    Tensor p = new Tensor(data).requiresGrad(true);
    Optimizer opt = make.apply(p);
    Generator gradients = new Generator(seed + 1);
    for (int t = 0; t < STEPS; t++) {
      p.setGrad(new Tensor(NDArray.randn(gradients, DType.FLOAT32, rows, cols)));
      opt.step();
    }
    return new float[][] {start.toFloatArray(), p.data().toFloatArray()};
  }

  static void assertSameBits(Function<Tensor, Optimizer> make, long seed, int rows, int cols) {
    float[] fused = run(make, seed, rows, cols, false)[1];
    float[] composed = run(make, seed, rows, cols, true)[1];
    for (int i = 0; i < fused.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(fused[i]),
          Float.floatToRawIntBits(composed[i]),
          "element " + i + ": fused " + fused[i] + ", composed " + composed[i]);
    }
  }

  /**
   * Every element within {@code relative} times the largest total update of any element, plus one
   * rounding of the parameter per step (p − x and p + (−x′) may round apart when x′ is a rounding
   * away from x).
   */
  static void assertClose(
      Function<Tensor, Optimizer> make, long seed, int rows, int cols, double relative) {
    float[][] fused = run(make, seed, rows, cols, false);
    float[] composed = run(make, seed, rows, cols, true)[1];
    double largestUpdate = 0;
    for (int i = 0; i < composed.length; i++) {
      largestUpdate = Math.max(largestUpdate, Math.abs(fused[1][i] - fused[0][i]));
    }
    assertTrue(largestUpdate > 0, "the parameter moved");
    for (int i = 0; i < composed.length; i++) {
      float magnitude = Math.max(Math.abs(fused[0][i]), Math.abs(fused[1][i]));
      double tolerance = relative * largestUpdate + STEPS * Math.ulp(magnitude);
      assertEquals(fused[1][i], composed[i], tolerance, "element " + i);
    }
  }

  @Property(tries = 40)
  void sgdKernelGivesTheComposedBits(
      @ForAll @DoubleRange(min = 0, max = 0.95) double momentum,
      @ForAll @DoubleRange(min = 0, max = 0.5) double dampening,
      @ForAll @DoubleRange(min = 0, max = 0.1) double wd,
      @ForAll boolean nesterov,
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 2, max = 19) int cols,
      @ForAll long seed) {
    double mom = nesterov ? Math.max(momentum, 0.1) : momentum;
    double damp = nesterov ? 0 : dampening;
    assertSameBits(q -> new SGD(List.of(q), 0.05, mom, damp, wd, nesterov), seed, rows, cols);
  }

  @Property(tries = 30)
  void adagradKernelGivesTheComposedBits(
      @ForAll @DoubleRange(min = 0, max = 0.1) double wd,
      @ForAll @DoubleRange(min = 0, max = 0.5) double init,
      @ForAll @DoubleRange(min = 1e-10, max = 0.5) @Scale(10) double eps,
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 2, max = 19) int cols,
      @ForAll long seed) {
    assertSameBits(q -> new Adagrad(List.of(q), 0.1, 0.01, wd, init, eps), seed, rows, cols);
  }

  @Property(tries = 40)
  void adamKernelAgreesWithTheComposedPath(
      @ForAll @DoubleRange(min = 0.5, max = 0.95) @Scale(6) double beta1,
      @ForAll @DoubleRange(min = 0.9, max = 0.9999) @Scale(6) double beta2,
      @ForAll @DoubleRange(min = 0, max = 0.1) double wd,
      @ForAll boolean decoupled,
      @ForAll boolean amsgrad,
      @ForAll @DoubleRange(min = 1e-10, max = 0.5) @Scale(10) double eps,
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 2, max = 19) int cols,
      @ForAll long seed) {
    Function<Tensor, Optimizer> make =
        q ->
            decoupled
                ? new AdamW(List.of(q), 0.01, beta1, beta2, eps, wd, amsgrad)
                : new Adam(List.of(q), 0.01, beta1, beta2, eps, wd, amsgrad);
    assertClose(make, seed, rows, cols, 4e-6);
  }

  @Property(tries = 40)
  void adamKernelAgreesClosely(
      @ForAll boolean decoupled,
      @ForAll boolean amsgrad,
      @ForAll @DoubleRange(min = 1e-10, max = 0.5) @Scale(10) double eps,
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 2, max = 19) int cols,
      @ForAll long seed) {
    // PyTorch's betas (0.9, 0.999).
    Function<Tensor, Optimizer> make =
        q ->
            decoupled
                ? new AdamW(List.of(q), 0.01, 0.9, 0.999, eps, 0.01, amsgrad)
                : new Adam(List.of(q), 0.01, 0.9, 0.999, eps, 0.01, amsgrad);
    assertClose(make, seed, rows, cols, 4e-6);
  }

  @Property(tries = 40)
  void rmspropKernelAgreesWithTheComposedPathToRoundings(
      @ForAll @DoubleRange(min = 0, max = 0.9) double momentum,
      @ForAll boolean centered,
      @ForAll @DoubleRange(min = 1e-10, max = 0.5) @Scale(10) double eps,
      @ForAll @IntRange(min = 2, max = 9) int rows,
      @ForAll @IntRange(min = 2, max = 19) int cols,
      @ForAll long seed) {
    assertClose(
        q -> new RMSprop(List.of(q), 0.01, 0.99, eps, 0.01, momentum, centered),
        seed,
        rows,
        cols,
        4e-6);
  }

  @Property(tries = 20)
  void theKernelsReadDenseArraysAtTheirOffset(
      @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 1, max = 5) int offset,
      @ForAll long seed) {
    // A parameter that is rows offset.. of a contiguous matrix: dense, but not at index 0.
    NDArray start = NDArray.randn(new Generator(seed), DType.FLOAT32, offset + 1, n);
    NDArray grad = NDArray.randn(new Generator(seed + 1), DType.FLOAT32, 1, n);
    for (Function<Tensor, Optimizer> make :
        List.<Function<Tensor, Optimizer>>of(
            q -> new SGD(List.of(q), 0.1, 0.9),
            q -> new Adam(List.of(q), 0.01),
            q -> new RMSprop(List.of(q), 0.01, 0.99, 1e-8, 0, 0.5, true),
            q -> new Adagrad(List.of(q), 0.1))) {
      NDArray view = start.clone().narrow(0, offset, 1);
      assertTrue(view.offset() > 0 && UpdateKernels.applies(view));
      Tensor shifted = new Tensor(view).requiresGrad(true);
      Tensor plain = new Tensor(start.narrow(0, offset, 1).clone()).requiresGrad(true);
      Optimizer a = make.apply(shifted);
      Optimizer b = make.apply(plain);
      for (int t = 0; t < 2; t++) {
        shifted.setGrad(new Tensor(grad));
        plain.setGrad(new Tensor(grad));
        a.step();
        b.step();
      }
      assertArrayEquals(plain.data().toFloatArray(), shifted.data().toFloatArray());
      assertFalse(
          java.util.Arrays.equals(
              start.narrow(0, offset, 1).toFloatArray(), shifted.data().toFloatArray()),
          "the view was updated in place");
    }
  }

  @Test
  void theKernelsApplyOnlyToDenseFloat32ArraysOfOneShape() {
    NDArray a = NDArray.zeros(3, 4);
    assertTrue(UpdateKernels.applies(a, NDArray.ones(3, 4), null));
    assertFalse(UpdateKernels.applies(a, NDArray.zeros(4, 3)));
    assertFalse(UpdateKernels.applies(a, NDArray.zeros(3, 4).to(DType.FLOAT64)));
    assertFalse(UpdateKernels.applies(a, NDArray.zeros(4, 3).t()));
  }
}
