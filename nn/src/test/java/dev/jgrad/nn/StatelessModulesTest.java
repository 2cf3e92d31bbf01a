package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The modules without parameters: {@link Identity}, the activations {@link ReLU}, {@link
 * LeakyReLU}, {@link ELU}, {@link GELU}, {@link SiLU}, {@link Sigmoid}, {@link Tanh}, {@link
 * Softplus}, {@link Softmax}, {@link LogSoftmax}, and {@link Flatten}. Each gives the bits of its
 * functional form in {@link F} (or the Tensor op), matches its formula written here in double
 * precision, keeps the shape, records the op named after it, passes GradCheck and prints like
 * PyTorch.
 */
class StatelessModulesTest {

  static Tensor input(long seed, int... shape) {
    return new Tensor(
            dev.jgrad.tensor.NDArray.randn(new Generator(seed), DType.FLOAT64, shape).mul(2))
        .requiresGrad(true);
  }

  /** The module elementwise against {@code f} in double precision, on a [2, 3, 4] input. */
  static void assertElementwise(Module m, DoubleUnaryOperator f, double tolerance) {
    Tensor x = input(1, 2, 3, 4);
    Tensor y = m.forward(x);
    assertArrayEquals(x.shape(), y.shape());
    double[] in = x.data().toDoubleArray();
    double[] out = y.data().toDoubleArray();
    for (int i = 0; i < in.length; i++) {
      assertEquals(f.applyAsDouble(in[i]), out[i], tolerance, m + " at x = " + in[i]);
    }
  }

  /** The module's output has the bits of the functional form, on FLOAT32. */
  static void assertSameAsFunctional(Module m, UnaryOperator<Tensor> functional) {
    Tensor x = Tensor.randn(new Generator(2), 3, 5);
    assertArrayEquals(
        functional.apply(x).data().toFloatArray(), m.forward(x).data().toFloatArray());
  }

  static void assertGradient(Module m) {
    GradCheck.Report r = GradCheck.firstOrder(in -> m.forward(in[0]), input(3, 3, 4));
    assertTrue(r.passed(), () -> m + " " + r);
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void identityReturnsItsInput() {
    Identity id = new Identity();
    Tensor x = input(1, 2, 3);
    assertSame(x, id.forward(x));
    id.forward(x).sum().backward();
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, x.grad().data().toDoubleArray());
    assertEquals("Identity()", id.toString());
    assertTrue(id.parameters().isEmpty());
  }

  @Test
  void sigmoidIsTheLogisticFunction() {
    Sigmoid m = new Sigmoid();
    assertElementwise(m, StatelessModulesTest::sigmoid, 1e-15);
    assertSameAsFunctional(m, F::sigmoid);
    assertEquals("SigmoidBackward", m.forward(input(1, 4)).gradFn().name());
    assertGradient(m);
    assertEquals("Sigmoid()", m.toString());
  }

  @Test
  void softplusIsLogOnePlusExp() {
    Softplus m = new Softplus();
    assertElementwise(m, x -> Math.log1p(Math.exp(x)), 1e-14);
    assertSameAsFunctional(m, F::softplus);
    assertEquals("SoftplusBackward", m.forward(input(1, 4)).gradFn().name());
    assertGradient(m);
    assertEquals("Softplus()", m.toString());
    Tensor big = Tensor.of(100f, -100f);
    assertArrayEquals(new float[] {100f, 0f}, m.forward(big).data().toFloatArray(), 1e-6f);
  }

