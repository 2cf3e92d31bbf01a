package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each initialiser against torch.nn.init's formulas: the bound or the standard deviation computed
 * here from fan_in, fan_out and the gain, checked on 60,000 samples (the sample moments are within
 * several standard errors; a uniform's extremes reach its bound).
 */
class InitTest {
  static final int OUT = 300;
  static final int IN = 200; // fan_in 200, fan_out 300

  static Tensor weight() {
    return Tensor.zeros(OUT, IN).requiresGrad(true);
  }

  /** Mean, standard deviation and largest magnitude of the values. */
  static double[] moments(Tensor t) {
    double[] v = t.data().toDoubleArray();
    double sum = 0;
    double largest = 0;
    for (double x : v) {
      sum += x;
      largest = Math.max(largest, Math.abs(x));
    }
    double mean = sum / v.length;
    double squares = 0;
    for (double x : v) {
      squares += (x - mean) * (x - mean);
    }
    return new double[] {mean, Math.sqrt(squares / v.length), largest};
  }

  /** U(−b, b): every value within b, the largest near b, mean 0, standard deviation b/√3. */
  static void assertUniform(Tensor t, double bound) {
    double[] m = moments(t);
    assertTrue(m[2] <= bound, "largest " + m[2] + " exceeds the bound " + bound);
    assertTrue(m[2] > 0.99 * bound, "largest " + m[2] + " well inside the bound " + bound);
    assertEquals(0, m[0], 0.02 * bound);
    assertEquals(bound / Math.sqrt(3), m[1], 0.02 * bound / Math.sqrt(3));
  }

  /** N(0, σ²): mean 0 and standard deviation σ. */
  static void assertNormal(Tensor t, double std) {
    double[] m = moments(t);
    assertEquals(0, m[0], 0.02 * std);
    assertEquals(std, m[1], 0.02 * std);
  }

  @Test
  void xavierUniformHasGlorotsBound() {
    for (double gain : new double[] {1, 5.0 / 3}) {
      Tensor w = weight();
      assertSame(w, Init.xavierUniform(w, gain, new Generator(1)));
      assertUniform(w, gain * Math.sqrt(6.0 / (IN + OUT)));
    }
  }

  @Test
  void xavierNormalHasGlorotsStandardDeviation() {
    for (double gain : new double[] {1, Math.sqrt(2)}) {
      Tensor w = weight();
      assertSame(w, Init.xavierNormal(w, gain, new Generator(2)));
      assertNormal(w, gain * Math.sqrt(2.0 / (IN + OUT)));
    }
  }

  @Test
  void kaimingUniformHasHesBoundForEitherFan() {
    Tensor in = Init.kaimingUniform(weight(), 0, Init.FanMode.FAN_IN, "relu", new Generator(3));
    assertUniform(in, Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(IN));
    Tensor out = Init.kaimingUniform(weight(), 0, Init.FanMode.FAN_OUT, "relu", new Generator(3));
    assertUniform(out, Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(OUT));
    double a = Math.sqrt(5); // what Linear uses: the bound becomes 1/√fan_in
    Tensor leaky =
        Init.kaimingUniform(weight(), a, Init.FanMode.FAN_IN, "leaky_relu", new Generator(4));
    assertUniform(leaky, 1 / Math.sqrt(IN));
  }

  @Test
  void kaimingNormalHasHesStandardDeviationForEitherFan() {
    Tensor in = Init.kaimingNormal(weight(), 0, Init.FanMode.FAN_IN, "relu", new Generator(5));
    assertNormal(in, Math.sqrt(2.0 / IN));
    Tensor out = Init.kaimingNormal(weight(), 0, Init.FanMode.FAN_OUT, "tanh", new Generator(5));
    assertNormal(out, 5.0 / 3 / Math.sqrt(OUT));
  }

  @Test
  void uniformNormalAndConstantFillInPlaceWithoutAGraph() {
    Tensor u = Init.uniform(weight(), 2, 5, new Generator(6));
    double[] m = moments(u);
    assertEquals(3.5, m[0], 0.02);
    for (double v : u.data().toDoubleArray()) {
      assertTrue(v >= 2 && v <= 5, "value " + v + " outside [2, 5]");
    }
    Tensor n = Init.normal(weight(), -1, 0.5, new Generator(7));
    m = moments(n);
    assertEquals(-1, m[0], 0.01);
    assertEquals(0.5, m[1], 0.01);
    Tensor c = Init.constant(weight(), 0.25);
    assertEquals(0.25, c.data().amax(new int[] {0, 1}, false).item());
    assertEquals(0.25, c.data().amin(new int[] {0, 1}, false).item());
    for (Tensor t : new Tensor[] {u, n, c}) {
      assertTrue(t.isLeaf() && t.requiresGrad(), "still a trainable leaf");
      assertNull(t.gradFn(), "no graph recorded");
    }
  }

  @Test
  void theDtypeIsKeptAndTheSameSeedGivesTheSameValues() {
    Tensor a = Init.xavierNormal(Tensor.zeros(DType.FLOAT64, 20, 30), 1, new Generator(8));
    Tensor b = Init.xavierNormal(Tensor.zeros(DType.FLOAT64, 20, 30), 1, new Generator(8));
    Tensor c = Init.xavierNormal(Tensor.zeros(DType.FLOAT64, 20, 30), 1, new Generator(9));
    assertEquals(DType.FLOAT64, a.dtype());
    assertArrayEquals(a.data().toDoubleArray(), b.data().toDoubleArray());
    assertFalse(java.util.Arrays.equals(a.data().toDoubleArray(), c.data().toDoubleArray()));
  }

  @Test
  void fansCountTheReceptiveField() {
    assertArrayEquals(new int[] {IN, OUT}, Init.fans(weight()));
    assertArrayEquals(new int[] {3 * 5 * 5, 16 * 5 * 5}, Init.fans(Tensor.zeros(16, 3, 5, 5)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(7)));
    assertTrue(e.getMessage().contains("[7]"), e.getMessage());
    for (Consumer<Tensor> init :
        java.util.List.<Consumer<Tensor>>of(
            t -> Init.xavierUniform(t, 1, new Generator(1)),
            t -> Init.xavierNormal(t, 1, new Generator(1)),
            t -> Init.kaimingUniform(t, 0, Init.FanMode.FAN_IN, "relu", new Generator(1)),
            t -> Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, "relu", new Generator(1)))) {
      assertThrows(IllegalArgumentException.class, () -> init.accept(Tensor.zeros(7)));
    }
  }

  @Test
  void gainsAreTorchsTable() {
    assertEquals(1.0, Init.calculateGain("linear", 0));
    assertEquals(1.0, Init.calculateGain("identity", 0));
    assertEquals(1.0, Init.calculateGain("sigmoid", 0));
    assertEquals(5.0 / 3, Init.calculateGain("tanh", 0));
    assertEquals(Math.sqrt(2), Init.calculateGain("relu", 0));
    assertEquals(Math.sqrt(2 / (1 + 0.2 * 0.2)), Init.calculateGain("leaky_relu", 0.2));
    assertEquals(0.75, Init.calculateGain("selu", 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish", 0));
    assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Init.kaimingNormal(weight(), 0, Init.FanMode.FAN_IN, "swish", new Generator(1)));
  }
}
