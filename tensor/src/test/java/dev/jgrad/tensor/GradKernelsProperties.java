package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.kernel.Shapes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Each fused gradient kernel gives the same bits as its formula composed from array ops, on the
 * fused path (dense FLOAT32) and on the fallback (other layouts and FLOAT64).
 */
class GradKernelsProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes();
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return net.jqwik.api.Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** The index of element {@code flat} in row-major order. */
  private static int[] unflatten(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
    return index;
  }

  private static NDArray sample(
      DType dtype, int[] shape, Layout layout, long seed, double lo, double hi) {
    return Samples.sample(dtype, shape, layout, seed, lo, hi).array();
  }

  @Property(tries = 150)
  void sigmoidBackwardEqualsItsFormula(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    NDArray g = sample(dtype, shape, layout, seed, -2, 2);
    NDArray y = sample(dtype, shape, Layout.CONTIGUOUS, seed + 1, -3, 3).sigmoid();
    NDArray expected = g.mul(y.mul(y.neg().add(1)));
    assertArrayEquals(
        expected.toDoubleArray(), GradKernels.sigmoidBackward(g, y).toDoubleArray(), 0);
  }

  @Property(tries = 150)
  void reluBackwardEqualsItsFormula(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    NDArray g = sample(dtype, shape, layout, seed, -2, 2);
    NDArray y = sample(dtype, shape, Layout.CONTIGUOUS, seed + 1, -1, 1).relu();
    if (y.numel() > 0) { // a NaN output must stay NaN in the gradient
      y.set(Double.NaN, new int[shape.length]);
    }
    NDArray expected = g.mul(y.sign());
    assertArrayEquals(expected.toDoubleArray(), GradKernels.reluBackward(g, y).toDoubleArray(), 0);
  }

  @Property(tries = 150)
  void logSoftmaxBackwardEqualsItsFormula(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean lastDim,
      @ForAll long seed) {
    if (shape.length == 0) {
      return;
    }
    int dim = lastDim ? shape.length - 1 : 0;
    NDArray g = sample(dtype, shape, layout, seed, -2, 2);
    NDArray o = sample(dtype, shape, Layout.CONTIGUOUS, seed + 1, -3, 3).logSoftmax(dim);
    NDArray expected = g.sub(o.exp().mul(g.sum(dim, true)));
    assertArrayEquals(
        expected.toDoubleArray(), GradKernels.logSoftmaxBackward(g, o, dim).toDoubleArray(), 0);
  }

  @Property(tries = 150)
  void binaryCrossEntropyAndItsGradientEqualTheirFormulas(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean extremes,
      @ForAll long seed) {
    NDArray p = sample(dtype, shape, layout, seed, 0, 1);
    NDArray y = sample(dtype, shape, Layout.CONTIGUOUS, seed + 1, 0, 1);
    NDArray g = sample(dtype, shape, Layout.CONTIGUOUS, seed + 2, -2, 2);
    if (extremes && p.numel() > 0) { // log 0 is clamped at −100; p·(1 − p) at 1e-12
      p = p.contiguous();
      p.set(0, new int[shape.length]);
      p.set(1, unflatten(p.numel() - 1, shape));
    }
    NDArray logP = p.log().clampMin(GradKernels.BCE_LOG_MIN);
    NDArray log1mP = p.neg().add(1).log().clampMin(GradKernels.BCE_LOG_MIN);
    NDArray loss = y.mul(logP).add(y.neg().add(1).mul(log1mP)).neg();
    NDArray grad = g.mul(p.sub(y)).div(p.mul(p.neg().add(1)).clampMin(GradKernels.BCE_EPSILON));
    NDArray fusedLoss = GradKernels.binaryCrossEntropy(p, y);
    NDArray fusedGrad = GradKernels.binaryCrossEntropyBackward(g, p, y);
    assertArrayEquals(loss.toDoubleArray(), fusedLoss.toDoubleArray(), 0);
    assertArrayEquals(grad.toDoubleArray(), fusedGrad.toDoubleArray(), 0);
    for (double v : fusedGrad.toDoubleArray()) {
      assertTrue(Double.isFinite(v));
    }
  }

  @Property(tries = 50)
  void binaryCrossEntropyRefusesValuesOutsideZeroOne(
      @ForAll("shapes") int[] shape, @ForAll boolean above, @ForAll long seed) {
    NDArray p = sample(DType.FLOAT32, shape, Layout.CONTIGUOUS, seed, 0, 1);
    if (p.numel() == 0) {
      return;
    }
    p.set(above ? 1.5 : -0.5, unflatten(p.numel() / 2, shape));
    NDArray y = NDArray.zeros(shape);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GradKernels.binaryCrossEntropy(p, y));
    assertTrue(e.getMessage().startsWith("binaryCrossEntropy: input values must be"));
    IllegalArgumentException shapes =
        assertThrows(
            IllegalArgumentException.class,
            () -> GradKernels.binaryCrossEntropy(p, NDArray.zeros(p.numel() + 1)));
    assertTrue(shapes.getMessage().contains(Shapes.toString(shape)));
  }
}
