package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The mixed-dtype (composite) path of {@code Normalization.batchNorm} and its argument checks
 * (issue #14, mutation testing): running statistics updated as PyTorch does (momentum, the unbiased
 * variance n/(n − 1)), training without running statistics, an INT32 input normalised as its
 * values, and the errors for a 1-D input, per-channel tensors of the wrong shape, a running mean
 * without a running variance and one value per channel in training. Every expectation is worked by
 * hand on a [2, 2, 2] input.
 */
class BatchNormCompositeTest {

  // channel 0 holds 1, 3, 5, 7: mean 4, biased variance 20/4 = 5, unbiased 20/3
  // channel 1 holds 2, 2, 2, 6: mean 3, biased variance 12/4 = 3, unbiased 4
  static final float[] X = {1, 3, 2, 2, 5, 7, 2, 6};

  static Tensor x32() {
    return new Tensor(NDArray.fromArray(X, 2, 2, 2));
  }

  static Tensor f64(double... v) {
    return new Tensor(NDArray.fromArray(v, v.length));
  }

  /** (x − μ_c)/√(σ²_c + eps)·γ_c + β_c for the input X, by hand. */
  static double[] normalised(double[] mean, double[] var, double eps, double[] g, double[] b) {
    double[] y = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      int c = (i / 2) % 2; // [N, C, L] = [2, 2, 2]
      y[i] = (X[i] - mean[c]) / Math.sqrt(var[c] + eps) * g[c] + b[c];
    }
    return y;
  }

  @Test
  void trainingUpdatesFloat64RunningStatisticsOfAFloat32InputAsPyTorch() {
    Tensor runningMean = f64(0.5, -1);
    Tensor runningVar = f64(2, 1);
    Tensor y = F.batchNorm(x32(), runningMean, runningVar, null, null, true, 0.25, 0);
    // running = (1 − momentum)·running + momentum·batch statistic, the variance unbiased
    assertArrayEquals(
        new double[] {0.75 * 0.5 + 0.25 * 4, 0.75 * -1 + 0.25 * 3},
        runningMean.data().toDoubleArray(),
        1e-6);
    assertArrayEquals(
        new double[] {0.75 * 2 + 0.25 * 20 / 3.0, 0.75 * 1 + 0.25 * 4},
        runningVar.data().toDoubleArray(),
        1e-6);
    // normalised with the biased batch variance
    double[] expected = normalised(new double[] {4, 3}, new double[] {5, 3}, 0, ONE, ZERO);
    assertArrayEquals(expected, y.data().toDoubleArray(), 1e-5);
  }

  static final double[] ONE = {1, 1};
  static final double[] ZERO = {0, 0};

  @Test
  void trainingWithoutRunningStatisticsAppliesFloat64Parameters() {
    Tensor weight = f64(2, -0.5);
    Tensor bias = f64(1, 3);
    Tensor y = F.batchNorm(x32(), null, null, weight, bias, true, 0.1, 1e-5);
    assertEquals(DType.FLOAT64, y.dtype());
    double[] expected =
        normalised(
            new double[] {4, 3},
            new double[] {5, 3},
            1e-5,
            new double[] {2, -0.5},
            new double[] {1, 3});
    assertArrayEquals(expected, y.data().toDoubleArray(), 1e-5);
  }

  @Test
  void evaluationUsesTheRunningStatisticsAndLeavesThemAlone() {
    Tensor runningMean = f64(1, -2);
    Tensor runningVar = f64(4, 0.25);
    Tensor y = F.batchNorm(x32(), runningMean, runningVar, null, f64(0.5, 0), false, 0.1, 0);
    double[] expected =
        normalised(new double[] {1, -2}, new double[] {4, 0.25}, 0, ONE, new double[] {0.5, 0});
    assertArrayEquals(expected, y.data().toDoubleArray(), 1e-5);
    assertArrayEquals(new double[] {1, -2}, runningMean.data().toDoubleArray());
    assertArrayEquals(new double[] {4, 0.25}, runningVar.data().toDoubleArray());
  }

  @Test
  void anInt32InputIsNormalisedAsItsValues() {
    Tensor x = new Tensor(NDArray.fromArray(new int[] {1, 3, 2, 2, 5, 7, 2, 6}, 2, 2, 2));
    Tensor y = F.batchNorm(x, null, null, null, null, true, 0.1, 0);
    assertTrue(y.dtype().isFloatingPoint(), y.dtype().toString());
    double[] expected = normalised(new double[] {4, 3}, new double[] {5, 3}, 0, ONE, ZERO);
    assertArrayEquals(expected, y.data().toDoubleArray(), 1e-5);
  }

  static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void badArgumentsAreRefusedNamingTheOpAndTheTensor() {
    String m = error(() -> F.batchNorm(Tensor.zeros(3), null, null, null, null, true, 0.1, 0));
    assertTrue(m.startsWith("batchNorm") && m.contains("(N, C, ...)"), m);
    // FLOAT32 input, FLOAT64 per-channel tensors: the composite path, whose ops would not name
    // the problem (autograd's one-node batchNorm checks these itself for one dtype)
    Tensor x = x32();
    Tensor good = f64(1, 1);
    Tensor three = f64(1, 1, 1);
    Tensor square = new Tensor(NDArray.fromArray(new double[] {1, 1, 1, 1}, 2, 2));
    m = error(() -> F.batchNorm(x, three, good, null, null, true, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: running_mean of shape [3]") && m.contains("2 channels"), m);
    m = error(() -> F.batchNorm(x, three, good, null, null, false, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: running_mean of shape [3]"), m);
    m = error(() -> F.batchNorm(x, good, square, null, null, true, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: running_var of shape [2, 2]"), m);
    m = error(() -> F.batchNorm(x, good, square, null, null, false, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: running_var of shape [2, 2]"), m);
    m = error(() -> F.batchNorm(x, null, null, three, null, true, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: weight of shape [3]"), m);
    m = error(() -> F.batchNorm(x, null, null, null, square, true, 0.1, 0));
    assertTrue(m.startsWith("batchNorm: bias of shape [2, 2]"), m);
    m = error(() -> F.batchNorm(x, good, null, null, null, true, 0.1, 0));
    assertTrue(m.contains("running_mean and running_var must be given together"), m);
    m = error(() -> F.batchNorm(x, null, good, null, null, true, 0.1, 0));
    assertTrue(m.contains("running_mean and running_var must be given together"), m);
    m = error(() -> F.batchNorm(x, null, null, null, null, false, 0.1, 0));
    assertTrue(m.contains("needed when not training"), m);
    m = error(() -> F.batchNorm(x, null, null, good, null, false, 0.1, 0));
    assertTrue(m.contains("needed when not training"), m);
    // one value per channel: [1, 2] and [1, 2, 1] in training (PyTorch refuses both)
    Tensor pair = Tensor.ones(1, 2);
    m = error(() -> F.batchNorm(pair, null, null, good, null, true, 0.1, 0));
    assertTrue(m.contains("more than 1 value per channel") && m.contains("[1, 2]"), m);
    m = error(() -> F.batchNorm(pair.reshape(1, 2, 1), good, good, null, null, true, 0.1, 0));
    assertTrue(m.contains("more than 1 value per channel") && m.contains("[1, 2, 1]"), m);
    // in evaluation one value per channel is fine: (1 − 0)/√(1 + 0) = 1
    Tensor y = F.batchNorm(Tensor.ones(1, 2), Tensor.zeros(2), good, null, null, false, 0.1, 0);
    assertArrayEquals(new float[] {1, 1}, y.data().toFloatArray());
  }
}
