package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Module} (parameters, buffers, children, state, printing) and {@link Sequential}. */
class ModuleTest {

  static Sequential mlp(long seed) {
    Generator g = new Generator(seed);
    return new Sequential(new Linear(784, 128, true, g), new ReLU(), new Linear(128, 10, true, g));
  }

  @Test
  void everyModuleRefusesANullInputNamingItself() {
    Module[] modules = {
      new Linear(3, 2),
      new ReLU(),
      new Sigmoid(),
      new Tanh(),
      new GELU(),
      new SiLU(),
      new ELU(),
      new LeakyReLU(),
      new Softplus(),
      new Softmax(1),
      new LogSoftmax(1),
      new Dropout(0.5),
      new Flatten(),
      new Identity(),
      new Embedding(4, 3),
      new LayerNorm(3),
      new RMSNorm(3),
      new Conv1d(2, 3, 3),
      new Conv2d(2, 3, 3),
      new ConvTranspose2d(2, 3, 3),
      new MaxPool2d(2),
      new AvgPool2d(2),
      new AdaptiveAvgPool2d(1),
      new BatchNorm1d(3),
      new BatchNorm2d(3),
      new Dropout2d(0.5),
      new Unflatten(1, 2, 2),
      new MultiheadAttention(4, 2),
      new TransformerEncoderLayer(4, 2),
      new Sequential(new Linear(3, 2), new ReLU())
    };
    for (Module m : modules) {
      String name = m.getClass().getSimpleName();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.forward(null), name);
      assertEquals(name + ".forward: the input is null", e.getMessage());
    }
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

  /** A layer with one parameter and one buffer, like a normalisation layer's running mean. */
  static final class Shift extends Module {
    final Linear lin;
    final Tensor runningMean;

    Shift(Generator g) {
      lin = registerModule("lin", new Linear(2, 3, true, g));
      runningMean = registerBuffer("running_mean", Tensor.zeros(3));
    }

    @Override
    public Tensor forward(Tensor input) {
      return lin.forward(input).sub(runningMean);
    }
  }

  @Test
  void buffersAreStateButNotParameters() {
    Sequential model = new Sequential(new Shift(new Generator(1)), new ReLU());
    Shift shift = (Shift) model.get(0);
    assertEquals(List.of("0.running_mean"), List.copyOf(model.namedBuffers().keySet()));
    assertSame(shift.runningMean, model.namedBuffers().get("0.running_mean"));
    assertEquals(
        List.of("0.lin.weight", "0.lin.bias"), List.copyOf(model.namedParameters().keySet()));
    assertTrue(model.parameters().stream().noneMatch(p -> p == shift.runningMean));
    assertEquals(2 * 3 + 3, model.parameterCount(), "buffers are not counted");
    assertEquals(
        List.of("0.lin.weight", "0.lin.bias", "0.running_mean"),
        List.copyOf(model.stateDict().keySet()));
    assertSame(shift.runningMean.data(), model.stateDict().get("0.running_mean"));
  }

  @Test
  void buffersAreSavedAndLoaded(@TempDir Path dir) throws Exception {
    Shift a = new Shift(new Generator(1));
    a.runningMean.data().copyFrom(NDArray.of(0.5f, -1f, 2f));
    Path file = dir.resolve("shift.safetensors");
    a.save(file);
    Shift b = new Shift(new Generator(2));
    b.load(file);
    assertArrayEquals(new float[] {0.5f, -1f, 2f}, b.runningMean.data().toFloatArray());
    Tensor x = Tensor.rand(4, 2);
    assertArrayEquals(a.forward(x).data().toFloatArray(), b.forward(x).data().toFloatArray());
    Map<String, NDArray> state = new java.util.LinkedHashMap<>(a.stateDict());
    state.remove("running_mean");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state, true));
    assertTrue(e.getMessage().contains("running_mean"), e.getMessage());
    state.put("running_mean", NDArray.zeros(4));
    e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state, true));
    assertTrue(e.getMessage().contains("running_mean") && e.getMessage().contains("[4]"));
    assertArrayEquals(new float[] {0.5f, -1f, 2f}, b.runningMean.data().toFloatArray());
  }

  @Test
  void namesAreCheckedWhenRegistering() {
    class Bad extends Module {
      @Override
      public Tensor forward(Tensor input) {
        return input;
      }
    }
    Bad m = new Bad();
    m.registerParameter("w", Tensor.zeros(2));
    for (String name : new String[] {"", "a.b", "w"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> m.registerBuffer(name, Tensor.zeros(1)));
      assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.registerModule(name, new ReLU()));
    }
    Tensor notALeaf = Tensor.zeros(2).requiresGrad(true).mul(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("v", notALeaf));
    assertTrue(e.getMessage().contains("'v'") && e.getMessage().contains("leaf"), e.getMessage());
    assertTrue(m.namedBuffers().isEmpty());
    assertEquals(List.of("w"), List.copyOf(m.namedParameters().keySet()));
  }

  @Test
  void sequentialIndexesItsModulesAndNamesItsChildren() {
    Sequential model = mlp(1);
    assertEquals(3, model.size());
    assertTrue(model.get(1) instanceof ReLU);
    assertEquals(List.of("0", "1", "2"), List.copyOf(model.children().keySet()));
    assertSame(model.get(2), model.children().get("2"));
    assertThrows(UnsupportedOperationException.class, () -> model.children().put("3", new ReLU()));
    assertThrows(IndexOutOfBoundsException.class, () -> model.get(3));
    Tensor x = Tensor.rand(2, 784);
    assertArrayEquals(
        model.get(2).forward(model.get(1).forward(model.get(0).forward(x))).data().toFloatArray(),
        model.forward(x).data().toFloatArray(),
        "applied first to last");
  }
}
