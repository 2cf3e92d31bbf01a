package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * The backward pass ({@link Engine}): the chain rule through recorded ops, accumulation, graphs
 * walked once unless retained, gradients summed back over broadcasting. The {@link Node}s it walks
 * are covered with {@link Graph} in {@code GraphTest}; the {@link Formula}s they hold by the rule
 * files' tests ({@code OpGradProperties}, {@code OpRulesTest}, {@code FusedFormulaProperties}).
 */
class EngineTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  /**
   * Two threads backpropagating into one shared leaf at the same time, as in Hogwild-style
   * training: every gradient lands (PyTorch locks the accumulation per leaf). Both threads start
   * together from a latch and run many small backward passes, so their accumulations interleave.
   */
  @Test
  void twoThreadsBackwardIntoOneSharedLeafWithoutLosingUpdates() throws Exception {
    // Many elements, so that each accumulation (an add over them) is a wide window to race in.
    Tensor w = Tensor.zeros(DType.FLOAT64, 4096).requiresGrad(true);
    int passes = 400;
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (double c : new double[] {1, 2}) {
        done.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  for (int i = 0; i < passes; i++) {
                    w.mul(c).sum().backward(); // d/dw Σ c·w = c
                  }
                  return null;
                }));
      }
      ready.await();
      go.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double[] want = new double[4096];
    java.util.Arrays.fill(want, passes * (1 + 2));
    assertArrayEquals(want, values(w.grad()));
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
  void broadcastGradientsAreSummedBackToTheInputShape() {
    Tensor bias = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    Tensor x = new Tensor(NDArray.ones(DType.FLOAT64, 4, 3));
    x.add(bias).sum().backward();
    assertArrayEquals(new double[] {4, 4, 4}, values(bias.grad()));
    assertArrayEquals(new int[] {3}, bias.grad().shape());
  }
}