  @Test
  void logSoftmaxSubtractsTheLogSumExpAlongItsDim() {
    for (int dim : new int[] {0, 1}) {
      LogSoftmax m = new LogSoftmax(dim);
      Tensor x = input(4, 3, 5);
      Tensor y = m.forward(x);
      assertArrayEquals(new int[] {3, 5}, y.shape());
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 5; j++) {
          double lse = 0;
          for (int k = 0; k < (dim == 0 ? 3 : 5); k++) {
            lse += Math.exp(dim == 0 ? x.data().getDouble(k, j) : x.data().getDouble(i, k));
          }
          assertEquals(
              x.data().getDouble(i, j) - Math.log(lse), y.data().getDouble(i, j), 1e-13, m + "");
        }
      }
      assertEquals("LogSoftmaxBackward", y.gradFn().name());
      assertGradient(m);
      assertEquals("LogSoftmax(dim=" + dim + ")", m.toString());
    }
    assertSameAsFunctional(new LogSoftmax(1), x -> F.logSoftmax(x, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> new LogSoftmax(2).forward(input(1, 3, 5)));
  }

  @Test
  void softmaxRowsArePositiveAndSumToOne() {
    Softmax m = new Softmax(1);
    Tensor y = m.forward(input(5, 4, 6));
    assertEquals("SoftmaxBackward", y.gradFn().name());
    double[] sums = y.data().sum(new int[] {1}, false).toDoubleArray();
    for (double s : sums) {
      assertEquals(1, s, 1e-14);
    }
    assertTrue(y.data().amin(new int[] {0, 1}, false).item() > 0);
    assertSameAsFunctional(m, x -> F.softmax(x, 1));
    assertGradient(m);
    assertEquals("Softmax(dim=1)", m.toString());
    Tensor x = Tensor.of(-2.0f, -0.5f, 0f, 0.5f, 2f);
    assertEquals(1.0, new Softmax(0).forward(x).sum().item(), 1e-6);
  }

  @Test
  void reluTanhAndSiluMatchTheirFormulas() {
    assertElementwise(new ReLU(), x -> Math.max(x, 0), 0);
    assertElementwise(new Tanh(), Math::tanh, 1e-15);
    assertElementwise(new SiLU(), x -> x * sigmoid(x), 1e-14);
    assertSameAsFunctional(new ReLU(), F::relu);
    assertSameAsFunctional(new Tanh(), F::tanh);
    assertSameAsFunctional(new SiLU(), F::silu);
    assertEquals("ReluBackward", new ReLU().forward(input(1, 4)).gradFn().name());
    assertEquals("TanhBackward", new Tanh().forward(input(1, 4)).gradFn().name());
    assertGradient(new Tanh());
    assertGradient(new SiLU());
    assertEquals("ReLU()", new ReLU().toString());
    assertEquals("SiLU()", new SiLU().toString());
  }

  @Test
  void leakyReluAndEluMatchTheirFormulas() {
    Tensor x = Tensor.of(-2.0f, -0.5f, 0f, 0.5f, 2f);
    float[] v = x.data().toFloatArray();
    float[] leaky = new LeakyReLU(0.1).forward(x).data().toFloatArray();
    float[] elu = new ELU(1.0).forward(x).data().toFloatArray();
    float[] silu = new SiLU().forward(x).data().toFloatArray();
    for (int i = 0; i < v.length; i++) {
      assertEquals(v[i] > 0 ? v[i] : 0.1 * v[i], leaky[i], 1e-6);
      assertEquals(v[i] > 0 ? v[i] : Math.expm1(v[i]), elu[i], 1e-6);
      assertEquals(v[i] / (1 + Math.exp(-v[i])), silu[i], 1e-6);
    }
    Tensor big = Tensor.of(100f);
    assertEquals(0f, (float) new ELU().forward(big).sub(big).item());
    assertElementwise(new LeakyReLU(), t -> t > 0 ? t : 0.01 * t, 1e-16);
    assertElementwise(new ELU(0.5), t -> t > 0 ? t : 0.5 * Math.expm1(t), 1e-15);
    assertGradient(new ELU(0.5));
    assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
    assertEquals("ELU(alpha=1.0)", new ELU().toString());
  }

  @Test
  void geluIsExactByDefaultAndTheTanhFormWhenAsked() {
    assertSameAsFunctional(new GELU(), F::gelu);
    assertSameAsFunctional(new GELU(false), Tensor::gelu);
    double c = Math.sqrt(2 / Math.PI);
    assertElementwise(
        new GELU(true), x -> 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))), 1e-14);
    // The tanh form is within 1e-3 of the exact one (x·Φ(x)).
    Tensor x = input(6, 50);
    assertArrayEquals(
        new GELU().forward(x).data().toDoubleArray(),
        new GELU(true).forward(x).data().toDoubleArray(),
        1e-3);
    assertGradient(new GELU());
    assertGradient(new GELU(true));
    assertEquals("GELU()", new GELU().toString());
    assertEquals("GELU(approximate='tanh')", new GELU(true).toString());
  }

  @Test
  void flattenMergesTheChosenDims() {
    assertArrayEquals(new int[] {2, 12}, new Flatten().forward(Tensor.zeros(2, 3, 4)).shape());
    assertArrayEquals(new int[] {6, 4}, new Flatten(0, 1).forward(Tensor.zeros(2, 3, 4)).shape());
    Tensor x = input(7, 2, 3, 4);
    Tensor y = new Flatten().forward(x);
    assertArrayEquals(x.data().toDoubleArray(), y.data().toDoubleArray(), "row-major order kept");
    assertEquals("FlattenBackward", y.gradFn().name());
    assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    assertThrows(IndexOutOfBoundsException.class, () -> new Flatten(1, 5).forward(x));
    assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(x));
  }
}
