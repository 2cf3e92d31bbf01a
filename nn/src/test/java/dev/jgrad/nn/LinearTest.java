package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearTest {

  @Test
  void linearInitialisationHasPyTorchsBounds() {
    Linear layer = new Linear(400, 300, true, new Generator(5));
    double bound = 1 / Math.sqrt(400);
    NDArray w = layer.weight().data();
    assertTrue(w.abs().max().item() <= bound);
    // U(−b, b) has mean 0 and variance b²/3.
    assertEquals(0, w.mean().item(), 0.01 * bound);
    assertEquals(bound * bound / 3, w.var().item(), 0.02 * bound * bound / 3);
    assertTrue(layer.bias().data().abs().max().item() <= bound);
    assertNotEquals(0, layer.bias().data().abs().sum().item());
  }

  @Test
  void linearRefusesTheWrongInputWidth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Linear(3, 2).forward(Tensor.zeros(5, 4)));
    assertTrue(e.getMessage().contains("[5, 4]"), e.getMessage());
  }

  @Test
  void forwardIsXTimesWTransposedPlusB() {
    Linear layer = new Linear(3, 2, true, new Generator(1));
    Tensor x = Tensor.randn(new Generator(2), 4, 3);
    Tensor y = layer.forward(x);
    assertArrayEquals(new int[] {4, 2}, y.shape());
    for (int n = 0; n < 4; n++) {
      for (int o = 0; o < 2; o++) {
        double expected = layer.bias().data().getDouble(o);
        for (int i = 0; i < 3; i++) {
          expected += x.data().getDouble(n, i) * layer.weight().data().getDouble(o, i);
        }
        assertEquals(expected, y.data().getDouble(n, o), 1e-5);
      }
    }
    assertEquals("LinearBackward", y.gradFn().name());
    Tensor batched = layer.forward(Tensor.randn(new Generator(3), 2, 5, 3));
    assertArrayEquals(new int[] {2, 5, 2}, batched.shape(), "leading dims are kept");
  }

  @Test
  void gradientsReachTheWeightAndBias() {
    Linear layer = new Linear(3, 2, true, new Generator(1));
    Tensor x = new Tensor(NDArray.randn(new Generator(4), DType.FLOAT64, 4, 3)).requiresGrad(true);
    Tensor w = new Tensor(layer.weight().data().to(DType.FLOAT64)).requiresGrad(true);
    Tensor b = new Tensor(layer.bias().data().to(DType.FLOAT64)).requiresGrad(true);
    GradCheck.Report r = GradCheck.firstOrder(in -> F.linear(in[0], in[1], in[2]), x, w, b);
    assertTrue(r.passed(), r::toString);
    layer.forward(Tensor.randn(new Generator(5), 4, 3)).sum().backward();
    assertArrayEquals(
        new float[] {4, 4}, layer.bias().grad().data().toFloatArray(), "dL/db sums the batch");
  }

  @Test
  void withoutBiasThereIsOnlyTheWeight() {
    Linear layer = new Linear(3, 2, false);
    assertNull(layer.bias());
    assertEquals(List.of(layer.weight()), layer.parameters());
    assertEquals("Linear(in_features=3, out_features=2, bias=False)", layer.toString());
    assertEquals("Linear(in_features=3, out_features=2, bias=True)", new Linear(3, 2).toString());
  }

  @Test
  void sizesMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2));
    assertTrue(e.getMessage().contains("in=0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Linear(2, -1, true));
  }
}
