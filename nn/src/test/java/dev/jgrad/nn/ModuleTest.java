package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

  static Sequential mlp(long seed) {
    Generator g = new Generator(seed);
    return new Sequential(new Linear(784, 128, true, g), new ReLU(), new Linear(128, 10, true, g));
  }

  @Test
  void parametersAreRegisteredWithDottedNames() {
    Sequential model = mlp(1);
    assertEquals(
        List.of("0.weight", "0.bias", "2.weight", "2.bias"),
        List.copyOf(model.namedParameters().keySet()));
    assertEquals(784 * 128 + 128 + 128 * 10 + 10, model.parameterCount());
    for (Tensor p : model.parameters()) {
      assertTrue(p.requiresGrad() && p.isLeaf());
    }
    assertArrayEquals(new int[] {128, 784}, model.namedParameters().get("0.weight").shape());
  }

  @Test
  void toStringPrintsATreeLikePyTorch() {
    assertEquals(
        "Sequential(\n"
            + "  (0): Linear(in_features=784, out_features=128, bias=True)\n"
            + "  (1): ReLU()\n"
            + "  (2): Linear(in_features=128, out_features=10, bias=True)\n"
            + ")",
        mlp(1).toString());
  }

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
  void theSameSeedBuildsTheSameModel() {
    assertArrayEquals(
        mlp(3).parameters().get(0).data().toFloatArray(),
        mlp(3).parameters().get(0).data().toFloatArray());
    assertFalse(
        java.util.Arrays.equals(
            mlp(3).parameters().get(0).data().toFloatArray(),
            mlp(4).parameters().get(0).data().toFloatArray()));
  }

  @Test
  void dropoutIsActiveOnlyWhileTraining() {
    Dropout drop = new Dropout(0.5, new Generator(9));
    Sequential model = new Sequential(drop);
    Tensor x = Tensor.ones(10_000);
    Tensor y = model.forward(x);
    double zeros = y.data().eq(0).sum().item();
    assertEquals(5000, zeros, 300);
    assertEquals(10_000, y.data().sum().item(), 400, "inverted scaling keeps the expectation");
    model.eval();
    assertFalse(drop.isTraining());
    assertArrayEquals(x.data().toFloatArray(), model.forward(x).data().toFloatArray());
    model.train();
    assertTrue(drop.isTraining());
  }

  @Test
  void stateDictRoundTripsIntoAnotherModel() {
    Sequential a = mlp(1);
    Sequential b = mlp(2);
    b.loadStateDict(a.stateDict(), true);
    Tensor x = Tensor.rand(4, 784);
    assertArrayEquals(a.forward(x).data().toFloatArray(), b.forward(x).data().toFloatArray());
    Map<String, NDArray> wrong = new java.util.LinkedHashMap<>(a.stateDict());
    wrong.put("2.bias", NDArray.zeros(11));
    NDArray before = b.parameters().get(0).data().clone();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong, true));
    assertTrue(e.getMessage().contains("2.bias"), e.getMessage());
    assertArrayEquals(
        before.toFloatArray(), b.parameters().get(0).data().toFloatArray(), "untouched");
    wrong.remove("2.bias");
    assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong, true));
  }

  @Test
  void zeroGradAndApplyReachEveryModule() {
    Sequential model = mlp(1);
    model.forward(Tensor.rand(2, 784)).sum().backward();
    assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
    model.zeroGrad();
    assertTrue(model.parameters().stream().allMatch(p -> p.grad() == null));
    int[] count = new int[1];
    model.apply(m -> count[0]++);
    assertEquals(4, count[0]);
  }

  @Test
  void activationModulesMatchTheirFormulas() {
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
    assertEquals(1.0, new Softmax(0).forward(x).sum().item(), 1e-6);
    assertArrayEquals(new int[] {2, 12}, new Flatten().forward(Tensor.zeros(2, 3, 4)).shape());
    Tensor big = Tensor.of(100f);
    assertEquals(0f, (float) new ELU().forward(big).sub(big).item());
  }

  @Test
  void linearRefusesTheWrongInputWidth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Linear(3, 2).forward(Tensor.zeros(5, 4)));
    assertTrue(e.getMessage().contains("[5, 4]"), e.getMessage());
  }
}
